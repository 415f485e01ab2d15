"""The client's network drops mid-call (docs/security.md row F1), and the owning process is
gone so the call's lease expires (row F11, in one process). Finals stored before stay;
nothing is stored twice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.container import get_services
from app.extensions import db
from app.models import Call, Utterance
from app.models.base import utcnow
from tests.factories import make_call
from tests.helpers import FAST_WATCHDOG, ack, start_call, stream, wait_until


@pytest.fixture
def app_env() -> dict[str, str]:
    return {**FAST_WATCHDOG, "CALL_GRACE_SECONDS": "2"}


def _finals(call_id: str) -> list[int]:
    db.session.expire_all()
    return sorted(u.start_ms for u in db.session.query(Utterance).filter_by(call_id=call_id))


def test_drop_within_grace_resumes_the_same_call_and_replayed_audio_is_not_duplicated(
    connect, admin, sessions
):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    stream(rep, call_id, 6)
    rep.disconnect("/audio")  # the network drops
    again = connect(admin["token"])
    resumed = ack(again, "call:start", {"resume_call_id": call_id})
    assert resumed["ok"] and resumed["next_seq"] == {"rep": 6}
    replay = stream(again, call_id, 8, first_seq=2)  # the client resends what it buffered
    assert [r["ok"] for r in replay] == [False] * 4 + [True] * 4
    assert ack(again, "call:stop", {"call_id": call_id})["ok"]
    finals = _finals(call_id)
    assert len(finals) == 3 and len(set(finals)) == 3


def test_drop_beyond_grace_ends_the_call_interrupted_with_its_finals_kept(connect, admin, sessions):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    stream(rep, call_id, 4)
    rep.disconnect("/audio")
    wait_until(lambda: sessions.janitor.expire_detached(10**9) or call_id not in sessions.calls)
    db.session.expire_all()
    assert db.session.get(Call, call_id).state == "interrupted"
    assert len(_finals(call_id)) == 1
    late = connect(admin["token"])
    assert ack(late, "call:start", {"resume_call_id": call_id})["error"]["code"] == (
        "call_not_live"
    )


def test_a_call_whose_owner_died_is_ended_by_lease_expiry_with_finals_kept(tokens):
    owner = tokens.user()["user"]
    call = make_call(owner, texts=[("rep", "hello")], state="live", ended_at=None)
    call.last_activity_at = utcnow() - timedelta(minutes=5)  # no worker refreshed it
    db.session.commit()
    expired = get_services().sessions.janitor.refresh_leases()
    assert expired == [call.id]
    db.session.expire_all()
    assert db.session.get(Call, call.id).state == "interrupted"
    assert len(_finals(call.id)) == 1
