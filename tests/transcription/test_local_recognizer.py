"""End-to-end tests of the local recognizer with real worker processes and espeak-ng speech."""

from __future__ import annotations

import os
import signal

import pytest

from app.services.transcription.base import AudioFormat, TranscriberUnavailable
from app.services.transcription.local.settings import LocalAsrSettings
from app.services.transcription.local.transcriber import LocalTranscriber
from tests.speech import synthesize, to_webm
from tests.transcription.deepgram_helpers import Recorder
from tests.transcription.helpers import stream_audio

SILENCE_1S = b"\x00\x00" * 16000


def open_collected(asr: LocalTranscriber, fmt: AudioFormat | None = None) -> tuple:
    sink = Recorder()
    return asr.open_stream(fmt or AudioFormat(), sink.on_result, sink.on_status), sink


def words_of(text: str) -> set[str]:
    return {w.strip(".,?!").lower() for w in text.split()}


def test_streamed_speech_gives_partials_then_a_final_with_words(
    transcriber: LocalTranscriber, speech: bytes
) -> None:
    stream, sink = open_collected(transcriber)
    stream_audio(stream, SILENCE_1S + speech + SILENCE_1S)
    assert sink.wait_for(lambda: bool(sink.finals), timeout=20), "no final after the closing pause"
    stream.finish(10)
    final = sink.finals[0]
    assert {"price", "expensive"} <= words_of(final.text)
    first_final = sink.results.index(final)
    assert any(not r.is_final for r in sink.results[:first_final]), "no partial before final"
    assert 600 <= final.start_ms <= 1100 and final.end_ms <= 1000 + len(speech) // 32 + 300
    assert final.words and final.words[0].start_ms >= final.start_ms
    assert all(a.start_ms <= b.start_ms for a, b in zip(final.words, final.words[1:], strict=False))
    assert 0.0 < final.confidence <= 1.0
    assert final.alternatives and final.text not in final.alternatives  # next-best readings
    assert all(not r.alternatives for r in sink.results if not r.is_final)


def test_finish_flushes_speech_that_had_no_trailing_silence(
    transcriber: LocalTranscriber, speech: bytes
) -> None:
    stream, sink = open_collected(transcriber)
    stream_audio(stream, SILENCE_1S + speech[: len(speech) * 9 // 10], pause=0.005)
    stream.send(b"")  # ignored
    stream.finish(15)
    assert sink.finals and "price" in words_of(sink.finals[-1].text)


def test_webm_opus_stream_is_transcribed(transcriber: LocalTranscriber, speech: bytes) -> None:
    data = to_webm(SILENCE_1S + speech + SILENCE_1S)
    stream, sink = open_collected(transcriber, AudioFormat("opus", 48000, 2))
    for i in range(0, len(data), 2000):
        stream.send(data[i : i + 2000])
    stream.finish(15)
    assert sink.finals and "expensive" in words_of(" ".join(r.text for r in sink.finals))


def test_undecodable_opus_reports_unsupported_audio(transcriber: LocalTranscriber) -> None:
    stream, sink = open_collected(transcriber, AudioFormat("opus", 48000, 1))
    stream.send(b"definitely not a webm header" * 100)
    assert sink.wait_for(lambda: bool(sink.statuses), timeout=10)
    assert (sink.statuses[0].state, sink.statuses[0].reason) == ("failed", "unsupported_audio")
    stream.finish(5)


def test_unsupported_format_is_refused_at_open(transcriber: LocalTranscriber) -> None:
    with pytest.raises(TranscriberUnavailable) as err:
        transcriber.open_stream(AudioFormat("linear16", 1000, 1), print, print)
    assert err.value.code == "unsupported_audio"


def test_missing_model_dir_makes_the_provider_unavailable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    asr = LocalTranscriber(LocalAsrSettings(model_path=str(tmp_path / "nope")))
    with pytest.raises(TranscriberUnavailable) as err:
        asr.open_stream(AudioFormat(), print, print)
    assert err.value.code == "asr_model_missing"


def test_killed_worker_is_reported_and_the_pool_recovers(speech: bytes) -> None:
    asr = LocalTranscriber(LocalAsrSettings(workers=1, cpu_threads=1))
    try:
        assert asr.wait_ready(30)
        stream, sink = open_collected(asr)
        stream_audio(stream, SILENCE_1S + speech[: len(speech) // 2], pause=0.005)
        (pid,) = asr.worker_pids()
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        assert sink.wait_for(lambda: any(s.state == "reconnecting" for s in sink.statuses), 20)
        assert sink.statuses[0].reason == "asr_worker_lost"
        assert sink.wait_for(lambda: sink.statuses[-1].state == "live", timeout=30)
        assert asr.worker_pids()[0] not in (None, pid)
        # the interrupted PCM stream continues on the new worker, its clock intact
        stream_audio(stream, SILENCE_1S + speech + SILENCE_1S, pause=0.005)
        stream.finish(15)
        assert sink.finals and sink.finals[-1].start_ms > len(speech) // 64 + 1000
        fresh, fresh_sink = open_collected(asr)
        stream_audio(fresh, speech + SILENCE_1S, pause=0.005)
        fresh.finish(15)
        assert fresh_sink.finals and "price" in words_of(fresh_sink.finals[0].text)
    finally:
        asr.close()


def test_two_sentences_said_twice_without_a_pause_come_out_once_in_the_final(
    transcriber: LocalTranscriber, tmp_path
) -> None:
    # Back to back, the pause between the two copies is too short to close the utterance:
    # both land in one recognition window, which would otherwise come out as "A. B. A. B."
    twice = synthesize("I think your price is too expensive. We saw an elephant.", tmp_path)
    stream, sink = open_collected(transcriber)
    stream_audio(stream, SILENCE_1S + twice + twice + SILENCE_1S)
    assert sink.wait_for(lambda: bool(sink.finals), timeout=30), "no final"
    stream.finish(10)
    finals = [(f.text, f.start_ms, f.end_ms) for f in sink.finals]
    assert len(finals) == 1, f"the two copies were not one utterance: {finals}"
    text = finals[0][0].lower()
    assert text.count("expensive") == 1 and text.count("elephant") == 1, finals
