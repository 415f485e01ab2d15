"""The live pipeline with the real Deepgram SDK against the loopback fake: finals stored as
they arrive, a dropped provider socket announced and survived, a refused key degrading
the call once, with no retry storm."""

from __future__ import annotations

import time

import pytest

from app.container import get_services
from app.extensions import db
from app.models import Utterance
from app.services.transcription.deepgram.transcriber import DeepgramTranscriber
from tests.fakes.fake_deepgram import FakeDeepgram, FakeDeepgramConfig
from tests.helpers import ack, start_call
from tests.speech import to_opus_chunks
from tests.transcription.deepgram_helpers import fast_settings, window


@pytest.fixture
def deepgram(app, sessions):
    fake = FakeDeepgram(FakeDeepgramConfig(speech_final_every=1)).start()
    transcriber = DeepgramTranscriber(fast_settings(fake.url))
    get_services().transcriber = transcriber
    yield fake
    transcriber.close()
    fake.stop()


def _send(rep, call_id, values, first_seq=0):
    for offset, value in enumerate(values):
        assert ack(
            rep, "audio", {"call_id": call_id, "seq": first_seq + offset, "data": window(value)}
        )["ok"]


def _wait(predicate, timeout=8.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _stored(sessions, call_id):
    sessions.writer.flush(5)
    db.session.expire_all()
    return db.session.query(Utterance).filter_by(call_id=call_id).count()


def test_deepgram_finals_are_stored_as_they_arrive(connect, admin, deepgram, sessions):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    _send(rep, call_id, [1, 2])
    assert _wait(lambda: _stored(sessions, call_id) == 2)
    stopped = ack(rep, "call:stop", {"call_id": call_id})
    assert stopped["ok"] and _stored(sessions, call_id) == 2
    assert deepgram.connections[0].controls[-2:] == ["Finalize", "CloseStream"]


def test_a_dropped_provider_socket_is_announced_and_the_call_continues(
    connect, admin, deepgram, sessions
):
    deepgram.config.drop_after_messages = 2
    rep = connect(admin["token"])
    call_id = start_call(rep)
    _send(rep, call_id, [1, 2, 3])
    statuses = []
    assert _wait(
        lambda: (
            statuses.extend(
                e["args"][0] for e in rep.get_received("/audio") if e["name"] == "call:status"
            )
            or (
                any(s["state"] == "live" for s in statuses)
                and any(s.get("reason") == "provider_disconnected" for s in statuses)
            )
        )
    )
    _send(rep, call_id, [4], first_seq=3)
    assert _wait(lambda: _stored(sessions, call_id) >= 3)
    ack(rep, "call:stop", {"call_id": call_id})
    texts = [u.text for u in db.session.query(Utterance).filter_by(call_id=call_id)]
    assert len(texts) == len(set(texts))  # replayed audio produced no duplicate finals


def test_a_refused_key_degrades_the_call_once_without_a_retry_storm(
    connect, admin, deepgram, sessions
):
    deepgram.config.reject_status = 401
    rep = connect(admin["token"])
    call_id = start_call(rep)
    _send(rep, call_id, [1])
    statuses = []
    assert _wait(
        lambda: (
            statuses.extend(
                e["args"][0] for e in rep.get_received("/audio") if e["name"] == "call:status"
            )
            or any(s.get("reason") == "provider_auth_failed" for s in statuses)
        )
    )
    assert statuses[-1] == {
        "call_id": call_id,
        "state": "degraded",
        "reason": "provider_auth_failed",
    }
    time.sleep(0.5)
    assert deepgram.rejected == 1  # a 401 is never retried
    assert ack(rep, "call:stop", {"call_id": call_id})["ok"]


def test_an_opus_packets_call_reaches_deepgram_as_16khz_linear16(
    connect, admin, deepgram, sessions
):
    rep = connect(admin["token"])
    audio = {"encoding": "opus_packets", "sample_rate": 16000, "channels": 1}
    call_id = start_call(rep, audio=audio)
    chunks = to_opus_chunks(bytes(32000))  # 1 s of silence: ten chunks of five packets
    for seq, chunk in enumerate(chunks[:10]):
        assert ack(rep, "audio", {"call_id": call_id, "seq": seq, "data": chunk})["ok"]
    assert ack(rep, "call:stop", {"call_id": call_id})["ok"]
    connection = deepgram.connections[0]
    assert connection.query["encoding"] == "linear16"
    assert connection.query["sample_rate"] == "16000"
    assert connection.audio_bytes == 32000  # exactly the second of PCM the packets carried
