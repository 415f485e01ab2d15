"""Stream-timeline bookkeeping of the Deepgram provider (no network)."""

from __future__ import annotations

from types import SimpleNamespace

from app.services.transcription.base import AudioFormat, TranscriptResult
from app.services.transcription.deepgram.results import ResultMapper
from app.services.transcription.deepgram.timeline import (
    AudioClock,
    ConnectionTimeline,
    ReplayBuffer,
)


def _results(start: float, words: list[tuple[str, float, float]], is_final: bool = True):
    word_objs = [
        SimpleNamespace(word=w, punctuated_word=w, start=s, end=e, confidence=0.9)
        for w, s, e in words
    ]
    duration = (words[-1][2] - start) if words else 0.5
    alt = SimpleNamespace(
        transcript=" ".join(w for w, _, _ in words), confidence=0.9, words=word_objs
    )
    return SimpleNamespace(
        type="Results",
        start=start,
        duration=duration,
        is_final=is_final,
        speech_final=True,
        from_finalize=False,
        channel=SimpleNamespace(alternatives=[alt]),
    )


def test_pcm_chunks_are_stamped_by_their_byte_count():
    clock = AudioClock(AudioFormat())
    first, second = clock.stamp(b"\0" * 3200), clock.stamp(b"\0" * 1600)
    assert (first.start_ms, first.end_ms) == (0, 100)
    assert (second.start_ms, second.end_ms) == (100, 150)


def test_replay_cuts_the_first_chunk_at_the_covered_point_on_a_sample_frame():
    clock = AudioClock(AudioFormat(channels=2))  # 4-byte frames, 64 bytes per ms
    buffer = ReplayBuffer(max_ms=10_000)
    buffer.add(clock.stamp(bytes(range(256)) * 25))  # 100 ms
    pending = buffer.pending(clock, covered_ms=40.03)
    assert len(pending[0].data) % 4 == 0
    assert pending[0].start_ms == 40
    assert len(pending[0].data) == 6400 - 40 * 64


def test_replay_buffer_keeps_at_most_its_bound_and_reports_what_it_dropped():
    clock = AudioClock(AudioFormat())
    buffer = ReplayBuffer(max_ms=250)
    lost = [buffer.add(clock.stamp(b"\1" * 3200)) for _ in range(4)]  # 4 x 100 ms
    assert lost == [0, 0, 100, 100]
    assert [c.start_ms for c in buffer.pending(clock, covered_ms=0)] == [200, 300]


def test_timeline_maps_a_reconnected_connection_onto_the_stream_clock_across_a_gap():
    clock = AudioClock(AudioFormat())
    chunks = [clock.stamp(b"\1" * 3200) for _ in range(4)]  # 0-100-200-300-400 ms
    timeline = ConnectionTimeline()
    timeline.record(chunks[1])  # replay starts at 100 ms
    timeline.record(chunks[3])  # chunk 2 was dropped: a 100 ms gap
    assert timeline.to_stream_ms(0.0) == 100
    assert timeline.to_stream_ms(0.05) == 150
    assert timeline.to_stream_ms(0.15) == 350


def test_words_already_covered_by_a_final_are_not_delivered_again():
    got: list[TranscriptResult] = []
    mapper = ResultMapper(got.append)

    def identity(s):
        return round(s * 1000)

    mapper.handle(_results(0.0, [("one", 0.0, 0.4), ("two", 0.4, 0.8)]), identity)
    mapper.handle(_results(0.6, [("two", 0.6, 0.8), ("three", 0.8, 1.2)]), identity)
    assert [r.text for r in got] == ["one two", "three"]
    assert got[1].start_ms == 800


def test_a_consumer_that_raises_does_not_break_the_mapper():
    def explode(_: TranscriptResult) -> None:
        raise RuntimeError("consumer bug")

    mapper = ResultMapper(explode)
    mapper.handle(_results(0.0, [("one", 0.0, 0.4)]), lambda s: round(s * 1000))
    assert mapper.covered_ms == 400
