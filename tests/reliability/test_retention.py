"""D3: deleting a call removes every row it owns; pruning by age (with an explicit `now`,
i.e. time travel) deletes old ended calls with all their rows and nothing else."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from app.extensions import db
from app.models import Call, CallAnalysis, Suggestion, Utterance, Whisper
from app.models.base import utcnow
from app.services.retention import prune_calls
from tests.factories import make_call

CHILDREN = (Utterance, Suggestion, Whisper, CallAnalysis)


def _call_with_everything(owner, **fields):
    call = make_call(owner, texts=[("rep", "hello"), ("prospect", "too expensive")], **fields)
    db.session.add_all(
        [
            Suggestion(call_id=call.id, kind="objection", title="t", body="b", origin="playbook"),
            Whisper(call_id=call.id, from_user_id=owner.id, text="ask about budget"),
            CallAnalysis(call_id=call.id, status="done"),
        ]
    )
    db.session.commit()
    return call.id


def _rows(call_id: str) -> dict[str, int]:
    db.session.expire_all()
    return {m.__name__: db.session.query(m).filter_by(call_id=call_id).count() for m in CHILDREN}


def test_deleting_a_call_removes_all_its_rows_even_without_foreign_key_enforcement(client, tokens):
    owner = tokens.user(role="admin")
    call_id = _call_with_everything(owner["user"])
    kept = _call_with_everything(owner["user"])
    if db.engine.dialect.name == "sqlite":  # the condition this test is about
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 0
    assert set(_rows(call_id).values()) != {0}
    response = client.delete(
        f"/api/v1/calls/{call_id}", headers={"Authorization": f"Bearer {owner['token']}"}
    )
    assert response.status_code == 204
    assert db.session.get(Call, call_id) is None
    assert _rows(call_id) == dict.fromkeys(_rows(call_id), 0)
    assert _rows(kept) == {"Utterance": 2, "Suggestion": 1, "Whisper": 1, "CallAnalysis": 1}


def test_prune_by_age_with_time_travel_deletes_only_old_finished_calls(tokens):
    owner = tokens.user()["user"]
    now = utcnow() + timedelta(days=1000)  # travel forward: nothing real is that old
    old = _call_with_everything(owner, started_at=now - timedelta(days=400))
    old_interrupted = _call_with_everything(
        owner, started_at=now - timedelta(days=366), state="interrupted"
    )
    recent = _call_with_everything(owner, started_at=now - timedelta(days=10))
    old_but_live = _call_with_everything(
        owner, started_at=now - timedelta(days=500), state="live", ended_at=None
    )
    assert prune_calls(365, now=now) == 2
    db.session.expire_all()
    for gone in (old, old_interrupted):
        assert db.session.get(Call, gone) is None and set(_rows(gone).values()) == {0}
    for kept in (recent, old_but_live):
        assert db.session.get(Call, kept) is not None and _rows(kept)["Utterance"] == 2
    assert prune_calls(365, now=now) == 0  # idempotent
