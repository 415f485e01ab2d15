"""A loopback fake of the Anthropic Messages API (``POST /v1/messages``) for tests and benches.

It is a real HTTP server on 127.0.0.1 (an ephemeral port), so the real ``anthropic`` SDK is
exercised end to end: auth header, JSON and SSE streaming, error bodies and headers. Each
request takes the next scripted :class:`Reply` (FIFO), or ``default`` when the script is empty.
Every request is recorded (headers and JSON body) so tests can assert prompt content.

Requests are routed by their forced tool: card requests (``suggest``) take replies from
``script`` / ``default`` and are recorded in ``requests``; guidance requests (``guide``)
take them from ``guide_script`` / ``guide_default`` and are recorded in ``guide_requests``.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

API_KEY = "test-key"
THREAD_PREFIX = "fake-anthropic-conn"
_ids = itertools.count(1)
GUIDANCE_INPUT: dict[str, Any] = {
    "focus": {
        "what": "Tie the demo to their Q3 hiring push",
        "why": "They said onboarding new reps takes too long.",
        "urgency": "medium",
    },
    "key_questions": [
        {
            "primary": "How many reps are you hiring this quarter?",
            "alternatives": [
                "What does the hiring plan look like?",
                "How fast is the team growing?",
            ],
            "context": "Size the pain before the demo.",
        },
        {
            "primary": "How long until a new rep closes a first deal?",
            "alternatives": ["What is ramp time today?", "When is a new hire fully productive?"],
            "context": "Puts a number on onboarding.",
        },
    ],
    "talking_points": ["Customers cut ramp time by a third."],
}


@dataclass
class Reply:
    """How the fake answers one request. Faults are opt-in fields."""

    tool_input: dict[str, Any] | None = field(
        default_factory=lambda: {
            "kind": "objection",
            "title": "Reframe price as value",
            "body": "Ask what a missed quarter costs them, then compare it to the price.",
        }
    )
    text: str | None = None  # a text block instead of (or before) the tool call
    status: int = 200
    error_type: str = "api_error"
    error_message: str = "Internal server error"
    error_code: str | None = None  # error.details.error_code
    retry_after: str | None = None
    first_delay_s: float = 0.0  # before the response headers (slow first token)
    delta_delay_s: float = 0.0  # between deltas
    chunk_chars: int = 6  # size of each input_json_delta / text_delta piece
    stall_after: int | None = None  # stop sending after this many deltas, keep socket open
    error_after: int | None = None  # send an SSE error event after this many deltas
    refusal: bool = False  # empty content, stop_reason "refusal"

    @classmethod
    def guidance(cls, **kw: Any) -> Reply:
        """A well-formed answer of the ``guide`` tool (override fields with ``tool_input``)."""
        return cls(tool_input=kw.pop("tool_input", None) or dict(GUIDANCE_INPUT), **kw)

    @classmethod
    def error(cls, status: int, error_type: str, message: str, **kw: Any) -> Reply:
        return cls(status=status, error_type=error_type, error_message=message, **kw)

    @classmethod
    def rate_limited(cls, retry_after: str = "1") -> Reply:
        return cls.error(
            429,
            "rate_limit_error",
            "Number of requests has exceeded your rate limit",
            retry_after=retry_after,
        )

    @classmethod
    def spend_limited(cls, with_code: bool = True) -> Reply:
        message = "You have reached your specified API usage limits."
        code = "enforced_spend_limit_reached" if with_code else None
        return cls.error(429, "rate_limit_error", message, error_code=code, retry_after="1")

    @classmethod
    def overloaded(cls) -> Reply:
        return cls.error(529, "overloaded_error", "Overloaded")


def _tool_name(body: dict[str, Any]) -> str:
    choice = body.get("tool_choice")
    return str(choice.get("name", "suggest")) if isinstance(choice, dict) else "suggest"


def _sse(event: str, data: dict[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), max(1, size))] or [""]


class FakeAnthropic:
    """The server plus its script and recorded requests. Use as a context manager."""

    def __init__(self, api_key: str = API_KEY) -> None:
        self.api_key = api_key
        self.default = Reply()
        self.script: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.guide_default = Reply.guidance()
        self.guide_script: deque[Reply] = deque()
        self.guide_requests: list[dict[str, Any]] = []
        self.release = threading.Event()  # set at stop: stalled handlers let go
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-anthropic-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def push(self, *replies: Reply) -> None:
        with self._lock:
            self.script.extend(replies)

    def push_guidance(self, *replies: Reply) -> None:
        with self._lock:
            self.guide_script.extend(replies)

    def next_reply(
        self, body: dict[str, Any], headers: dict[str, str]
    ) -> tuple[Reply, dict[str, Any]]:
        """Record the request; ``sent`` gets the send time of each delta, ``done_at`` the end."""
        record = {
            "body": body,
            "headers": headers,
            "at": time.monotonic(),
            "sent": [],
            "done_at": None,
        }
        with self._lock:
            if _tool_name(body) == "guide":
                self.guide_requests.append(record)
                script, default = self.guide_script, self.guide_default
            else:
                self.requests.append(record)
                script, default = self.script, self.default
            return (script.popleft() if script else default), record

    @staticmethod
    def handler_threads() -> int:
        """Live connection-handler threads (excluded from leak counts)."""
        return sum(1 for t in threading.enumerate() if t.name.startswith(THREAD_PREFIX))


def _make_handler(fake: FakeAnthropic) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        owner = fake

    return Handler


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    owner: FakeAnthropic

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log."""

    def setup(self) -> None:
        threading.current_thread().name = f"{THREAD_PREFIX}-{next(_ids)}"
        super().setup()

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("content-length", "0")))
        body = json.loads(raw or b"{}")
        if self.path.split("?")[0] != "/v1/messages":
            self._json(
                404, {"type": "error", "error": {"type": "not_found_error", "message": "Not found"}}
            )
            return
        if self.headers.get("authorization") != f"Bearer {self.owner.api_key}" and (
            self.headers.get("x-api-key") != self.owner.api_key
        ):
            self._json(
                401,
                {
                    "type": "error",
                    "error": {"type": "authentication_error", "message": "invalid x-api-key"},
                },
            )
            return
        reply, record = self.owner.next_reply(body, {k.lower(): v for k, v in self.headers.items()})
        if reply.first_delay_s and self.owner.release.wait(reply.first_delay_s):
            return
        if reply.status != 200:
            self._error(reply)
        elif body.get("stream"):
            self._stream(reply, body, record)
        else:
            self._json(200, _message(reply, body))

    def _json(
        self, status: int, payload: dict[str, Any], extra: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", f"req_{next(_ids)}")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, reply: Reply) -> None:
        error: dict[str, Any] = {"type": reply.error_type, "message": reply.error_message}
        if reply.error_code:
            error["details"] = {"error_code": reply.error_code}
        extra = {"retry-after": reply.retry_after} if reply.retry_after else {}
        self._json(reply.status, {"type": "error", "error": error}, extra)

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _stream(self, reply: Reply, body: dict[str, Any], record: dict[str, Any]) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.send_header("request-id", f"req_{next(_ids)}")
        self.end_headers()
        try:
            for event in _events(reply, body):
                if event is None:  # stall: hold the socket open without sending
                    self.owner.release.wait(60)
                    self.close_connection = True
                    return
                if event == b"" and reply.delta_delay_s:
                    if self.owner.release.wait(reply.delta_delay_s):
                        return
                    continue
                if event:
                    self._chunk(event)
                    record["sent"].append(time.monotonic())
            record["done_at"] = time.monotonic()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def _usage(body: dict[str, Any]) -> dict[str, int]:
    return {
        "input_tokens": len(json.dumps(body)) // 4,
        "output_tokens": 1,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
    }


def _message(reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    if reply.text is not None:
        content.append({"type": "text", "text": reply.text})
    if reply.tool_input is not None and not reply.refusal:
        content.append(
            {
                "type": "tool_use",
                "id": f"toolu_{next(_ids)}",
                "name": _tool_name(body),
                "input": reply.tool_input,
            }
        )
    stop = "refusal" if reply.refusal else ("tool_use" if reply.tool_input else "end_turn")
    return {
        "id": f"msg_{next(_ids)}",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", "fake"),
        "content": [] if reply.refusal else content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": _usage(body),
    }


def _events(reply: Reply, body: dict[str, Any]) -> Any:
    """SSE frames in order; ``b""`` marks a pause point, ``None`` a stall."""
    start = _message(reply, body) | {"content": [], "stop_reason": None}
    yield _sse("message_start", {"type": "message_start", "message": start})
    yield _sse("ping", {"type": "ping"})
    deltas = 0
    blocks = [] if reply.refusal else _blocks(reply, _tool_name(body))
    for index, (block, kind, pieces) in enumerate(blocks):
        yield _sse(
            "content_block_start",
            {"type": "content_block_start", "index": index, "content_block": block},
        )
        for piece in pieces:
            if reply.stall_after is not None and deltas >= reply.stall_after:
                yield None
                return
            if reply.error_after is not None and deltas >= reply.error_after:
                yield _sse(
                    "error",
                    {
                        "type": "error",
                        "error": {"type": "overloaded_error", "message": "Overloaded"},
                    },
                )
                return
            yield b""
            delta_key = "partial_json" if kind == "input_json_delta" else "text"
            yield _sse(
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": index,
                    "delta": {"type": kind, delta_key: piece},
                },
            )
            deltas += 1
        yield _sse("content_block_stop", {"type": "content_block_stop", "index": index})
    final = _message(reply, body)
    yield _sse(
        "message_delta",
        {
            "type": "message_delta",
            "delta": {"stop_reason": final["stop_reason"], "stop_sequence": None},
            "usage": {"output_tokens": 20},
        },
    )
    yield _sse("message_stop", {"type": "message_stop"})


def _blocks(reply: Reply, tool: str) -> list[tuple[dict[str, Any], str, list[str]]]:
    blocks: list[tuple[dict[str, Any], str, list[str]]] = []
    if reply.text is not None:
        blocks.append(
            ({"type": "text", "text": ""}, "text_delta", _chunks(reply.text, reply.chunk_chars))
        )
    if reply.tool_input is not None:
        block = {"type": "tool_use", "id": f"toolu_{next(_ids)}", "name": tool, "input": {}}
        blocks.append(
            (block, "input_json_delta", _chunks(json.dumps(reply.tool_input), reply.chunk_chars))
        )
    return blocks
