"""Where metrics are measured: HTTP hooks, Socket.IO handler outcomes, live-call emits.

The live-call emitter is wrapped rather than the call code instrumented: every
transcript final, suggestion and status change already passes through it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g, request
from flask.typing import ResponseReturnValue

from app.container import get_services
from app.events import CallState, ServerEvent
from app.observability.prometheus import Metrics
from app.services.live.emitter import Emit

log = logging.getLogger(__name__)
PCM_BYTES_PER_SAMPLE = 2
NOT_PROVIDER_REASONS = frozenset({"client_disconnected", "server_restart"})
CallLookup = Callable[[str], Any]


def metrics_of(app: Flask) -> Metrics | None:
    return get_services(app).metrics


def init_http(app: Flask, metrics: Metrics) -> None:
    """Count requests and time them by route (not by URL: ids would explode cardinality)."""

    @app.before_request
    def _start_timer() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _observe(response: Any) -> Any:
        started = g.pop("metrics_started", None)
        endpoint = request.url_rule.rule if request.url_rule is not None else "unmatched"
        metrics.child(
            metrics.http_requests, endpoint, request.method, str(response.status_code)
        ).inc()
        if started is not None:
            metrics.child(metrics.http_latency, endpoint, request.method).observe(
                time.perf_counter() - started
            )
        return response


def observe_socket_event(event: str, ack: dict[str, Any], seconds: float, data: Any) -> None:
    """Called by the ``socket_event`` wrapper with the ack it is about to return."""
    metrics = metrics_of(current_app)
    if metrics is None:
        return
    outcome = "ok" if ack.get("ok") else str(ack.get("error", {}).get("code", "error"))
    metrics.child(metrics.socket_events, event, outcome).inc()
    metrics.child(metrics.socket_latency, event).observe(seconds)
    if event == "audio" and ack.get("ok") and isinstance(data, dict):
        live = get_services().sessions.calls.get(str(data.get("call_id")))
        record_audio(metrics, getattr(live, "audio_format", None), len(data.get("data") or b""))


def record_audio(metrics: Metrics, audio_format: Any, nbytes: int) -> None:
    """Seconds are known for PCM only; Opus chunks are counted in bytes."""
    encoding = getattr(audio_format, "encoding", "unknown")
    metrics.child(metrics.audio_bytes, encoding).inc(nbytes)
    if encoding == "linear16":
        rate = audio_format.sample_rate * audio_format.channels * PCM_BYTES_PER_SAMPLE
        metrics.audio_seconds.inc(nbytes / rate)


def observing_emitter(emit: Emit, metrics: Metrics, lookup: CallLookup) -> Emit:
    """Wrap the live-call emitter so each event also updates the metrics."""

    def _emit(event: str, payload: dict[str, Any], room: str) -> None:
        try:
            _observe_emit(metrics, lookup, event, payload)
        except Exception:  # metrics must never stop an event
            log.exception("metrics observation failed", extra={"event": str(event)})
        emit(event, payload, room)

    return _emit


def _observe_emit(
    metrics: Metrics, lookup: CallLookup, event: str, payload: dict[str, Any]
) -> None:
    metrics.child(metrics.emitted, str(event)).inc()
    if event == ServerEvent.TRANSCRIPT and payload.get("is_final"):
        _observe_final(metrics, lookup(payload.get("call_id", "")), payload["end_ms"])
    elif event == ServerEvent.SUGGESTION and payload.get("status") == "final":
        origin = str(payload.get("origin"))
        metrics.child(metrics.suggestions, origin, str(payload.get("kind"))).inc()
        if payload.get("latency_ms") is not None:
            metrics.child(metrics.suggestion_latency, origin).observe(payload["latency_ms"] / 1000)
    elif event == ServerEvent.CALL_STATUS and _is_provider_problem(payload):
        metrics.child(metrics.provider_errors, payload["state"], payload["reason"]).inc()


def _observe_final(metrics: Metrics, live: Any, end_ms: int) -> None:
    """Final latency: call time now minus the end of the utterance's audio."""
    metrics.finals.inc()
    if live is not None:
        call_ms = (time.monotonic() - live.identity.started_monotonic) * 1000
        metrics.final_latency.observe(max(0.0, call_ms - end_ms) / 1000)


def _is_provider_problem(payload: dict[str, Any]) -> bool:
    reason = payload.get("reason")
    return (
        bool(reason)
        and reason not in NOT_PROVIDER_REASONS
        and payload.get("state") in (CallState.DEGRADED, CallState.RECONNECTING)
    )


def metrics_view(metrics: Metrics, token: str) -> Callable[[], ResponseReturnValue]:
    """``GET /metrics``: the text exposition; a bearer token when METRICS_TOKEN is set."""
    import hmac

    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    def view() -> ResponseReturnValue:
        if token:
            sent = request.headers.get("Authorization", "")
            if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
                return (
                    {"error": {"code": "unauthorized", "message": "Bearer token required."}},
                    401,
                    {"WWW-Authenticate": "Bearer"},
                )
        return generate_latest(metrics.registry), 200, {"Content-Type": CONTENT_TYPE_LATEST}

    return view
