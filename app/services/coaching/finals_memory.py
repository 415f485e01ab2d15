"""The finals a live coach remembers, to recompute metrics after a speaker correction."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace

from app.events import Source
from app.services.coaching.base import Utterance
from app.services.coaching.live_metrics import LiveMetrics

REMEMBERED_FINALS = 5000  # finals kept to recompute metrics after a speaker correction


class FinalsMemory:
    """The call's latest finals by id; ``complete`` is False once earlier ones are unknown."""

    def __init__(self, limit: int = REMEMBERED_FINALS) -> None:
        self._limit = limit
        self._finals: OrderedDict[str, Utterance] = OrderedDict()
        self.complete = True  # False once restored: earlier finals are not remembered

    def add(self, utterance: Utterance) -> None:
        """Remember a final; the oldest are forgotten past the limit."""
        self._finals[utterance.utterance_id] = utterance
        while len(self._finals) > self._limit:
            self._finals.popitem(last=False)

    def relabel(self, utterance_id: str, source: Source) -> Utterance | None:
        """The remembered line as spoken by ``source``; None if unknown or unchanged."""
        line = self._finals.get(utterance_id)
        if line is None or line.source == source:
            return None
        line = replace(line, source=source, received_at=0.0)
        self._finals[utterance_id] = line
        return line

    def replay(self, metrics: LiveMetrics) -> LiveMetrics:
        """Feed every remembered final, in speaking order, into fresh ``metrics``."""
        for utterance in sorted(self._finals.values(), key=lambda u: u.start_ms):
            metrics.ingest(utterance)
        return metrics
