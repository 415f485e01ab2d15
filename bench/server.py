"""A benchmark server process: the app exactly as ``wsgi.py`` builds it, served by
Flask-SocketIO on HOST/PORT, plus (with ``BENCH_STALL_PROBE=1``) an event-loop stall probe.

With ``BENCH_SCRIPT=dev-unique`` the scripted transcriber speaks the moments dev set instead
of its four sentences, each final numbered so no text repeats: the sentence encoder then runs
on every final, the detector's worst case under load.

The probe is a background task that sleeps 10 ms in a loop and records the largest extra
delay it saw; ``GET /bench/stall`` returns it and ``?reset=1`` starts a new window. It lives
here, in bench/, so production code paths carry nothing of it.
Run: ``python -m bench.server`` (the harness in bench/harness.py starts it).
"""

# ruff: noqa: I001 - wsgi must come first: it monkey-patches, then builds the app
import wsgi

import itertools
import threading
import time
from collections.abc import Iterator
from typing import Any

TICK_S = 0.01


class StallProbe:
    def __init__(self) -> None:
        self.max_gap_ms = 0.0
        self.over_20ms = 0
        self.ticks = 0
        self._lock = threading.Lock()

    def loop(self) -> None:
        while True:
            start = time.monotonic()
            time.sleep(TICK_S)
            gap_ms = (time.monotonic() - start - TICK_S) * 1000
            with self._lock:
                self.ticks += 1
                self.max_gap_ms = max(self.max_gap_ms, gap_ms)
                self.over_20ms += gap_ms > 20

    def snapshot(self, reset: bool) -> dict[str, Any]:
        with self._lock:
            out = {"max_gap_ms": self.max_gap_ms, "over_20ms": self.over_20ms, "ticks": self.ticks}
            if reset:
                self.max_gap_ms, self.over_20ms, self.ticks = 0.0, 0, 0
        return out


def unique_dev_lines() -> Iterator[str]:
    """The dev set's lines, numbered so that no final repeats one the encoder has seen."""
    from bench.moments import SETS, load_set

    lines = [row.text for row in load_set(SETS["dev"])]
    for n in itertools.count():
        yield f"{lines[n % len(lines)]} {n}"


def main() -> None:
    import os

    from app.container import get_services
    from app.serving import run
    from app.services.concurrency import spawn
    from app.services.transcription.scripted import ScriptedTranscriber

    app = wsgi.app
    if os.environ.get("BENCH_SCRIPT") == "dev-unique":
        scripted = ScriptedTranscriber(record=False)
        scripted.sentences = unique_dev_lines()
        get_services(app).transcriber = scripted
    if os.environ.get("BENCH_STALL_PROBE") == "1":
        from flask import request

        probe = StallProbe()
        spawn(probe.loop, name="bench-stall-probe")
        app.add_url_rule(
            "/bench/stall",
            "bench_stall",
            lambda: probe.snapshot(request.args.get("reset") == "1"),
        )
    run(app)


if __name__ == "__main__":
    main()
