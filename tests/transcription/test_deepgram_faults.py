"""Deepgram faults (docs/security.md rows F2-F5) through the real SDK against the loopback fake."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from tests.transcription.deepgram_helpers import (
    PCM,
    WINDOW,
    Recorder,
    wait_until,
    window,
)


def test_dropped_socket_reconnects_and_replays_only_unfinalised_audio(
    fake, make_transcriber, recorder
):
    fake.config.speech_final_every = 1  # one final utterance per window
    fake.config.drop_after_messages = 4  # SpeechStarted+Results twice: after "segment 2"
    fake.config.result_delay_s = 0.05  # all six windows are sent before the drop
    stream = make_transcriber(fake.url).open_stream(PCM, recorder.on_result, recorder.on_status)
    for value in range(1, 7):
        stream.send(window(value))

    assert recorder.wait_for(lambda: len(recorder.finals) == 6, timeout=10)
    assert recorder.states == ["live", "reconnecting", "live"]
    assert recorder.statuses[1].reason == "provider_disconnected"
    finals = recorder.finals
    assert [f.text for f in finals] == [f"segment {v}" for v in range(1, 7)]  # none twice
    assert [(f.start_ms, f.end_ms) for f in finals] == [(i * 500, i * 500 + 500) for i in range(6)]
    assert finals[3].words[0].start_ms == 1500  # word timings continue the stream's timeline
    first, second = fake.connections
    assert first.close_reason == "dropped"
    assert second.first_bytes[0] == 3  # replay starts after the last final...
    assert second.audio_bytes == 4 * WINDOW  # ...and finalised audio is never resent
    stream.finish(timeout=5)


def test_interims_after_a_reconnect_do_not_repeat_finalised_words(fake, make_transcriber, recorder):
    fake.config.drop_after_messages = 2  # after the first final
    fake.config.result_delay_s = 0.05
    stream = make_transcriber(fake.url).open_stream(PCM, recorder.on_result, recorder.on_status)
    stream.send(window(1))
    stream.send(window(2, WINDOW // 2))
    stream.send(window(2, WINDOW // 2))
    assert recorder.wait_for(lambda: len(recorder.statuses) == 3, timeout=10)
    stream.finish(timeout=5)
    texts = [f.text for f in recorder.finals]
    assert " ".join(texts).split().count("1") == 1
    assert texts[-1].endswith("segment 2")


def test_auth_failure_at_handshake_fails_without_retry(fake, make_transcriber, recorder):
    fake.config.api_key = "another-key"
    transcriber = make_transcriber(fake.url)
    transcriber.open_stream(PCM, recorder.on_result, recorder.on_status)
    status = recorder.wait_state("failed")
    assert status.reason == "provider_auth_failed"
    time.sleep(0.5)  # a retry, if any, would happen within the 0.05-0.2 s backoff
    assert fake.handshakes == 1
    assert recorder.states == ["failed"]
    assert wait_until(lambda: transcriber.active_streams == 0, timeout=2)


def test_rate_limited_handshake_retries_a_bounded_number_of_times_then_degrades(
    fake, make_transcriber, recorder
):
    fake.config.reject_status = 429
    stream = make_transcriber(fake.url, reconnect_max_attempts=3).open_stream(
        PCM, recorder.on_result, recorder.on_status
    )
    status = recorder.wait_state("degraded")
    assert status.reason == "provider_rate_limited"
    assert fake.handshakes == 3
    time.sleep(0.6)  # no retry storm: the next probe waits degraded_retry_interval_s
    assert fake.handshakes == 3
    stream.abort()


def test_degraded_stream_recovers_when_the_provider_accepts_again(fake, make_transcriber, recorder):
    fake.config.reject_status = 429
    transcriber = make_transcriber(
        fake.url, reconnect_max_attempts=2, degraded_retry_interval_s=0.3
    )
    stream = transcriber.open_stream(PCM, recorder.on_result, recorder.on_status)
    recorder.wait_state("degraded")
    fake.config.reject_status = None
    stream.send(window(4))  # queued while degraded, sent once live
    recorder.wait_state("live", timeout=5)
    stream.finish(timeout=5)
    assert [f.text for f in recorder.finals] == ["segment 4"]


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_refused_connection_degrades_the_stream_at_once(make_transcriber, recorder, closed_port):
    transcriber = make_transcriber(f"ws://127.0.0.1:{closed_port}", connect_timeout_s=1.0)
    stream = transcriber.open_stream(PCM, recorder.on_result, recorder.on_status)
    status = recorder.wait_state("degraded", timeout=1.5)
    assert status.reason == "provider_unreachable"
    stream.send(window(1))  # a degraded stream still accepts audio without blocking
    stream.finish(timeout=1)


@pytest.fixture
def silent_listener() -> Iterator[int]:
    """A TCP port that accepts connections (backlog) but never answers the handshake."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield int(server.getsockname()[1])


