"""The utterance writer: a row the database refuses for good is dropped alone; its
neighbours are stored and the writer keeps serving later rows."""

from __future__ import annotations

import uuid

from app.extensions import db
from app.models import Utterance
from app.services.live.writer import UtteranceWriter
from tests.factories import make_call


def _row(call_id: str, start_ms: int, text: str | None) -> dict:
    return {
        "id": uuid.uuid4().hex,
        "call_id": call_id,
        "source": "rep",
        "text": text,
        "start_ms": start_ms,
        "end_ms": start_ms + 900,
        "confidence": 0.9,
        "words": None,
    }


def test_a_refused_row_does_not_block_or_lose_its_neighbours(app, tokens):
    call = make_call(tokens.user()["user"])
    writer = UtteranceWriter(app)
    writer.add_utterance(_row(call.id, 0, "kept before"))
    writer.add_utterance(_row(call.id, 1000, None))  # NOT NULL: refused for good
    writer.add_utterance(_row(call.id, 2000, "kept after"))
    writer.start()
    try:
        assert writer.flush(10)
        writer.add_utterance(_row(call.id, 3000, "stored later"))
        assert writer.flush(10)
    finally:
        writer.stop(5)
    db.session.expire_all()
    texts = [
        u.text
        for u in db.session.query(Utterance).filter_by(call_id=call.id).order_by(Utterance.start_ms)
    ]
    assert texts == ["kept before", "kept after", "stored later"]
    assert writer.failures == 0  # not mistaken for an outage: no retry loop, no "degraded"


def test_the_latest_guidance_of_a_batch_is_stored_with_the_call(app, tokens):
    from app.models import Call

    call = make_call(tokens.user()["user"])
    writer = UtteranceWriter(app)
    writer.set_guidance(call.id, {"stage": "opening", "focus": {"what": "first"}})
    writer.set_guidance(call.id, {"stage": "discovery", "focus": {"what": "second"}})
    writer.add_utterance(_row(call.id, 0, "stored alongside"))
    writer.start()
    try:
        assert writer.flush(10)
    finally:
        writer.stop(5)
    db.session.expire_all()
    assert db.session.get(Call, call.id).guidance == {
        "stage": "discovery",
        "focus": {"what": "second"},
    }
    assert writer.failures == 0
    assert db.session.query(Utterance).filter_by(call_id=call.id).count() == 1
