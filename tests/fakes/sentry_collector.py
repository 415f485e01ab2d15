"""A loopback Sentry ingest endpoint: receives the real SDK's envelopes over HTTP.

Point ``SENTRY_DSN`` at :attr:`SentryCollector.dsn`; the SDK's own HTTP transport posts
(gzip-compressed) envelopes to ``/api/<project>/envelope/``. Every request body is kept
decoded, so a test can search the exact bytes that would have left the server.
"""

from __future__ import annotations

import gzip
import json
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class SentryCollector:
    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self._lock = threading.Lock()
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                collector._keep(raw, self.headers.get("Content-Encoding") or "")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def dsn(self) -> str:
        return f"http://publickey@127.0.0.1:{self._server.server_address[1]}/1"

    def _keep(self, raw: bytes, encoding: str) -> None:
        if encoding == "gzip":
            raw = gzip.decompress(raw)
        elif encoding == "deflate":
            raw = zlib.decompress(raw)
        elif encoding == "br":
            import brotli  # type: ignore[import-not-found]  # only if the SDK chose it

            raw = brotli.decompress(raw)
        with self._lock:
            self.bodies.append(raw)

    def payload(self) -> str:
        """Everything received, as text (envelopes are newline-separated JSON)."""
        with self._lock:
            return b"\n".join(self.bodies).decode("utf-8", errors="replace")

    def events(self) -> list[dict[str, Any]]:
        """The error events among the envelopes' items."""
        found = []
        for line in self.payload().splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict) and ("exception" in item or "logentry" in item):
                found.append(item)
        return found

    def __enter__(self) -> SentryCollector:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
