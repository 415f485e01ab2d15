"""Room names and the emit function used by live calls (Socket.IO, or a recorder in tests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.events import NAMESPACE

Emit = Callable[[str, dict[str, Any], str], None]  # (event, payload, room)


def call_room(call_id: str) -> str:
    """Everyone watching the call: the rep and any coaches who joined."""
    return f"call:{call_id}"


def rep_room(call_id: str) -> str:
    """Only the rep's connection(s): whispers go here."""
    return f"call:{call_id}:rep"


def coach_room(call_id: str) -> str:
    """Only the coaches watching the call (the rep is not in it)."""
    return f"call:{call_id}:coaches"


def socketio_emitter(socketio: Any) -> Emit:
    """Emit to a room of the `/audio` namespace; works from any task and, with a message
    queue configured, from any worker process."""

    def emit(event: str, payload: dict[str, Any], room: str) -> None:
        socketio.emit(event, payload, namespace=NAMESPACE, to=room)

    return emit
