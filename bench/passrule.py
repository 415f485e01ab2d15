"""When a load step "holds": the one rule every load benchmark applies.

A step holds only if the acknowledgements, the interim transcripts and the final
transcripts each have a p99 at or under the limit, and nothing failed. Pooling interims
and finals would hide slow finals behind the far more numerous interims, and finals are
what trigger cards, so each stream is judged on its own worst figure. A stream with no
samples at all does not hold: a step that measured nothing proved nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bench.report import pct

P99_LIMIT_MS = 250.0
STREAMS = ("ack", "interim", "final")


def p99s(streams: Mapping[str, Sequence[float]]) -> dict[str, float]:
    """The p99 of each named stream (NaN where it has no samples)."""
    return {name: pct(values, 99) for name, values in streams.items()}


def worst_p99(streams: Mapping[str, Sequence[float]]) -> float:
    """The largest p99 over the streams; NaN (no data) counts as the worst."""
    values = list(p99s(streams).values())
    if not values or any(v != v for v in values):
        return float("nan")
    return max(values)


def holds(
    streams: Mapping[str, Sequence[float]], errors: int, limit_ms: float = P99_LIMIT_MS
) -> bool:
    """True when every stream has samples, each p99 is within ``limit_ms``, and no errors."""
    if errors:
        return False
    worst = worst_p99(streams)
    return worst == worst and worst <= limit_ms
