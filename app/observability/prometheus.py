"""Prometheus metrics of one process, in a registry of their own (one per app).

Counters and histograms are updated by hooks (HTTP, Socket.IO handlers, the live-call
emitter); values that already live in services (active calls, queue depths, writer
failures) are read when scraped by :class:`ServiceCollector`, so nothing has to keep
them in sync. Each worker process serves its own ``/metrics`` (see docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

PREFIX = "salescoach"
LATENCY_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
SPEECH_BUCKETS_S = (0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)
LLM_BUCKETS_S = (0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 10.0)
Reader = Callable[[], float]


class Metrics:
    """Every metric the app exports; ``registry`` is what ``/metrics`` renders."""

    def __init__(self) -> None:
        disable_created_metrics()  # no `_created` series: half the output, no value here
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.http_requests = Counter(
            f"{PREFIX}_http_requests", "HTTP requests", ["endpoint", "method", "status"], registry=r
        )
        self.http_latency = Histogram(
            f"{PREFIX}_http_request_duration_seconds",
            "HTTP request handling time",
            ["endpoint", "method"],
            buckets=LATENCY_BUCKETS_S,
            registry=r,
        )
        self.socket_events = Counter(
            f"{PREFIX}_socketio_events",
            "Socket.IO events handled",
            ["event", "outcome"],
            registry=r,
        )
        self.socket_latency = Histogram(
            f"{PREFIX}_socketio_event_duration_seconds",
            "Socket.IO event handling time (until the ack)",
            ["event"],
            buckets=LATENCY_BUCKETS_S,
            registry=r,
        )
        self.emitted = Counter(
            f"{PREFIX}_socketio_emitted",
            "Server events emitted by live calls",
            ["event"],
            registry=r,
        )
        self.audio_seconds = Counter(
            f"{PREFIX}_audio_received_seconds", "Seconds of PCM audio received", registry=r
        )
        self.audio_bytes = Counter(
            f"{PREFIX}_audio_received_bytes", "Audio bytes received", ["encoding"], registry=r
        )
        self.finals = Counter(f"{PREFIX}_transcript_finals", "Final utterances", registry=r)
        self.final_latency = Histogram(
            f"{PREFIX}_transcription_final_latency_seconds",
            "Time from the end of an utterance's audio (call clock) to its final",
            buckets=SPEECH_BUCKETS_S,
            registry=r,
        )
        self.suggestions = Counter(
            f"{PREFIX}_suggestions", "Final suggestions", ["origin", "kind"], registry=r
        )
        self.suggestion_latency = Histogram(
            f"{PREFIX}_suggestion_latency_seconds",
            "Time from the triggering final to the final suggestion (latency_ms)",
            ["origin"],
            buckets=LLM_BUCKETS_S,
            registry=r,
        )
        self.provider_errors = Counter(
            f"{PREFIX}_provider_errors",
            "Degraded/reconnecting call states by reason (transcriber, LLM, storage)",
            ["state", "reason"],
            registry=r,
        )
        self.collector = ServiceCollector()
        r.register(self.collector)
        self._children: dict[tuple[Any, tuple[str, ...]], Any] = {}

    def child(self, metric: Any, *labels: str) -> Any:
        """``metric.labels(*labels)``, kept: prometheus_client's own lookup validates and
        locks on every call, and the live path makes a few per event. The cache holds
        the same children as the metric, so it is bounded by the same label values."""
        key = (metric, labels)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = metric.labels(*labels)
        return found


class ServiceCollector(Collector):
    """Gauges and counters read from services at scrape time (callbacks)."""

    def __init__(self) -> None:
        self.gauges: dict[str, tuple[str, Reader]] = {}
        self.counters: dict[str, tuple[str, Reader]] = {}

    def gauge(self, name: str, documentation: str, read: Reader) -> None:
        self.gauges[f"{PREFIX}_{name}"] = (documentation, read)

    def counter(self, name: str, documentation: str, read: Reader) -> None:
        self.counters[f"{PREFIX}_{name}"] = (documentation, read)

    def collect(self) -> Iterator[Any]:
        for name, (doc, read) in self.gauges.items():
            yield GaugeMetricFamily(name, doc, value=_safe(read))
        for name, (doc, read) in self.counters.items():
            yield CounterMetricFamily(name, doc, value=_safe(read))

    def describe(self) -> Iterator[Any]:
        return iter(())  # readers may need services that do not exist yet


def _safe(read: Reader) -> float:
    """A failing reader (say, Redis down for the job queue) reports NaN, not a 500."""
    try:
        return float(read())
    except Exception:  # noqa: BLE001 - a scrape must never fail
        return float("nan")
