"""Rule-based call stage tracking: opening -> discovery -> pitch -> close, with
objection handling entered from any stage whenever the prospect objects.

Signals per utterance come from the team's toolkit (an objection entry matched, a
discovery or closing entry matched) and from a few built-in phrases (the rep pitching,
either side talking about next steps). Main stages only move forward; objection
handling returns to the stage it interrupted once another stage's signal appears or
``objection_hold_s`` passes without a new objection. When an LLM coach is present it
may set the stage with :meth:`StageTracker.set_stage`. Each stage is stored with the
range of utterances it covered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from app.services.coaching.base import ToolkitItem, Utterance
from app.services.coaching.playbook import card_items, compile_toolkit
from app.services.coaching.speech import count_questions
from app.services.coaching.text import PhraseIndex

STAGES = ("opening", "discovery", "pitch", "objection_handling", "close")
OBJECTION = "objection_handling"
RANK = {"opening": 0, "discovery": 1, "pitch": 2, "close": 3}
KIND_STAGE = {"objection": OBJECTION, "discovery": "discovery", "closing": "close"}
# Built-in phrases: (stage, speakers, phrases).
STAGE_PHRASES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "discovery",
        ("rep",),
        (
            "tell me about",
            "walk me through",
            "how do you currently",
            "what are you using",
            "what challenges",
            "biggest challenge",
            "what made you",
            "how does your team",
        ),
    ),
    (
        "pitch",
        ("rep",),
        (
            "let me show you",
            "share my screen",
            "our platform",
            "our product",
            "our solution",
            "what we do",
            "how it works",
            "we help",
            "a quick demo",
            "integrates with",
            "our customers",
        ),
    ),
    (
        "close",
        ("rep", "prospect"),
        (
            "next step",
            "send over the contract",
            "send the proposal",
            "sign the",
            "the agreement",
            "get started",
            "kick off",
            "move forward",
            "paperwork",
            "start a pilot",
        ),
    ),
)


@dataclass(frozen=True)
class StageSettings:
    opening_max_s: float = 90.0  # after this much call time, opening gives way to discovery
    objection_hold_s: float = 60.0  # objection handling lasts this long without new signals


@dataclass
class StageSpan:
    stage: str
    from_utterance_id: str
    to_utterance_id: str
    start_ms: int
    end_ms: int
    source: str = "rules"  # "rules" or "llm"


class StageTracker:
    STATE_VERSION = 1

    def __init__(self, toolkit: Sequence[ToolkitItem], settings: StageSettings | None = None):
        self.settings = settings or StageSettings()
        self._toolkit = compile_toolkit(card_items(toolkit))
        self._phrases: PhraseIndex[tuple[str, tuple[str, ...]]] = PhraseIndex(
            ((stage, speakers), phrase, False)
            for stage, speakers, phrases in STAGE_PHRASES
            for phrase in phrases
        )
        self.history: list[StageSpan] = []
        self._resume = "opening"  # the stage objection handling interrupted
        self._last_objection_ms = 0
        self._support = 0  # signals seen for the current stage (its confidence)
        self._llm_confidence: float | None = None

    @property
    def confidence(self) -> float:
        """How sure the tracker is of the current stage, 0-1: the model's own figure when
        it set the stage, else it grows with each signal for the stage (0.5 with none)."""
        if self._llm_confidence is not None:
            return self._llm_confidence
        return round(min(0.95, 0.5 + 0.15 * self._support), 2)

    @property
    def started_ms(self) -> int:
        """Call time the current stage began (0 before the first utterance)."""
        return self.history[-1].start_ms if self.history else 0

    @property
    def current(self) -> str:
        return self.history[-1].stage if self.history else "opening"

    def observe(self, utterance: Utterance, tokens: Sequence[str]) -> str:
        """Update the stage from one final utterance; returns the current stage."""
        signals = self._signals(utterance, tokens)
        target = self._next_stage(signals, utterance.end_ms)
        self._enter(target, utterance, "rules")
        if target in signals:
            self._support += 1
        return self.current

    def set_stage(self, stage: str, utterance: Utterance, confidence: float = 0.8) -> None:
        """The LLM's judgement overrides the rules from this utterance on."""
        if stage not in STAGES:
            raise ValueError("unknown_stage")
        if stage == OBJECTION and self.current != OBJECTION:
            self._resume = self.current
            self._last_objection_ms = utterance.end_ms
        self._enter(stage, utterance, "llm")
        self._llm_confidence = max(0.0, min(1.0, confidence))

    def _signals(self, utterance: Utterance, tokens: Sequence[str]) -> set[str]:
        signals: set[str] = set()
        for item, _ in self._toolkit.find(tokens):
            stage = KIND_STAGE.get(item.kind)
            if stage and utterance.source in item.speakers:
                signals.add(stage)
        for (stage, speakers), _ in self._phrases.find(tokens).matched().items():
            if utterance.source in speakers:
                signals.add(stage)
        if utterance.source == "rep" and count_questions(utterance.text):
            signals.add("discovery")
        return signals

    def _next_stage(self, signals: set[str], now_ms: int) -> str:
        current = self.current
        if OBJECTION in signals:
            if current != OBJECTION:
                self._resume = current
            self._last_objection_ms = now_ms
            return OBJECTION
        base = self._resume if current == OBJECTION else current
        forward = [s for s in signals if RANK[s] > RANK[base]]
        if forward:
            return max(forward, key=RANK.__getitem__)
        if current == OBJECTION:
            expired = now_ms - self._last_objection_ms >= self.settings.objection_hold_s * 1000
            return base if signals or expired else OBJECTION
        if current == "opening" and now_ms >= self.settings.opening_max_s * 1000:
            return "discovery"
        return current

    def _enter(self, stage: str, utterance: Utterance, source: str) -> None:
        if self.history and self.history[-1].stage == stage:
            span = self.history[-1]
            span.to_utterance_id = utterance.utterance_id
            span.end_ms = max(span.end_ms, utterance.end_ms)
            return
        self._support, self._llm_confidence = 0, None
        self.history.append(
            StageSpan(
                stage,
                utterance.utterance_id,
                utterance.utterance_id,
                utterance.start_ms,
                utterance.end_ms,
                source,
            )
        )

    def history_dicts(self) -> list[dict[str, object]]:
        return [asdict(span) for span in self.history]

    def snapshot(self) -> dict[str, Any]:
        return {
            "history": self.history_dicts(),
            "resume": self._resume,
            "last_objection_ms": self._last_objection_ms,
            "support": self._support,
            "llm_confidence": self._llm_confidence,
        }

    def restore(self, data: dict[str, Any]) -> None:
        self.history = [StageSpan(**span) for span in data["history"]]
        self._resume, self._last_objection_ms = data["resume"], int(data["last_objection_ms"])
        self._support = int(data.get("support", 0))
        confidence = data.get("llm_confidence")
        self._llm_confidence = float(confidence) if confidence is not None else None