def test_handshake_that_never_answers_degrades_after_the_connect_timeout(
    make_transcriber, recorder, silent_listener
):
    transcriber = make_transcriber(f"ws://127.0.0.1:{silent_listener}", connect_timeout_s=0.5)
    stream = transcriber.open_stream(PCM, recorder.on_result, recorder.on_status)
    status = recorder.wait_state("degraded", timeout=2.0)
    assert status.reason == "provider_unreachable"
    stream.abort()


def test_other_streams_are_unaffected_by_one_streams_drop(fake, make_transcriber, recorder):
    fake.config.speech_final_every = 1
    transcriber = make_transcriber(fake.url)
    other = Recorder()
    fake.config.drop_after_messages = 1
    dropped = transcriber.open_stream(PCM, recorder.on_result, recorder.on_status)
    dropped.send(window(1))
    recorder.wait_state("reconnecting")
    healthy = transcriber.open_stream(PCM, other.on_result, other.on_status)
    healthy.send(window(8))
    healthy.finish(timeout=5)
    assert [f.text for f in other.finals] == ["segment 8"]
    assert other.states == ["live"]
    dropped.abort()


def test_undecodable_audio_fails_the_stream_without_a_reconnect_loop(
    fake, make_transcriber, recorder
):
    fake.config.close_on_audio = (1008, "DATA-0000")
    stream = make_transcriber(fake.url).open_stream(PCM, recorder.on_result, recorder.on_status)
    stream.send(window(1))
    status = recorder.wait_state("failed")
    assert status.reason == "provider_unsupported_audio"
    time.sleep(0.3)
    assert fake.handshakes == 1


def test_a_provider_that_keeps_closing_silently_degrades_instead_of_looping(
    fake, make_transcriber, recorder
):
    fake.config.close_on_audio = (1011, "NET-0000")
    transcriber = make_transcriber(fake.url, reconnect_max_attempts=3)
    stream = transcriber.open_stream(PCM, recorder.on_result, recorder.on_status)
    stream.send(window(1))
    status = recorder.wait_state("degraded")
    assert status.reason == "provider_disconnected"
    time.sleep(0.5)
    assert fake.handshakes == 3
    stream.abort()


def test_audio_beyond_the_send_queue_drops_the_oldest_and_keeps_the_timeline(
    fake, make_transcriber, recorder
):
    fake.config.reject_status = 429
    fake.config.speech_final_every = 1
    transcriber = make_transcriber(
        fake.url, reconnect_max_attempts=1, degraded_retry_interval_s=0.5, send_queue_max_chunks=2
    )
    stream = transcriber.open_stream(PCM, recorder.on_result, recorder.on_status)
    recorder.wait_state("degraded")
    for value in range(1, 6):  # never blocks; only the last two fit
        stream.send(window(value))
    fake.config.reject_status = None
    recorder.wait_state("live", timeout=5)
    stream.finish(timeout=5)
    assert [(f.text, f.start_ms) for f in recorder.finals] == [
        ("segment 4", 1500),
        ("segment 5", 2000),
    ]
