"""The encode pump: batched passes off the caller, deadlines and failures answer False."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from app.services.coaching.encode_pump import EncodePump
from app.services.concurrency import spawn


class Encoder:
    def __init__(self, fail: bool = False) -> None:
        self.passes: list[list[str]] = []
        self.started = threading.Event()
        self.release = threading.Event()
        self.fail = fail

    def encode_many(self, texts: Sequence[str]) -> None:
        self.passes.append(list(texts))
        self.started.set()
        self.release.wait(5)
        if self.fail:
            raise RuntimeError("broken encoder")


def _ask(pump: EncodePump, text: str, deadline: float, out: dict[str, bool]) -> None:
    out[text] = pump.encode(text, deadline)


def test_requests_that_queue_during_a_pass_share_the_next_one() -> None:
    encoder = Encoder()
    pump = EncodePump(encoder.encode_many, run=lambda fn, *a: fn(*a))
    answers: dict[str, bool] = {}
    first = spawn(_ask, pump, "one", 1e6, answers)
    assert encoder.started.wait(5)
    rest = [spawn(_ask, pump, text, 1e6, answers) for text in ("two", "three", "two")]
    while len(pump._jobs) < 3:  # wait until all three are queued
        threading.Event().wait(0.01)
    encoder.release.set()
    for thread in (first, *rest):
        thread.join(5)
    assert encoder.passes == [["one"], ["two", "three"]]
    assert answers == {"one": True, "two": True, "three": True}
    assert (pump.stats.passes, pump.stats.texts) == (2, 3)


def test_a_request_past_its_deadline_is_not_encoded() -> None:
    encoder = Encoder()
    now = [100.0]
    pump = EncodePump(encoder.encode_many, clock=lambda: now[0], run=lambda fn, *a: fn(*a))
    encoder.release.set()
    assert pump.encode("too late", deadline=99.0) is False
    assert pump.encode("in time", deadline=101.0) is True
    assert encoder.passes == [["in time"]]
    assert pump.stats.expired == 1


def test_a_failed_pass_answers_false_and_the_pump_goes_on() -> None:
    encoder = Encoder(fail=True)
    encoder.release.set()
    pump = EncodePump(encoder.encode_many, run=lambda fn, *a: fn(*a))
    assert pump.encode("a", 1e6) is False
    encoder.fail = False
    assert pump.encode("b", 1e6) is True
    assert pump.stats.failed == 1


def test_texts_asked_together_share_one_pass() -> None:
    encoder = Encoder()
    encoder.release.set()
    pump = EncodePump(encoder.encode_many, run=lambda fn, *a: fn(*a))
    assert pump.encode_all(["where do I shine", "where do I sign", "we're do I sign"], 1e6)
    assert encoder.passes == [["where do I shine", "where do I sign", "we're do I sign"]]


def test_texts_asked_together_fail_together() -> None:
    encoder = Encoder(fail=True)
    encoder.release.set()
    pump = EncodePump(encoder.encode_many, run=lambda fn, *a: fn(*a))
    assert pump.encode_all(["a", "b"], 1e6) is False
