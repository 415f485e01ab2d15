"""The recognition worker's scheduling: finals of all its streams in one batch, before any
partial, and partials batched on a pass with no final (a fake recognizer, no model)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

import numpy as np

from app.services.transcription.local.framing import Frame, FrameReader, Kind
from app.services.transcription.local.recognizer import Hypothesis
from app.services.transcription.local.settings import LocalAsrSettings
from app.services.transcription.local.worker import Worker

RATE = 16000


def pcm(seconds: float, loud: bool) -> bytes:
    """Silence, or noise with syllable-like dips (steady noise would become the VAD's floor)."""
    n = int(seconds * RATE)
    if not loud:
        return bytes(2 * n)
    envelope = np.where(np.arange(n) % 4800 < 3840, 0.2, 0.01)  # 240 ms on, 60 ms dip
    noise = np.random.default_rng(7).standard_normal(n) * envelope
    return (noise * 32767).astype(np.int16).tobytes()


class FakeRecognizer:
    def __init__(self) -> None:
        self.calls: list[tuple[int, bool]] = []

    def transcribe_many(self, audios: Sequence[np.ndarray], final: bool) -> list[Hypothesis]:
        self.calls.append((len(audios), final))
        return [Hypothesis("words", 0.9) for _ in audios]


class Wire:
    """Stands in for the worker's socket: keeps what the worker sends."""

    def __init__(self) -> None:
        self.data = b""

    def sendall(self, data: bytes) -> None:
        self.data += data

    def frames(self) -> list[Frame]:
        return FrameReader().feed(self.data)


def make_worker(**settings: Any) -> tuple[Worker, FakeRecognizer, Wire]:
    recognizer, wire = FakeRecognizer(), Wire()
    worker = Worker(cast(Any, wire), LocalAsrSettings(**settings), recognizer)
    return worker, recognizer, wire


def feed(worker: Worker, sid: int, audio: bytes) -> None:
    worker.apply(("frame", Frame(Kind.AUDIO, sid, audio)))


def open_streams(worker: Worker, *sids: int) -> None:
    for sid in sids:
        body = json.dumps({"encoding": "linear16", "sample_rate": RATE}).encode()
        worker.apply(("frame", Frame(Kind.OPEN, sid, body)))


def test_finals_of_all_streams_are_decoded_in_one_batch() -> None:
    worker, recognizer, wire = make_worker()
    open_streams(worker, 1, 2, 3)
    for sid in (1, 2, 3):
        feed(worker, sid, pcm(0.5, False) + pcm(1.5, True) + pcm(1.0, False))
    worker.recognise()
    assert recognizer.calls == [(3, True)]
    results = [f for f in wire.frames() if f.kind == Kind.RESULT]
    assert sorted(f.stream_id for f in results) == [1, 2, 3]
    assert all(f.json()["is_final"] for f in results)


def test_a_pass_with_a_final_leaves_partials_for_the_next_pass() -> None:
    worker, recognizer, _ = make_worker(partial_interval_s=1.0)
    open_streams(worker, 1, 2, 3)
    feed(worker, 1, pcm(0.5, False) + pcm(1.5, True) + pcm(1.0, False))  # a closed sentence
    feed(worker, 2, pcm(0.5, False) + pcm(1.5, True))  # still talking
    feed(worker, 3, pcm(0.5, False) + pcm(1.5, True))
    worker.recognise()
    worker.recognise()
    assert recognizer.calls == [(1, True), (2, False)]
    worker.recognise()  # no new audio: no partial is due again
    assert len(recognizer.calls) == 2


def test_batches_are_capped_and_finished_streams_report_after_their_final() -> None:
    worker, recognizer, wire = make_worker(max_batch=2)
    open_streams(worker, 1, 2, 3)
    for sid in (1, 2, 3):
        feed(worker, sid, pcm(0.5, False) + pcm(1.5, True))
        worker.apply(("frame", Frame(Kind.FINISH, sid)))
    worker.recognise()
    assert recognizer.calls == [(2, True), (1, True)]
    kinds = [(f.kind, f.stream_id) for f in wire.frames()]
    for sid in (1, 2, 3):
        assert kinds.index((Kind.RESULT, sid)) < kinds.index((Kind.FINISHED, sid))


class SlowRecognizer(FakeRecognizer):
    """Each decode takes 0.5 s on the worker's (fake) clock."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0

    def transcribe_many(self, audios: Sequence[np.ndarray], final: bool) -> list[Hypothesis]:
        self.now += 0.5
        return super().transcribe_many(audios, final)


def partials_on_a_busy_worker(share: float) -> int:
    """Six seconds of speech, one pass per second of audio, each decode taking half of it."""
    recognizer = SlowRecognizer()
    settings = LocalAsrSettings(partial_interval_s=1.0, partial_busy_share=share)
    worker = Worker(cast(Any, Wire()), settings, recognizer, clock=lambda: recognizer.now)
    open_streams(worker, 1)
    feed(worker, 1, pcm(0.2, False))
    for _ in range(6):
        feed(worker, 1, pcm(1.05, True))
        worker.recognise()
        recognizer.now += 0.5  # the rest of that second the worker waits for audio
    assert all(not final for _, final in recognizer.calls)
    return len(recognizer.calls)


def test_partials_thin_out_while_the_worker_is_busy() -> None:
    assert partials_on_a_busy_worker(1.0) == 6  # a share of 1.0 never stretches
    assert 2 <= partials_on_a_busy_worker(0.25) <= 4  # load ~50 %: interval ~doubled


def test_an_idle_worker_keeps_the_partial_cadence() -> None:
    worker, recognizer, _ = make_worker(partial_interval_s=1.0, partial_busy_share=0.25)
    open_streams(worker, 1)
    feed(worker, 1, pcm(0.2, False))
    for _ in range(6):
        feed(worker, 1, pcm(1.05, True))
        worker.recognise()
    assert recognizer.calls == [(1, False)] * 6


def results(wire: Wire) -> list[tuple[int, bool]]:
    return [(f.stream_id, f.json()["is_final"]) for f in wire.frames() if f.kind == Kind.RESULT]


def test_the_final_is_decoded_in_the_pause_and_sent_when_the_pause_closes_it() -> None:
    worker, recognizer, wire = make_worker()
    open_streams(worker, 1)
    feed(worker, 1, pcm(0.5, False) + pcm(1.5, True) + pcm(0.3, False))
    worker.recognise()  # 300 ms into the pause: the closing audio is settled
    assert recognizer.calls == [(1, True)] and results(wire) == []
    feed(worker, 1, pcm(0.6, False))  # the pause closes the utterance
    worker.recognise()
    assert recognizer.calls == [(1, True)]  # not decoded again
    assert results(wire) == [(1, True)]


def test_speech_resuming_after_an_early_final_turns_it_into_a_partial() -> None:
    worker, recognizer, wire = make_worker()
    open_streams(worker, 1)
    feed(worker, 1, pcm(0.5, False) + pcm(1.5, True) + pcm(0.3, False))
    worker.recognise()
    feed(worker, 1, pcm(0.5, True))  # the speaker goes on
    worker.recognise()
    assert results(wire) == [(1, False)]
    feed(worker, 1, pcm(0.7, False))
    worker.recognise()
    worker.recognise()
    assert recognizer.calls == [(1, True), (1, True)]  # the longer utterance, decoded anew
    assert results(wire) == [(1, False), (1, True)]
