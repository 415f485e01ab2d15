"""A benchmark server process: the app exactly as ``wsgi.py`` builds it, served by
Flask-SocketIO on HOST/PORT, plus (with ``BENCH_STALL_PROBE=1``) an event-loop stall probe.

The probe is a background task that sleeps 10 ms in a loop and records the largest extra
delay it saw; ``GET /bench/stall`` returns it and ``?reset=1`` starts a new window. It lives
here, in bench/, so production code paths carry nothing of it.
Run: ``python -m bench.server`` (the harness in bench/harness.py starts it).
"""

from __future__ import annotations

from app.serving import patch_for_async_mode

patch_for_async_mode()  # before anything else imports threading or socket

import os  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

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


def xor_mask(data: bytes, mask: bytes, length: int | None = None, offset: int = 0) -> bytes:
    """RFC 6455 unmasking as one big-integer XOR (what eventlet does a byte at a time)."""
    n = len(data) if length is None else length
    turn = offset % 4
    key = ((mask[turn:] + mask[:turn]) * (n // 4 + 1))[:n]
    value = int.from_bytes(data[:n], "little") ^ int.from_bytes(key, "little")
    return value.to_bytes(n, "little")


def patch_ws_mask() -> None:
    """What-if for bench/ws_mask.py only (BENCH_FAST_WS_MASK=1); never in production paths."""
    from eventlet.websocket import RFC6455WebSocket

    RFC6455WebSocket._apply_mask = staticmethod(xor_mask)  # type: ignore[method-assign]


def main() -> None:
    import wsgi  # monkey-patches for the async mode, then builds the app
    from app.extensions import socketio
    from app.services.concurrency import spawn

    app = wsgi.app
    if os.environ.get("BENCH_FAST_WS_MASK") == "1":
        patch_ws_mask()
    if os.environ.get("BENCH_STALL_PROBE") == "1":
        from flask import request

        probe = StallProbe()
        spawn(probe.loop, name="bench-stall-probe")
        app.add_url_rule(
            "/bench/stall",
            "bench_stall",
            lambda: probe.snapshot(request.args.get("reset") == "1"),
        )
    socketio.run(  # type: ignore[attr-defined]
        app,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "5000")),
        log_output=False,
    )


if __name__ == "__main__":
    main()
