"""Checks on one audio chunk before it reaches the call's ordering and its provider."""

from __future__ import annotations

from typing import Any

from app.errors import AppError
from app.events import ErrorCode
from app.services.live.call import LiveCall
from app.services.live.seq import PushResult


def check_chunk(live: LiveCall, data: dict[str, Any], max_chunk_bytes: int) -> None:
    if len(data["data"]) > max_chunk_bytes:
        raise AppError("Audio chunk too large.", code=ErrorCode.CHUNK_TOO_LARGE, status=413)
    if data["source"] not in live.sources:
        raise AppError(
            "This source was not opened in call:start.",
            code=ErrorCode.VALIDATION_ERROR,
            status=422,
        )


def check_received(result: PushResult) -> None:
    if result.duplicate:
        raise AppError("Chunk already received.", code=ErrorCode.DUPLICATE_SEQ, status=409)
