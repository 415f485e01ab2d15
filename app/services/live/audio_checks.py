"""Checks on one audio chunk before it reaches the call's ordering and its provider."""

from __future__ import annotations

from typing import Any

from app.errors import AppError
from app.events import ErrorCode
from app.services.live.call import LiveCall
from app.services.live.seq import PushResult
from app.services.transcription.opus_packets import BadOpusChunk, chunk_samples


def check_chunk(live: LiveCall, data: dict[str, Any], max_chunk_bytes: int) -> None:
    if len(data["data"]) > max_chunk_bytes:
        raise AppError("Audio chunk too large.", code=ErrorCode.CHUNK_TOO_LARGE, status=413)
    if data["source"] not in live.sources:
        raise AppError(
            "This source was not opened in call:start.",
            code=ErrorCode.VALIDATION_ERROR,
            status=422,
        )


def framing_problem(live: LiveCall, chunk: bytes) -> str | None:
    """Why an ``opus_packets`` chunk cannot be decoded (None when it can, or for PCM)."""
    if not chunk or live.audio_format is None or live.audio_format.encoding != "opus_packets":
        return None
    try:
        chunk_samples(chunk)
    except BadOpusChunk as exc:
        return str(exc)
    return None


def check_received(result: PushResult, problem: str | None = None) -> None:
    """A duplicate is refused first; a bad chunk's seq was used up (as an empty chunk),
    so resending it cannot help."""
    if result.duplicate:
        raise AppError("Chunk already received.", code=ErrorCode.DUPLICATE_SEQ, status=409)
    if problem:
        raise AppError(
            "Audio chunk is not decodable.",
            code=ErrorCode.BAD_AUDIO_CHUNK,
            status=422,
            fields={"data": [problem]},
        )
