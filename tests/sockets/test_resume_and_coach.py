from __future__ import annotations

import time

from app.extensions import db
from app.models import Call, Utterance, Whisper
from app.models.base import utcnow
from tests.factories import PASSWORD
from tests.helpers import ack, auth_header, received, start_call, stream


def _coach_token(client, admin, role="coach"):
    client.post(
        "/api/v1/users",
        headers=auth_header(admin["token"]),
        json={
            "email": f"{role}@acme.test",
            "password": PASSWORD,
            "name": f"Cora {role}",
            "role": role,
        },
    )
    return client.post(
        "/api/v1/auth/login", json={"email": f"{role}@acme.test", "password": PASSWORD}
    ).json["access_token"]


def test_reconnecting_with_resume_call_id_continues_the_same_call(
    connect, admin, sessions, scripted_transcriber
):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    stream(rep, call_id, 4)
    rep.disconnect("/audio")
    assert sessions.calls[call_id].detached_at is not None
    again = connect(admin["token"])
    resumed = ack(again, "call:start", {"resume_call_id": call_id})
    assert resumed["ok"] and resumed["call_id"] == call_id and resumed["next_seq"] == {"rep": 4}
    assert stream(again, call_id, 4, first_seq=4)[-1]["ok"]
    assert len(scripted_transcriber.streams) == 1  # the same provider stream carried on
    ack(again, "call:stop", {"call_id": call_id})
    assert db.session.query(Utterance).filter_by(call_id=call_id).count() == 2


def test_a_client_that_never_returns_ends_the_call_as_interrupted_keeping_utterances(
    connect, admin, sessions
):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    stream(rep, call_id, 4)
    rep.disconnect("/audio")
    later = time.monotonic() + sessions.settings.grace_seconds + 1
    assert sessions.janitor.expire_detached(later) == 1
    db.session.expire_all()
    call = db.session.get(Call, call_id)
    assert call.state == "interrupted" and call.ended_at is not None
    assert db.session.query(Utterance).filter_by(call_id=call_id).count() == 1


def test_a_live_call_this_worker_lost_can_be_resumed_from_the_database(
    connect, admin, sessions, scripted_transcriber
):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    stream(rep, call_id, 4)
    sessions.shutdown(timeout=2)  # as on SIGTERM: the call stays resumable elsewhere
    db.session.expire_all()
    call = db.session.get(Call, call_id)
    assert call.state == "reconnecting"
    call.started_at = utcnow()  # the audio sent so far ran ahead of the wall clock
    db.session.commit()
    sessions.janitor.stop()
    sessions.draining = False  # stands in for the fresh worker the client reconnects to
    again = connect(admin["token"])
    resumed = ack(again, "call:start", {"resume_call_id": call_id, "resume_seq": {"rep": 4}})
    assert resumed["ok"] and resumed["call_id"] == call_id and resumed["next_seq"] == {"rep": 4}
    stream(again, call_id, 4, first_seq=4)  # the client carries on with its own numbering
    assert len(scripted_transcriber.streams[-1].chunks) == 4  # forwarded at once, no gap wait
    ack(again, "call:stop", {"call_id": call_id})
    texts = db.session.query(Utterance).filter_by(call_id=call_id).order_by(Utterance.start_ms)
    spans = [(u.start_ms, u.end_ms) for u in texts]
    # Audio sent faster than real time ran ahead of the clock: the revived stream goes on
    # after the last stored final, not at the (earlier) wall-clock time since the start.
    assert len(spans) == 2 and spans[1][0] >= spans[0][1]


def test_leases_end_calls_whose_owner_is_gone(app, admin, sessions, connect):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    sessions.calls.clear()  # the owner vanished without a word
    call = db.session.get(Call, call_id)
    call.last_activity_at = call.started_at.replace(year=call.started_at.year - 1)
    db.session.commit()
    assert sessions.janitor.refresh_leases() == [call_id]
    db.session.expire_all()
    assert db.session.get(Call, call_id).state == "interrupted"


def test_coach_joins_sees_the_transcript_and_whispers_to_the_rep_only(
    client, connect, admin, sessions
):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    stream(rep, call_id, 4)
    sessions.writer.flush(5)
    coach = connect(_coach_token(client, admin))
    joined = ack(coach, "call:join", {"call_id": call_id})
    assert joined["ok"] and joined["call"]["id"] == call_id and len(joined["transcript"]) == 1
    stream(rep, call_id, 4, first_seq=4)
    assert [e["text"] for e in received(coach, "transcript") if e["is_final"]]
    assert received(rep, "presence")[-1]["coaches"][0]["name"] == "Cora coach"
    sent = ack(coach, "coach:whisper", {"call_id": call_id, "text": "Ask about budget"})
    assert sent["ok"]
    assert received(rep, "whisper")[0]["text"] == "Ask about budget"
    assert received(coach, "whisper") == []
    assert db.session.query(Whisper).filter_by(call_id=call_id).count() == 1


def test_reps_cannot_join_and_coaches_of_other_teams_get_not_found(client, connect, admin, tokens):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    other_rep = tokens.user(role="rep")
    assert (
        ack(connect(other_rep["token"]), "call:join", {"call_id": call_id})["error"]["code"]
        == "forbidden"
    )
    stranger = connect(tokens.user(role="coach")["token"])
    assert ack(stranger, "call:join", {"call_id": call_id})["error"]["code"] == "not_found"
    assert (
        ack(stranger, "coach:whisper", {"call_id": call_id, "text": "hi"})["error"]["code"]
        == "not_found"
    )


def test_auth_refresh_swaps_the_token_for_the_same_user_only(client, connect, admin, tokens):
    rep = connect(admin["token"])
    fresh = client.post("/api/v1/auth/refresh", headers=auth_header(admin["refresh"])).json
    assert ack(rep, "auth:refresh", {"token": fresh["access_token"]})["ok"]
    other = tokens.user(role="rep")
    refused = ack(rep, "auth:refresh", {"token": other["token"]})
    assert refused["error"]["code"] == "forbidden"
    assert ack(rep, "auth:refresh", {"token": "junk"})["error"]["code"] == "invalid_token"


def test_suggestion_feedback_over_the_socket_is_stored(connect, admin, sessions):
    rep = connect(admin["token"])
    call_id = start_call(rep, sources=["prospect"])
    stream(rep, call_id, 4, source="prospect")
    card = received(rep, "suggestion")[0]
    sessions.writer.flush(5)
    response = ack(
        rep,
        "suggestion:feedback",
        {"call_id": call_id, "suggestion_id": card["suggestion_id"], "action": "used"},
    )
    assert response["ok"]
