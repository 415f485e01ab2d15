"""Every malformed or foreign event gets an error ack with a code; the connection stays."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Utterance
from tests.helpers import CHUNK, ack, start_call, stream


@pytest.fixture
def rep_call(connect, admin):
    rep = connect(admin["token"])
    return rep, start_call(rep)


def _code(response):
    assert response["ok"] is False, response
    return response["error"]["code"]


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "text",
        42,
        [],
        {"seq": 0, "data": CHUNK},
        {"call_id": "x", "seq": "0", "data": CHUNK},
        {"call_id": "x", "seq": -1, "data": CHUNK},
        {"call_id": "x", "seq": 1.5, "data": CHUNK},
        {"call_id": "x", "seq": 0, "data": "text instead of bytes"},
        {"call_id": "x", "seq": 0, "data": CHUNK, "source": "narrator"},
        {"call_id": "x", "seq": 0},
    ],
)
def test_malformed_audio_events_are_validation_errors(rep_call, payload):
    rep, _ = rep_call
    assert _code(ack(rep, "audio", payload)) == "validation_error"
    assert rep.is_connected("/audio")


def test_audio_for_an_unknown_call_or_before_start_is_not_found(connect, admin):
    rep = connect(admin["token"])
    assert _code(ack(rep, "audio", {"call_id": "nope", "seq": 0, "data": CHUNK})) == "not_found"


def test_another_users_call_answers_like_an_unknown_one(connect, admin, tokens, rep_call):
    _, call_id = rep_call
    stranger = connect(tokens.user(role="admin")["token"])
    for event, payload in [
        ("audio", {"call_id": call_id, "seq": 0, "data": CHUNK}),
        ("call:stop", {"call_id": call_id}),
        ("call:join", {"call_id": call_id}),
        ("call:start", {"resume_call_id": call_id}),
    ]:
        assert _code(ack(stranger, event, payload)) == "not_found", event


def test_oversize_chunk_is_refused_and_stored_data_is_intact(rep_call, sessions):
    rep, call_id = rep_call
    stream(rep, call_id, 4)
    big = b"\x00" * (sessions.settings.max_chunk_bytes + 2)
    assert (
        _code(ack(rep, "audio", {"call_id": call_id, "seq": 4, "data": big})) == "chunk_too_large"
    )
    assert rep.is_connected("/audio")
    assert stream(rep, call_id, 1, first_seq=4)[0]["ok"]
    sessions.writer.flush(5)
    assert db.session.query(Utterance).filter_by(call_id=call_id).count() == 1


def test_audio_for_a_source_not_opened_is_refused(rep_call):
    rep, call_id = rep_call
    response = ack(
        rep, "audio", {"call_id": call_id, "source": "prospect", "seq": 0, "data": CHUNK}
    )
    assert _code(response) == "validation_error"


def test_replayed_chunks_are_not_transcribed_twice(rep_call, scripted_transcriber, sessions):
    rep, call_id = rep_call
    stream(rep, call_id, 4)
    replays = stream(rep, call_id, 4)
    assert {_code(r) for r in replays} == {"duplicate_seq"}
    assert len(scripted_transcriber.streams[0].chunks) == 4
    sessions.writer.flush(5)
    assert db.session.query(Utterance).filter_by(call_id=call_id).count() == 1


def test_unknown_event_gets_an_error_ack(rep_call):
    rep, _ = rep_call
    assert _code(ack(rep, "drop:tables", {})) == "unknown_event"


def test_bad_call_start_payloads_are_validation_errors(connect, admin):
    rep = connect(admin["token"])
    for payload in (
        {"audio": {"encoding": "mp3"}},
        {"sources": ["everyone"]},
        {"audio": {"sample_rate": 5}},
        {"title": ""},
        {"sources": []},
    ):
        assert _code(ack(rep, "call:start", payload)) == "validation_error", payload


def test_event_flood_is_rate_limited_then_disconnected_while_others_continue(
    connect, admin, tokens, rep_call
):
    rep, _call_id = rep_call
    other = connect(admin["token"])
    codes = []
    for _ in range(100):
        if not rep.is_connected("/audio"):
            break
        codes.append(ack(rep, "call:join", {"call_id": "x"})["error"]["code"])
    assert codes[:10] == ["not_found"] * 10 and "rate_limited" in codes
    assert not rep.is_connected("/audio")
    assert other.is_connected("/audio") and ack(other, "call:start", {})["ok"]


def test_live_call_quota_per_user(connect, admin, sessions):
    rep = connect(admin["token"])
    for _ in range(sessions.settings.max_calls_per_user):
        assert ack(rep, "call:start", {})["ok"]
    assert _code(ack(rep, "call:start", {})) == "quota_exceeded"
