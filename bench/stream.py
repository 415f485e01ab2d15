"""One simulated call streamed at real-time pace, as the browser sends it (100 ms chunks)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import socketio

from tests.speech import to_opus_chunks

NS = "/audio"
CHUNK = 3200  # 100 ms of 16 kHz PCM16
RATE_BYTES = 32000


@dataclass(frozen=True)
class EncodedTracks:
    """Each source's 100 ms chunks in one encoding, encoded once and streamed many times."""

    encoding: str
    chunks: dict[str, list[bytes]]

    @classmethod
    def of(cls, tracks: dict[str, bytes], encoding: str = "linear16") -> EncodedTracks:
        """``linear16`` slices the PCM; ``opus_packets`` encodes it as the web app does."""
        if encoding == "opus_packets":
            return cls(encoding, {s: to_opus_chunks(t) for s, t in tracks.items()})
        chunks = {s: [t[i : i + CHUNK] for i in range(0, len(t), CHUNK)] for s, t in tracks.items()}
        return cls(encoding, chunks)

    @property
    def nbytes(self) -> int:
        return sum(len(c) for chunks in self.chunks.values() for c in chunks)


async def stream_call(
    sio: socketio.AsyncClient,
    url: str,
    token: str,
    tracks: dict[str, bytes] | EncodedTracks,
    tail_s: float = 2.0,
) -> float:
    """Connect, start a call with one source per track, stream every track in step, wait
    ``tail_s`` for the last results, stop and disconnect. Returns the monotonic time the
    audio began (the call's time zero). A refused start raises ``RuntimeError``."""
    encoded = tracks if isinstance(tracks, EncodedTracks) else EncodedTracks.of(tracks)
    await sio.connect(url, namespaces=[NS], auth={"token": token}, transports=["websocket"])
    start = await sio.call(
        "call:start",
        {"sources": list(encoded.chunks), "audio": {"encoding": encoded.encoding}},
        namespace=NS,
        timeout=60,
    )
    if not start.get("ok"):
        await sio.disconnect()
        raise RuntimeError(f"call:start refused: {start.get('error', {}).get('code')}")
    call_id, t0 = start["call_id"], time.monotonic()
    for seq in range(max(len(c) for c in encoded.chunks.values())):
        await asyncio.sleep(max(0.0, t0 + (seq + 1) * CHUNK / RATE_BYTES - time.monotonic()))
        for source, chunks in encoded.chunks.items():
            if seq < len(chunks):
                chunk = {"call_id": call_id, "source": source, "seq": seq, "data": chunks[seq]}
                await sio.emit("audio", chunk, namespace=NS)
    await asyncio.sleep(tail_s)
    await sio.call("call:stop", {"call_id": call_id}, namespace=NS, timeout=30)
    await sio.disconnect()
    return t0
