"""Every server → client payload a real call produces matches its one schema
(app/schemas/events.py), the schema the web app's validators are generated from: a field
the server sends but the schema lacks, or a missing required one, fails here."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema

from app.schemas.events import (
    SERVER_EVENT_SCHEMAS,
    AckFailureSchema,
    AudioAckSchema,
    CallStartAckSchema,
    CallStopAckSchema,
)
from app.schemas.live_join import JoinSnapshotSchema
from tests.helpers import ack, stream
from tests.sockets.test_resume_and_coach import _coach_token


def _problems(schema: type[Schema], payload: Any) -> dict[str, Any]:
    return schema().validate(payload)  # type: ignore[no-any-return]


def test_every_event_of_a_call_matches_its_schema(connect, client, admin):
    rep = connect(admin["token"])
    started = ack(rep, "call:start", {"title": "Demo", "sources": ["rep", "prospect"]})
    assert _problems(CallStartAckSchema, started) == {}
    call_id = started["call_id"]
    coach = connect(_coach_token(client, admin))
    joined = ack(coach, "call:join", {"call_id": call_id})
    assert _problems(JoinSnapshotSchema, _without_ok(joined)) == {}
    acks = stream(rep, call_id, 4, source="prospect") + stream(rep, call_id, 4)
    assert all(_problems(AudioAckSchema, a) == {} for a in acks)
    ack(coach, "coach:whisper", {"call_id": call_id, "text": "Ask about budget"})
    assert _problems(CallStopAckSchema, ack(rep, "call:stop", {"call_id": call_id})) == {}
    seen: set[str] = set()
    for event in rep.get_received("/audio") + coach.get_received("/audio"):
        name, payload = event["name"], event["args"][0]
        assert name in SERVER_EVENT_SCHEMAS, f"{name} has no payload schema"
        assert _problems(SERVER_EVENT_SCHEMAS[name], payload) == {}, (name, payload)
        seen.add(name)
    assert {"transcript", "suggestion", "metrics", "call:status", "whisper", "presence"} <= seen


def test_a_refused_event_acks_the_error_envelope(connect, admin):
    rep = connect(admin["token"])
    refused = ack(rep, "audio", {"call_id": "nope", "seq": 0, "data": b"x"})
    assert refused["ok"] is False and _problems(AckFailureSchema, refused) == {}


def _without_ok(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k != "ok"}
