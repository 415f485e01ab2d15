"""Live delivery metrics of a call, computed from the final utterances of both sources.

Talk time is the sum of talk segments: word spans (the recogniser's word timings, or
the utterance span spread evenly over its words) joined across pauses of at most
``pause_merge_ms``. Recent-window figures (rep pace, recent talk ratio) keep only the
segments of the last ``retain_s`` seconds, so memory stays bounded on long calls.
All times are ms on the call's timeline; nothing here reads a clock.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from app.events import Source
from app.services.coaching.base import Utterance
from app.services.coaching.monologue import MonologueTracker
from app.services.coaching.speech import (
    Span,
    count_fillers,
    count_questions,
    merge_spans,
    word_count,
    word_spans,
)


@dataclass(frozen=True)
class MetricsSettings:
    """Tuning of the live metrics (all have embedded defaults)."""

    wpm_window_s: float = 120.0  # rep pace is measured over this recent window
    pause_merge_ms: int = 500  # pauses up to this long count as talking
    monologue_gap_s: float = 5.0  # rep pauses up to this long keep a monologue going
    interruption_min_s: float = 1.0  # shorter prospect speech does not end a monologue


def _overlap(span: Span, start: int, end: int) -> int:
    return max(0, min(span[1], end) - max(span[0], start))


class _SourceTalk:
    """Talk totals of one source plus its recent segments and word start times."""

    def __init__(self) -> None:
        self.talk_ms = 0
        self.words = 0
        self.questions = 0
        self.segments: deque[Span] = deque()
        self.word_starts: deque[int] = deque()

    def add(self, segments: list[Span], spans: list[Span], words: int) -> None:
        self.talk_ms += sum(end - start for start, end in segments)
        self.words += words
        self.segments.extend(segments)
        self.word_starts.extend(start for start, _ in spans)

    def prune(self, before_ms: int) -> None:
        while self.segments and self.segments[0][1] < before_ms:
            self.segments.popleft()
        while self.word_starts and self.word_starts[0] < before_ms:
            self.word_starts.popleft()

    def talk_between(self, start: int, end: int) -> int:
        return sum(_overlap(seg, start, end) for seg in self.segments)

    def words_between(self, start: int, end: int) -> int:
        return sum(1 for t in self.word_starts if start <= t < end)

    def snapshot(self) -> dict[str, Any]:
        return {
            "talk_ms": self.talk_ms,
            "words": self.words,
            "questions": self.questions,
            "segments": [list(s) for s in self.segments],
            "word_starts": list(self.word_starts),
        }

    def restore(self, data: dict[str, Any]) -> None:
        self.talk_ms, self.words = int(data["talk_ms"]), int(data["words"])
        self.questions = int(data["questions"])
        self.segments = deque((int(a), int(b)) for a, b in data["segments"])
        self.word_starts = deque(int(t) for t in data["word_starts"])


class LiveMetrics:
    """Ingests final utterances of both sources and reports the live figures."""

    def __init__(self, settings: MetricsSettings | None = None, retain_s: float = 0.0) -> None:
        self.settings = settings or MetricsSettings()
        self._retain_ms = int(max(retain_s, self.settings.wpm_window_s) * 1000)
        self._talk: dict[Source, _SourceTalk] = {"rep": _SourceTalk(), "prospect": _SourceTalk()}
        self._monologue = MonologueTracker(
            gap_ms=int(self.settings.monologue_gap_s * 1000),
            interruption_min_ms=int(self.settings.interruption_min_s * 1000),
        )
        self.filler_words = 0
        self.now_ms = 0  # the latest end of any utterance: "now" on the call's timeline
        self.last_rep_question_ms: int | None = None

    def ingest(self, utterance: Utterance) -> None:
        spans = word_spans(utterance)
        segments = merge_spans(spans, self.settings.pause_merge_ms)
        talk = self._talk[utterance.source]
        talk.add(segments, spans, word_count(utterance))
        questions = count_questions(utterance.text)
        talk.questions += questions
        if utterance.source == "rep":
            self.filler_words += count_fillers(utterance.text)
            if questions:
                self.last_rep_question_ms = utterance.end_ms
            for segment in segments:
                self._monologue.add_rep(segment)
        else:
            for segment in segments:
                self._monologue.add_prospect(segment)
        self.now_ms = max(self.now_ms, utterance.end_ms)
        for source_talk in self._talk.values():
            source_talk.prune(self.now_ms - self._retain_ms)

    def accumulators(self) -> dict[str, Any]:
        """The accumulators (totals, recent segments within the retention, monologue)."""
        return {
            "talk": {source: talk.snapshot() for source, talk in self._talk.items()},
            "monologue": self._monologue.snapshot(),
            "filler_words": self.filler_words,
            "now_ms": self.now_ms,
            "last_rep_question_ms": self.last_rep_question_ms,
        }

    def restore_accumulators(self, data: dict[str, Any]) -> None:
        for source, talk in self._talk.items():
            talk.restore(data["talk"][source])
        self._monologue.restore(data["monologue"])
        self.filler_words, self.now_ms = int(data["filler_words"]), int(data["now_ms"])
        self.last_rep_question_ms = data["last_rep_question_ms"]

    @property
    def rep(self) -> _SourceTalk:
        return self._talk["rep"]

    @property
    def prospect(self) -> _SourceTalk:
        return self._talk["prospect"]

    def talk_ratio(self) -> float:
        """Rep talk time / total talk time over the whole call (0 before anyone spoke)."""
        total = self.rep.talk_ms + self.prospect.talk_ms
        return self.rep.talk_ms / total if total else 0.0

    def recent_talk_ratio(self, now_ms: int, window_s: float) -> float:
        """The talk ratio over the last ``window_s`` seconds (capped at the retention)."""
        start = now_ms - min(int(window_s * 1000), self._retain_ms)
        rep = self.rep.talk_between(start, now_ms)
        total = rep + self.prospect.talk_between(start, now_ms)
        return rep / total if total else 0.0

    def rep_talk_recent_s(self, now_ms: int) -> float:
        start = now_ms - int(self.settings.wpm_window_s * 1000)
        return self.rep.talk_between(start, now_ms) / 1000

    def rep_wpm(self, now_ms: int) -> float:
        """Rep words per minute of rep talk time, over the last ``wpm_window_s``."""
        start = now_ms - int(self.settings.wpm_window_s * 1000)
        talk_ms = self.rep.talk_between(start, now_ms)
        if talk_ms <= 0:
            return 0.0
        return self.rep.words_between(start, now_ms) * 60_000 / talk_ms

    def current_monologue_s(self, now_ms: int) -> float:
        return self._monologue.current_ms(now_ms) / 1000

    def longest_monologue_s(self) -> float:
        return self._monologue.longest_ms() / 1000

    def snapshot(self, now_ms: int | None = None) -> dict[str, Any]:
        """The figures of the ``metrics`` event (the coach adds call_id, stage, checklist)."""
        now = self.now_ms if now_ms is None else now_ms
        return {
            "talk_ratio": round(self.talk_ratio(), 3),
            "rep_wpm": round(self.rep_wpm(now)),
            "current_monologue_s": round(self.current_monologue_s(now), 1),
            "longest_monologue_s": round(self.longest_monologue_s(), 1),
            "questions_asked": self.rep.questions,
            "prospect_questions": self.prospect.questions,
            "filler_words": self.filler_words,
            "rep_words": self.rep.words,
            "prospect_words": self.prospect.words,
            "rep_talk_s": round(self.rep.talk_ms / 1000, 1),
            "prospect_talk_s": round(self.prospect.talk_ms / 1000, 1),
            "elapsed_s": round(now / 1000, 1),
        }


class MetricsState:
    """:class:`LiveMetrics` as a stateful coaching component (its ``snapshot`` is taken
    by the ``metrics`` event's figures)."""

    STATE_VERSION = 1

    def __init__(self, metrics: LiveMetrics) -> None:
        self.metrics = metrics

    def snapshot(self) -> dict[str, Any]:
        return self.metrics.accumulators()

    def restore(self, data: dict[str, Any]) -> None:
        self.metrics.restore_accumulators(data)
