"""At call end the live summary's key figures are also stored as columns (for analytics)."""

from __future__ import annotations

from app.extensions import db
from app.models import Call
from tests.helpers import ack, start_call, stream


def test_ending_a_call_stores_its_metric_columns_from_the_live_summary(connect, admin):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    stream(rep, call_id, 8)
    assert ack(rep, "call:stop", {"call_id": call_id})["ok"]
    db.session.expire_all()
    call = db.session.get(Call, call_id)
    metrics = call.live_summary["metrics"]
    assert call.talk_ratio == metrics["talk_ratio"]
    assert call.rep_talk_s == metrics["rep_talk_s"] and call.rep_talk_s is not None
    assert call.questions_asked == metrics["questions_asked"]
    checklist = call.live_summary["checklist"]
    done = sum(1 for item in checklist if item["done"])
    assert call.checklist_coverage == (round(done / len(checklist), 4) if checklist else None)
