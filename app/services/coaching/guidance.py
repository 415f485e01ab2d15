"""Live guidance from the team's playbook: focus, key questions, talking points, objectives.

:class:`GuidanceTracker` holds one call's guidance state (small and serialisable: the
ticked objective ids, the objection being handled, the model's overlay for the current
stage) and builds the ``guidance`` payload (docs/protocol.md) for the current stage. The
playbook is the base; when the LLM guidance coach has tailored the current stage, its
focus, key questions and talking points overlay the base until the stage changes. An
objection switches the focus to handling that objection, with its talk tracks as points.

Objectives are ticked by an :class:`ObjectiveDetector`; :class:`PhraseObjectiveDetector`
matches each objective's trigger phrases (either speaker). A detector by meaning can take
its place without changing the tracker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from app.services.coaching.base import (
    CallContext,
    KeyQuestion,
    StagePlaybook,
    ToolkitItem,
    Utterance,
)
from app.services.coaching.text import PhraseIndex

OBJECTION = "objection_handling"
MAX_POINT = 300  # a talking point taken from a talk track is cut to this many characters


def objective_key(stage: str, objective_id: str) -> str:
    """The objective id as sent to clients: ``<stage>:<id>``."""
    return f"{stage}:{objective_id}"


class ObjectiveDetector(Protocol):
    """Which objectives (``<stage>:<id>`` keys) an utterance covers."""

    def covered(self, utterance: Utterance, tokens: Sequence[str]) -> set[str]: ...


class PhraseObjectiveDetector:
    """An objective is covered when either speaker says one of its trigger phrases."""

    def __init__(self, stages: Sequence[StagePlaybook]) -> None:
        self._index: PhraseIndex[str] = PhraseIndex(
            (objective_key(s.stage, o.id), phrase, False)
            for s in stages
            for o in s.objectives
            for phrase in o.triggers
        )

    def covered(self, utterance: Utterance, tokens: Sequence[str]) -> set[str]:
        return set(self._index.find(tokens).matched())


@dataclass
class GuidanceState:
    """Everything the tracker remembers; plain data (a coaching-state snapshot can copy it)."""

    done: dict[str, str] = field(default_factory=dict)  # objective key -> utterance id
    objection_entry: str | None = None  # entry_id of the objection being handled
    overlay: dict[str, Any] | None = None  # the model's focus/questions/points for the stage
    overlay_stage: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class GuidanceTracker:
    """Builds the call's guidance payload; the caller serialises access (the coach's lock)."""

    def __init__(self, context: CallContext, detector: ObjectiveDetector | None = None) -> None:
        self._context = context
        self._stages = {s.stage: s for s in context.stages}
        self._entries = {i.entry_id: i for i in context.toolkit}
        self._detector = detector or PhraseObjectiveDetector(context.stages)
        self.state = GuidanceState()

    def observe(
        self,
        utterance: Utterance,
        tokens: Sequence[str],
        stage: str,
        matched: Sequence[ToolkitItem],
    ) -> bool:
        """Tick objectives and note objections; True if the guidance changed."""
        changed = False
        for key in sorted(self._detector.covered(utterance, tokens) - set(self.state.done)):
            self.state.done[key] = utterance.utterance_id
            changed = changed or key.startswith(f"{stage}:")
        objection = next((i for i in matched if i.kind == "objection"), None)
        if stage == OBJECTION and objection and objection.entry_id != self.state.objection_entry:
            self.state.objection_entry = objection.entry_id
            changed = True
        return changed

    def stage_changed(self, stage: str) -> None:
        """A new stage drops the model's overlay of the old one and any handled objection."""
        if self.state.overlay_stage != stage:
            self.state.overlay, self.state.overlay_stage = None, None
        if stage != OBJECTION:
            self.state.objection_entry = None

    def set_overlay(self, stage: str, overlay: dict[str, Any] | None) -> None:
        """The model's tailored focus/questions/points for ``stage`` (None: back to playbook)."""
        self.state.overlay, self.state.overlay_stage = overlay, stage if overlay else None

    def payload(
        self,
        stage: str,
        confidence: float,
        time_in_stage_s: float,
        overlay: dict[str, Any] | None = None,
        status: str = "final",
    ) -> dict[str, Any]:
        """The ``guidance`` event for ``stage``; ``overlay`` (a partial) beats the stored one."""
        base = self.playbook_fields(stage)
        if overlay is None and self.state.overlay_stage == stage:
            overlay = self.state.overlay
        fields = {**base, **{k: v for k, v in (overlay or {}).items() if v}}
        return {
            "call_id": self._context.call_id,
            "stage": stage,
            "stage_confidence": round(confidence, 2),
            "time_in_stage_s": round(max(0.0, time_in_stage_s), 1),
            **fields,
            "objectives": self.objectives(stage),
            "origin": "llm" if overlay else "playbook",
            "status": status if overlay else "final",
        }

    def playbook_fields(self, stage: str) -> dict[str, Any]:
        """Focus, key questions and talking points of the playbook for ``stage``."""
        playbook = self._stages.get(stage) or StagePlaybook(stage, "Listen and ask questions")
        focus = {"what": playbook.what, "why": playbook.why, "urgency": playbook.urgency}
        points = list(playbook.talking_points)
        if stage == "opening":
            points = self.brief_points() + points
        entry = self._entries.get(self.state.objection_entry or "")
        if stage == OBJECTION and entry is not None:
            focus = {**focus, "what": f"Handle the objection: {entry.title}", "urgency": "high"}
            tracks = [t.text for t in entry.talk_tracks] or [entry.talk_track]
            points = [t[:MAX_POINT] for t in tracks[:3] if t] + points
        return {
            "focus": focus,
            "key_questions": [_question(q) for q in playbook.key_questions],
            "talking_points": points,
        }

    def brief_points(self) -> list[str]:
        """The call setup as talking points for the pre-call brief."""
        setup, points = self._context.setup, []
        if self._context.goal:
            points.append(f"Call goal: {self._context.goal}")
        who = ", ".join(p for p in (setup.prospect_name, setup.prospect_company) if p)
        if who:
            points.append(f"Speaking with: {who}")
        if setup.notes:
            points.append(f"Your notes: {setup.notes[:MAX_POINT]}")
        return points

    def objectives(self, stage: str) -> list[dict[str, Any]]:
        playbook = self._stages.get(stage)
        if playbook is None:
            return []
        return [
            {
                "id": (key := objective_key(stage, o.id)),
                "text": o.text,
                "done": key in self.state.done,
            }
            for o in playbook.objectives
        ]

    def remaining(self, stage: str) -> list[str]:
        """Texts of the stage's objectives not covered yet (for the model's context)."""
        return [o["text"] for o in self.objectives(stage) if not o["done"]]


def _question(question: KeyQuestion) -> dict[str, Any]:
    return {
        "primary": question.primary,
        "alternatives": list(question.alternatives),
        "context": question.context,
    }
