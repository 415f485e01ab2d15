"""The floor: a bare python-socketio server (eventlet) speaking the same `/audio` pattern.

It acknowledges every event like the pipeline does, and for each audio chunk emits an
interim ``transcript`` to the call's room; every fourth chunk it emits a final transcript
and a ``suggestion`` for it (the scripted transcriber's rhythm), with payloads of the same
shape and size. No auth, no database, no coaching: what remains is the framework's cost,
with eventlet's websocket unmasking replaced exactly as wsgi.py does in production.
Run: ``python -m bench.echo_server`` with HOST/PORT. Bench-only; names eventlet directly
because it is the floor, not application code.
"""

from __future__ import annotations

import eventlet

eventlet.monkey_patch()
from eventlet.websocket import RFC6455WebSocket  # noqa: E402

from app.websocket_mask import install  # noqa: E402

install(RFC6455WebSocket)  # the framework as production runs it (see app/websocket_mask.py)

import itertools  # noqa: E402
import os  # noqa: E402
import uuid  # noqa: E402
from typing import Any  # noqa: E402

import eventlet.wsgi  # noqa: E402
import socketio  # noqa: E402

NS = "/audio"
CHUNKS_PER_FINAL = 4
TEXT = "I think your price is too expensive for us."
sio = socketio.Server(async_mode="eventlet", max_http_buffer_size=70_000)
calls: dict[str, dict[str, int]] = {}
ids = itertools.count(1)


@sio.on("connect", namespace=NS)
def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
    return isinstance(auth, dict) and bool(auth.get("token"))


@sio.on("call:start", namespace=NS)
def call_start(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    call_id = str(uuid.uuid4())
    calls[call_id] = {"received_ms": 0, "pending": 0, "start_ms": 0}
    sio.enter_room(sid, f"call:{call_id}", namespace=NS)
    return {"ok": True, "call_id": call_id, "state": "live", "transcriber": "echo", "coach": "none"}


@sio.on("audio", namespace=NS)
def audio(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    call = calls.get(data.get("call_id", ""))
    if call is None or not isinstance(data.get("data"), bytes):
        return {"ok": False, "error": {"code": "not_found", "message": "Unknown call."}}
    call["received_ms"] += len(data["data"]) // 32
    call["pending"] += 1
    room = f"call:{data['call_id']}"
    final = call["pending"] >= CHUNKS_PER_FINAL
    utterance_id = f"u{next(ids)}"
    sio.emit("transcript", _transcript(data, call, utterance_id, final), to=room, namespace=NS)
    if final:
        sio.emit("suggestion", _suggestion(data["call_id"], utterance_id), to=room, namespace=NS)
        call["pending"], call["start_ms"] = 0, call["received_ms"]
    return {"ok": True, "seq": data.get("seq")}


def _transcript(
    data: dict[str, Any], call: dict[str, int], uid: str, final: bool
) -> dict[str, Any]:
    return {
        "call_id": data["call_id"],
        "utterance_id": uid,
        "source": data.get("source", "rep"),
        "text": TEXT if final else "…",
        "is_final": final,
        "start_ms": call["start_ms"],
        "end_ms": call["received_ms"],
        "confidence": 0.93,
    }


def _suggestion(call_id: str, trigger: str) -> dict[str, Any]:
    return {
        "call_id": call_id,
        "suggestion_id": str(uuid.uuid4()),
        "kind": "objection",
        "title": "Price objection",
        "body": "Ask what they compare the price with, then "
        "anchor on the value of the outcome they told you about.",
        "origin": "playbook",
        "trigger_utterance_id": trigger,
        "status": "final",
        "latency_ms": 0,
    }


@sio.on("call:stop", namespace=NS)
def call_stop(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    calls.pop(data.get("call_id", ""), None)
    return {"ok": True, "call_id": data.get("call_id"), "duration_s": 0}


def main() -> None:
    app = socketio.WSGIApp(sio)
    listener = eventlet.listen((os.environ.get("HOST", "127.0.0.1"), int(os.environ["PORT"])))
    eventlet.wsgi.server(listener, app, log_output=False)


if __name__ == "__main__":
    main()
