"""The coaching interface shared by the playbook coach, the LLM coach and live metrics.

The live session creates one :class:`CallCoach` per call and feeds it every final
utterance (and optionally interims). The coach emits through a :class:`CoachingSink`,
which the session implements: it stores suggestions and emits Socket.IO events.
Playbook work runs inline (it takes microseconds); LLM work runs on background tasks
and never blocks the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from app.events import Source
from app.services.transcription.base import Word

Origin = Literal["playbook", "llm"]
SuggestionStatus = Literal["partial", "final"]


@dataclass(frozen=True)
class Utterance:
    """A final transcript as the coach sees it; times are ms on the call's timeline."""

    utterance_id: str
    source: Source
    text: str
    start_ms: int
    end_ms: int
    confidence: float = 1.0
    words: tuple[Word, ...] = field(default_factory=tuple)
    received_at: float = 0.0  # time.monotonic() when the final arrived at the server
    # the recognizer's next-best readings of the same audio, best first (local recognizer
    # finals); only matched, never shown or stored
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class TalkTrack:
    text: str
    when_to_use: str = ""


@dataclass(frozen=True)
class ToolkitItem:
    """One toolkit entry as loaded from the database (see app/models/toolkit.py)."""

    entry_id: str
    kind: str  # objection | discovery | signal | closing | checklist
    name: str
    title: str
    talk_track: str
    triggers: tuple[str, ...]
    negative_triggers: tuple[str, ...] = ()
    speakers: tuple[Source, ...] = ("prospect",)
    cooldown_s: float = 60.0
    max_per_call: int = 3
    talk_tracks: tuple[TalkTrack, ...] = ()  # the first one's text is ``talk_track``
    examples: tuple[str, ...] = ()  # utterances of the moment, matched by meaning
    threshold: float | None = None  # similarity needed to fire; None: the default


@dataclass(frozen=True)
class Objective:
    id: str  # unique within its stage
    text: str
    triggers: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeyQuestion:
    primary: str
    alternatives: tuple[str, ...] = ()
    context: str = ""


@dataclass(frozen=True)
class StagePlaybook:
    """One stage's guidance from the team's toolkit (``toolkit_stages``)."""

    stage: str
    what: str
    why: str = ""
    urgency: str = "medium"
    objectives: tuple[Objective, ...] = ()
    key_questions: tuple[KeyQuestion, ...] = ()
    talking_points: tuple[str, ...] = ()


@dataclass(frozen=True)
class CallSetup:
    """What the rep entered before the call. Prospect fields are personal data: never logged."""

    prospect_name: str | None = None
    prospect_company: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class CallContext:
    """What the coach knows about the call before it starts."""

    call_id: str
    team_id: str
    goal: str | None
    toolkit: tuple[ToolkitItem, ...]
    setup: CallSetup = field(default_factory=lambda: CallSetup())
    stages: tuple[StagePlaybook, ...] = ()  # the team's stage guidance (coaching/guidance.py)


@dataclass(frozen=True)
class SuggestionEvent:
    """Payload of the ``suggestion`` event (docs/protocol.md)."""

    call_id: str
    suggestion_id: str
    kind: str
    title: str
    body: str
    origin: Origin
    trigger_utterance_id: str
    status: SuggestionStatus
    latency_ms: int
    entry_id: str | None = None
    # A card fired on an interim: shown at once, stored when the utterance's final arrives
    # (then sent again with the final's id as trigger_utterance_id), or withdrawn when the
    # final is another moment or none (CoachingSink.withdrawn).
    pending: bool = False


@dataclass(frozen=True)
class NudgeEvent:
    call_id: str
    kind: str  # talk_ratio | monologue | pace | no_questions
    message: str


class CoachingSink(Protocol):
    """Implemented by the live session; every method is non-blocking."""

    def suggestion(self, event: SuggestionEvent) -> None: ...

    def withdrawn(self, event: SuggestionEvent, reason: str) -> None:
        """A pending interim card its final did not confirm: store it as withdrawn and
        tell clients to drop it (``suggestion:withdrawn``)."""

    def metrics(self, payload: dict[str, Any]) -> None: ...

    def nudge(self, event: NudgeEvent) -> None: ...

    def guidance(self, payload: dict[str, Any]) -> None:
        """The whole guidance panel (docs/protocol.md); the latest replaces the previous."""

    def degraded(self, reason: str) -> None:
        """The LLM coach failed; called once per outage, playbook keeps working."""

    def recovered(self) -> None: ...


class CallCoach(Protocol):
    def on_final(self, utterance: Utterance) -> None: ...

    def on_interim(self, utterance: Utterance) -> None:
        """A not-yet-final transcript; ``utterance_id`` is the interim's id."""

    def close(self) -> None:
        """Cancel in-flight work; no event is emitted after this returns."""
