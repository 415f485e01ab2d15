"""A call whose audio arrives as ``opus_packets``: decoded in front of the provider."""

from __future__ import annotations

import numpy as np
import pytest

from app.extensions import db
from app.models import Call, Utterance
from app.models.base import utcnow
from app.services.transcription.base import AudioFormat
from app.services.transcription.opus_packets import chunk_samples
from tests.helpers import ack, received, start_call
from tests.speech import to_opus_chunks

OPUS = {"encoding": "opus_packets", "sample_rate": 16000, "channels": 1}


@pytest.fixture(scope="module")
def chunks() -> list[bytes]:
    t = np.arange(16000 * 2) / 16000
    pcm = (8000 * np.sin(2 * np.pi * 300 * t)).astype("<i2").tobytes()
    return to_opus_chunks(pcm)[:12]


def send(client, call_id, seq, data):
    return ack(client, "audio", {"call_id": call_id, "source": "rep", "seq": seq, "data": data})


def pcm_ms(stream) -> int:
    return sum(len(c) for c in stream.chunks) // 32


def test_the_provider_gets_16khz_linear16_of_the_packets_duration(
    connect, admin, scripted_transcriber, chunks
):
    rep = connect(admin["token"])
    call_id = start_call(rep, audio=OPUS)
    assert all(send(rep, call_id, i, c)["ok"] for i, c in enumerate(chunks[:8]))
    assert scripted_transcriber.formats[0] == AudioFormat("linear16", 16000, 1, mixed=True)
    expected_ms = sum(chunk_samples(c) for c in chunks[:8]) // 48
    assert expected_ms - 3 <= pcm_ms(scripted_transcriber.streams[0]) <= expected_ms
    ack(rep, "call:stop", {"call_id": call_id})  # the resampler's last samples go too
    samples = sum(len(c) for c in scripted_transcriber.streams[0].chunks) // 2
    assert samples == sum(chunk_samples(c) for c in chunks[:8]) // 3


def test_a_malformed_chunk_is_refused_and_the_call_goes_on_without_a_gap_wait(
    connect, admin, scripted_transcriber, chunks
):
    rep = connect(admin["token"])
    call_id = start_call(rep, audio=OPUS)
    assert send(rep, call_id, 0, chunks[0])["ok"]
    refused = send(rep, call_id, 1, b"\x00\x09\x48")  # says 9 bytes, carries 1
    assert refused["ok"] is False
    assert refused["error"]["code"] == "bad_audio_chunk"
    assert refused["error"]["fields"] == {"data": ["packet_size"]}
    assert send(rep, call_id, 1, chunks[1])["error"]["code"] == "duplicate_seq"
    for seq in (2, 3, 4):
        assert send(rep, call_id, seq, chunks[seq])["ok"]
    stream = scripted_transcriber.streams[0]
    assert len(stream.chunks) == 4  # chunks 0, 2, 3, 4: forwarded at once, no gap wait
    finals = [r for r in received(rep, "transcript") if r["is_final"]]
    assert len(finals) == 1  # the call went on past the refused chunk
    ack(rep, "call:stop", {"call_id": call_id})  # the stop flushes a second final
    assert db.session.query(Utterance).filter_by(call_id=call_id).count() == 2


def test_a_pcm_call_is_not_checked_for_opus_framing(connect, admin, scripted_transcriber):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    assert send(rep, call_id, 0, b"\x00\x09\x48\x00")["ok"]
    assert scripted_transcriber.streams[0].chunks == [b"\x00\x09\x48\x00"]


def test_resuming_an_opus_call_on_a_fresh_worker_goes_on_from_the_next_chunk(
    connect, admin, sessions, scripted_transcriber, chunks
):
    rep = connect(admin["token"])
    call_id = start_call(rep, audio=OPUS)
    assert all(send(rep, call_id, i, c)["ok"] for i, c in enumerate(chunks[:4]))
    sessions.shutdown(timeout=2)
    call = db.session.get(Call, call_id)
    call.started_at = utcnow()
    db.session.commit()
    sessions.janitor.stop()
    sessions.draining = False
    again = connect(admin["token"])
    resumed = ack(
        again,
        "call:start",
        {"resume_call_id": call_id, "resume_seq": {"rep": 4}, "audio": OPUS},
    )
    assert resumed["ok"] and resumed["next_seq"] == {"rep": 4}
    assert send(again, call_id, 3, chunks[3])["error"]["code"] == "duplicate_seq"
    assert all(send(again, call_id, i, chunks[i])["ok"] for i in range(4, 8))
    revived = scripted_transcriber.streams[-1]
    assert scripted_transcriber.formats[-1].encoding == "linear16"
    expected_ms = sum(chunk_samples(c) for c in chunks[4:8]) // 48
    assert expected_ms - 3 <= pcm_ms(revived) <= expected_ms
    ack(again, "call:stop", {"call_id": call_id})
