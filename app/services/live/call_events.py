"""What a live call stores and tells its room, as pure functions: a transcription result's
utterance row, ``transcript`` payload and coach :class:`Utterance`; a card's row and
``suggestion`` (or ``suggestion:withdrawn``) payload; and the call state its streams and
coach add up to.

:class:`~app.services.live.call.LiveCall` keeps the ordering, locking and fan-out.
"""

from __future__ import annotations

from typing import Any, cast

from app.events import CallState, Source
from app.services.attribution.model import Verdict
from app.services.coaching.base import SuggestionEvent, Utterance
from app.services.transcription.base import StreamStatus, TranscriptResult


def utterance_row(
    call_id: str,
    utterance_id: str,
    source: str,
    result: TranscriptResult,
    span: tuple[int, int],
    offset_ms: int,
    verdict: Verdict | None,
) -> dict[str, Any]:
    """The ``utterances`` row of a final, words shifted to call time."""
    words = [[w.text, w.start_ms + offset_ms, w.end_ms + offset_ms] for w in result.words]
    return {
        "id": utterance_id,
        "call_id": call_id,
        "source": source,
        "text": result.text.strip(),
        "start_ms": span[0],
        "end_ms": span[1],
        "confidence": result.confidence,
        "words": words or None,
        "attribution_method": verdict.method if verdict else None,
        "attribution_confidence": verdict.confidence if verdict else None,
    }


def transcript_payload(
    call_id: str,
    utterance_id: str,
    result: TranscriptResult,
    span: tuple[int, int],
    source: str,
    verdict: Verdict | None,
    replaces: str | None,
) -> dict[str, Any]:
    """The ``transcript`` event of an interim or a final (``replaces``: the interim's key)."""
    payload: dict[str, Any] = {
        "call_id": call_id,
        "utterance_id": utterance_id,
        "source": verdict.source if verdict else source,
        "text": result.text.strip(),
        "is_final": result.is_final,
        "start_ms": span[0],
        "end_ms": span[1],
        "confidence": round(result.confidence, 3),
    }
    if verdict is not None:
        payload["attribution"] = verdict.as_dict()
    if replaces:
        payload["replaces"] = replaces
    return payload


def interim_utterance(
    key: str, source: str, result: TranscriptResult, span: tuple[int, int], received_at: float
) -> Utterance:
    return Utterance(
        key, cast(Source, source), result.text.strip(), span[0], span[1], received_at=received_at
    )


def final_utterance(
    utterance_id: str,
    source: str,
    result: TranscriptResult,
    span: tuple[int, int],
    received_at: float,
) -> Utterance:
    """A final for the coach, its words shifted to call time like the line itself."""
    offset = span[0] - result.start_ms
    words = tuple(
        type(w)(w.text, w.start_ms + offset, w.end_ms + offset, w.confidence) for w in result.words
    )
    return Utterance(
        utterance_id,
        cast(Source, source),
        result.text.strip(),
        span[0],
        span[1],
        result.confidence,
        words,
        received_at,
        tuple(text.strip() for text in result.alternatives),
    )


def suggestion_row(
    call_id: str, event: SuggestionEvent, withdrawn: str | None = None
) -> dict[str, Any]:
    """The ``suggestions`` row of a final card (or of a withdrawn one, with its reason)."""
    return {
        "id": event.suggestion_id,
        "call_id": call_id,
        "kind": event.kind,
        "title": event.title,
        "body": event.body,
        "origin": event.origin,
        "trigger_utterance_id": event.trigger_utterance_id,
        "entry_name": event.entry_id,
        "latency_ms": event.latency_ms,
        "withdrawn_reason": withdrawn,
    }


def suggestion_payload(event: SuggestionEvent) -> dict[str, Any]:
    """The ``suggestion`` event: the card without the toolkit entry id and pending flag."""
    return {k: v for k, v in event.__dict__.items() if k not in ("entry_id", "pending")}


def withdrawn_payload(event: SuggestionEvent, reason: str) -> dict[str, Any]:
    """The ``suggestion:withdrawn`` event: which card to drop, and why."""
    return {"call_id": event.call_id, "suggestion_id": event.suggestion_id, "reason": reason}


def derived_state(
    statuses: list[StreamStatus], llm_reason: str | None, saving_delayed: bool
) -> tuple[CallState, str | None]:
    """The call's state and reason: a reconnecting stream first, then a degraded or failed
    one, then the LLM's trouble, then delayed saving; else live."""
    for status in statuses:
        if status.state == "reconnecting":
            return CallState.RECONNECTING, status.reason
    for status in statuses:
        if status.state in ("degraded", "failed"):
            return CallState.DEGRADED, status.reason
    if llm_reason:
        return CallState.DEGRADED, llm_reason
    if saving_delayed:
        return CallState.DEGRADED, "saving_delayed"
    return CallState.LIVE, None
