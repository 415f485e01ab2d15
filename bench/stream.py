"""One simulated call streamed at real-time pace, as the browser sends it (100 ms chunks)."""

from __future__ import annotations

import asyncio
import time

import socketio

NS = "/audio"
CHUNK = 3200  # 100 ms of 16 kHz PCM16
RATE_BYTES = 32000


async def stream_call(
    sio: socketio.AsyncClient, url: str, token: str, tracks: dict[str, bytes], tail_s: float = 2.0
) -> float:
    """Connect, start a call with one source per track, stream every track in step, wait
    ``tail_s`` for the last results, stop and disconnect. Returns the monotonic time the
    audio began (the call's time zero). A refused start raises ``RuntimeError``."""
    await sio.connect(url, namespaces=[NS], auth={"token": token}, transports=["websocket"])
    start = await sio.call("call:start", {"sources": list(tracks)}, namespace=NS, timeout=60)
    if not start.get("ok"):
        await sio.disconnect()
        raise RuntimeError(f"call:start refused: {start.get('error', {}).get('code')}")
    call_id, t0 = start["call_id"], time.monotonic()
    for i in range(0, max(len(t) for t in tracks.values()), CHUNK):
        await asyncio.sleep(max(0.0, t0 + (i + CHUNK) / RATE_BYTES - time.monotonic()))
        for source, track in tracks.items():
            chunk = {"call_id": call_id, "source": source, "seq": i // CHUNK}
            await sio.emit("audio", {**chunk, "data": track[i : i + CHUNK]}, namespace=NS)
    await asyncio.sleep(tail_s)
    await sio.call("call:stop", {"call_id": call_id}, namespace=NS, timeout=30)
    await sio.disconnect()
    return t0
