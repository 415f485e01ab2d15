"""The Deepgram provider through the real SDK against the loopback fake: the happy paths."""

from __future__ import annotations

import time

import pytest

from app.services.transcription.base import TranscriberUnavailable
from tests.transcription.deepgram_helpers import (
    PCM,
    WINDOW,
    wait_until,
    window,
)


def test_interim_and_final_results_flow_with_word_timings(fake, make_transcriber, recorder):
    stream = make_transcriber(fake.url).open_stream(PCM, recorder.on_result, recorder.on_status)
    for value in (1, 1, 2, 2):
        stream.send(window(value, WINDOW // 2))
    stream.send(window(0))  # silence: the fake ends the utterance with UtteranceEnd

    assert recorder.wait_for(lambda: len(recorder.finals) == 1)
    final = recorder.finals[0]
    assert (final.text, final.start_ms, final.end_ms) == ("segment 1 segment 2", 0, 1000)
    assert [(w.text, w.start_ms, w.end_ms) for w in final.words] == [
        ("segment", 0, 250),
        ("1", 250, 500),
        ("segment", 500, 750),
        ("2", 750, 1000),
    ]
    assert 0 < final.confidence <= 1
    interims = [r for r in recorder.results if not r.is_final]
    assert interims[0].text == "segment 1"
    assert any(r.text == "segment 1 segment 2" for r in interims)  # the utterance so far
    assert recorder.states == ["live"]
    stream.abort()


def test_connect_sends_the_configured_query_and_token(fake, make_transcriber, recorder):
    stream = make_transcriber(fake.url).open_stream(PCM, recorder.on_result, recorder.on_status)
    recorder.wait_state("live")
    query = fake.connections[0].query
    assert query["model"] == "nova-3"
    assert query["encoding"] == "linear16"
    assert (query["sample_rate"], query["channels"]) == ("16000", "1")
    assert (query["interim_results"], query["smart_format"]) == ("true", "true")
    assert (query["endpointing"], query["utterance_end_ms"]) == ("300", "1000")
    stream.abort()


def test_opus_stream_lets_deepgram_sniff_the_container(fake, make_transcriber, recorder):
    from app.services.transcription.base import AudioFormat

    opus = AudioFormat(encoding="opus", sample_rate=48000, channels=2)
    stream = make_transcriber(fake.url).open_stream(opus, recorder.on_result, recorder.on_status)
    recorder.wait_state("live")
    assert not {"encoding", "sample_rate", "channels"} & set(fake.connections[0].query)
    stream.abort()


def test_speech_final_closes_each_utterance(fake, make_transcriber, recorder):
    fake.config.speech_final_every = 1
    stream = make_transcriber(fake.url).open_stream(PCM, recorder.on_result, recorder.on_status)
    for value in (1, 2, 3):
        stream.send(window(value))
    assert recorder.wait_for(lambda: len(recorder.finals) == 3)
    assert [(f.text, f.start_ms) for f in recorder.finals] == [
        ("segment 1", 0),
        ("segment 2", 500),
        ("segment 3", 1000),
    ]
    stream.abort()


def test_finish_flushes_with_finalize_and_close_stream_and_returns_the_last_final(
    fake, make_transcriber, recorder
):
    stream = make_transcriber(fake.url).open_stream(PCM, recorder.on_result, recorder.on_status)
    stream.send(window(5))
    stream.send(window(7, WINDOW // 2))  # half a window: only Finalize makes it final
    stream.finish(timeout=5)

    assert [f.text for f in recorder.finals] == ["segment 5 segment 7"]
    assert recorder.finals[0].end_ms == 750
    conn = fake.connections[0]
    assert conn.controls[-2:] == ["Finalize", "CloseStream"]
    assert conn.close_reason == "close_stream"


def test_finish_gives_up_at_its_timeout_when_results_are_slow(fake, make_transcriber, recorder):
    fake.config.result_delay_s = 1.0  # every server message arrives 1 s late
    transcriber = make_transcriber(fake.url)
    stream = transcriber.open_stream(PCM, recorder.on_result, recorder.on_status)
    recorder.wait_state("live")
    stream.send(window(5))
    stream.finish(timeout=0.3)
    assert recorder.finals == []  # returned without waiting for the late final
    assert wait_until(lambda: transcriber.active_streams == 0, timeout=5)


def test_empty_chunk_is_never_sent(fake, make_transcriber, recorder):
    stream = make_transcriber(fake.url).open_stream(PCM, recorder.on_result, recorder.on_status)
    stream.send(b"")
    stream.send(window(1))
    stream.send(b"")
    stream.finish(timeout=5)
    conn = fake.connections[0]
    assert conn.empty_frames == 0
    assert (conn.audio_frames, conn.audio_bytes) == (1, WINDOW)
    assert conn.close_reason == "close_stream"


def test_keepalive_holds_a_silent_stream_open_past_the_silence_timeout(
    fake, make_transcriber, recorder
):
    fake.config.silence_timeout_s = 1.0
    transcriber = make_transcriber(fake.url, keepalive_interval_s=0.3)
    stream = transcriber.open_stream(PCM, recorder.on_result, recorder.on_status)
    stream.send(window(1))
    time.sleep(2.5)  # 2.5x the fake's silence timeout with no audio
    stream.send(window(2))
    stream.finish(timeout=5)

    assert len(fake.connections) == 1
    assert fake.connections[0].keepalives >= 4
    assert fake.connections[0].close_reason == "close_stream"
    assert [f.text for f in recorder.finals] == ["segment 1 segment 2"]
    assert "reconnecting" not in recorder.states


def test_without_keepalive_the_fake_closes_a_silent_stream(fake, make_transcriber, recorder):
    fake.config.silence_timeout_s = 0.5
    transcriber = make_transcriber(fake.url, keepalive_interval_s=30.0)
    stream = transcriber.open_stream(PCM, recorder.on_result, recorder.on_status)
    status = recorder.wait_state("reconnecting", timeout=5)
    assert status.reason == "provider_disconnected"
    assert fake.connections[0].close_reason == "silence_timeout"
    stream.abort()


def test_streams_beyond_max_streams_are_refused_with_provider_capacity(
    fake, make_transcriber, recorder
):
    transcriber = make_transcriber(fake.url, max_streams=2)
    first = transcriber.open_stream(PCM, recorder.on_result, recorder.on_status)
    transcriber.open_stream(PCM, recorder.on_result, recorder.on_status)
    with pytest.raises(TranscriberUnavailable) as refused:
        transcriber.open_stream(PCM, recorder.on_result, recorder.on_status)
    assert refused.value.code == "provider_capacity"

    first.finish(timeout=5)
    assert wait_until(lambda: transcriber.active_streams == 1, timeout=5)
    transcriber.open_stream(PCM, recorder.on_result, recorder.on_status).abort()


def test_abort_closes_the_stream_and_frees_its_slot(fake, make_transcriber, recorder):
    transcriber = make_transcriber(fake.url)
    stream = transcriber.open_stream(PCM, recorder.on_result, recorder.on_status)
    recorder.wait_state("live")
    stream.abort()
    assert wait_until(lambda: transcriber.active_streams == 0, timeout=5)
    stream.send(window(1))  # ignored after abort
    assert fake.connections[0].audio_bytes == 0
