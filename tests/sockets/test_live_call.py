from __future__ import annotations

from app.extensions import db
from app.models import Call, Suggestion, Utterance
from tests.helpers import CHUNK, ack, auth_header, received, start_call, stream


def _finals(client):
    return [e for e in received(client, "transcript") if e["is_final"]]


def test_start_stream_stop_then_read_the_same_finals_over_rest(connect, client, admin, sessions):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    acks = stream(rep, call_id, 8)
    assert [a["seq"] for a in acks] == list(range(8)) and all(a["ok"] for a in acks)
    stopped = ack(rep, "call:stop", {"call_id": call_id})
    assert stopped["ok"] and stopped["call_id"] == call_id
    events = received(rep, "transcript")
    finals = [e for e in events if e["is_final"]]
    assert any(not e["is_final"] for e in events)
    assert len(finals) == 2 and finals[0]["end_ms"] == 400 and finals[1]["start_ms"] == 400
    stored = client.get(
        f"/api/v1/calls/{call_id}/transcript", headers=auth_header(admin["token"])
    ).json["items"]
    assert [(u["utterance_id"], u["text"]) for u in stored] == [
        (f["utterance_id"], f["text"]) for f in finals
    ]
    detail = client.get(f"/api/v1/calls/{call_id}", headers=auth_header(admin["token"])).json
    assert detail["state"] == "ended" and detail["utterance_count"] == 2


def test_each_final_is_stored_as_it_arrives_before_the_call_stops(connect, admin, sessions):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    stream(rep, call_id, 4)
    assert sessions.writer.flush(5)
    assert db.session.query(Utterance).filter_by(call_id=call_id).count() == 1
    assert db.session.get(Call, call_id).state == "live"


def test_prospect_price_objection_gets_a_playbook_card_that_is_stored(connect, admin, sessions):
    rep = connect(admin["token"])
    call_id = start_call(rep, sources=["rep", "prospect"])
    stream(rep, call_id, 4, source="prospect")
    cards = received(rep, "suggestion")
    assert cards and cards[0]["origin"] == "playbook" and cards[0]["kind"] == "objection"
    assert cards[0]["status"] == "final" and cards[0]["latency_ms"] < 1000
    final = _finals(rep)[0] if _finals(rep) else None
    assert final is None or cards[0]["trigger_utterance_id"] == final["utterance_id"]
    ack(rep, "call:stop", {"call_id": call_id})
    stored = db.session.query(Suggestion).filter_by(call_id=call_id).one()
    assert stored.entry_name == "objection-price" and stored.origin == "playbook"


def test_rep_speech_does_not_trigger_prospect_objection_cards(connect, admin):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    stream(rep, call_id, 4, source="rep")
    assert received(rep, "suggestion") == []


def test_metrics_are_pushed_during_the_call(connect, admin):
    rep = connect(admin["token"])
    call_id = start_call(rep, sources=["rep", "prospect"])
    stream(rep, call_id, 4, source="rep")
    ack(rep, "call:stop", {"call_id": call_id})
    metrics = received(rep, "metrics")
    assert metrics and metrics[-1]["call_id"] == call_id and "talk_ratio" in metrics[-1]


def test_call_starts_live_and_the_stop_is_announced_as_ended(connect, admin):
    rep = connect(admin["token"])
    started = ack(rep, "call:start", {})
    assert started["state"] == "live" and started["next_seq"] == {"rep": 0}
    ack(rep, "call:stop", {"call_id": started["call_id"]})
    assert received(rep, "call:status")[-1] == {"call_id": started["call_id"], "state": "ended"}


def test_provider_trouble_is_announced_as_call_status(connect, admin, scripted_transcriber):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    received(rep, "call:status")
    scripted_transcriber.streams[0].fail("reconnecting", "provider_disconnected")
    scripted_transcriber.streams[0].fail("live", None)
    statuses = received(rep, "call:status")
    assert [(s["state"], s.get("reason")) for s in statuses] == [
        ("reconnecting", "provider_disconnected"),
        ("live", None),
    ]
    assert stream(rep, call_id, 1)[0]["ok"]


def test_transcriber_unavailable_is_a_clear_error(connect, admin, scripted_transcriber):
    scripted_transcriber.unavailable = "provider_capacity"
    rep = connect(admin["token"])
    response = ack(rep, "call:start", {})
    assert response == {
        "ok": False,
        "error": {
            "code": "transcriber_unavailable",
            "message": "Transcription is unavailable right now.",
            "fields": {"reason": "provider_capacity"},
        },
    }


def test_chunks_are_forwarded_in_seq_order_and_duplicates_dropped(
    connect, admin, scripted_transcriber
):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    order = [0, 2, 1, 1, 3]
    chunks = {i: bytes([i + 1]) * 320 for i in range(4)}
    acks = [ack(rep, "audio", {"call_id": call_id, "seq": s, "data": chunks[s]}) for s in order]
    assert [a["ok"] for a in acks] == [True, True, True, False, True]
    assert acks[3]["error"]["code"] == "duplicate_seq"
    assert scripted_transcriber.streams[0].chunks == [chunks[0], chunks[1], chunks[2], chunks[3]]


def test_empty_chunk_is_never_forwarded(connect, admin, scripted_transcriber):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    assert ack(rep, "audio", {"call_id": call_id, "seq": 0, "data": b""})["ok"]
    assert ack(rep, "audio", {"call_id": call_id, "seq": 1, "data": CHUNK})["ok"]
    assert scripted_transcriber.streams[0].chunks == [CHUNK]
