"""A call and everything recorded during it: utterances, suggestions, whispers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.events import CallState
from app.extensions import db
from app.models.base import UtcDateTime, created_column, id_column, utcnow


class Call(db.Model):  # type: ignore[name-defined]
    __tablename__ = "calls"
    __table_args__ = (
        Index("ix_calls_team_started", "team_id", "started_at"),
        Index("ix_calls_team_user_started", "team_id", "user_id", "started_at"),
        Index("ix_calls_team_state", "team_id", "state"),
        # Search ranks matches by (score, started_at, id) within the team: this index gives
        # each matching call's start without reading the calls' rows (index-only).
        Index("ix_calls_team_id_started", "team_id", "id", "started_at"),
        UniqueConstraint("team_id", "legacy_id", name="uq_calls_team_legacy"),
    )

    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False, default="Untitled call")
    state: Mapped[str] = mapped_column(String(16), nullable=False, default=CallState.LIVE.value)
    transcriber: Mapped[str] = mapped_column(String(32), nullable=False, default="local")
    coach: Mapped[str] = mapped_column(String(32), nullable=False, default="playbook")
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_activity_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    goal: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # Personal data: shown to the team, fed to the coach, never logged.
    prospect_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    prospect_company: Mapped[str | None] = mapped_column(String(200), nullable=True)
    guidance: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # latest final
    legacy_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    audio_format: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    live_summary: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # Numeric copies of the live summary, stored at call end so analytics aggregate in SQL.
    talk_ratio: Mapped[float | None] = mapped_column(Float, nullable=True)
    rep_talk_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    prospect_talk_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    questions_asked: Mapped[int | None] = mapped_column(Integer, nullable=True)
    checklist_coverage: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Recording consent as it stood for this call (the team's mode and text at its start).
    consent_mode: Mapped[str | None] = mapped_column(String(16), nullable=True)
    consent_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    consent_confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    consent_confirmed_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL", name="fk_calls_consent_confirmed_by"),
        nullable=True,
    )

    user = relationship("User", foreign_keys=[user_id])
    consent_confirmer = relationship("User", foreign_keys=[consent_confirmed_by])
    utterances: Mapped[list[Utterance]] = relationship(
        back_populates="call",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Utterance.start_ms",
    )
    suggestions: Mapped[list[Suggestion]] = relationship(
        back_populates="call",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def duration_s(self) -> float | None:
        if self.ended_at is None:
            return None
        return round((self.ended_at - self.started_at).total_seconds(), 1)


class Utterance(db.Model):  # type: ignore[name-defined]
    """A final transcript segment, stored the moment it arrives; unique per source + start."""

    __tablename__ = "utterances"
    __table_args__ = (
        UniqueConstraint("call_id", "source", "start_ms", name="uq_utterance_source_start"),
        Index("ix_utterances_call_start", "call_id", "start_ms"),
    )

    id: Mapped[str] = id_column()
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    start_ms: Mapped[int] = mapped_column(Integer, nullable=False)
    end_ms: Mapped[int] = mapped_column(Integer, nullable=False)
    confidence: Mapped[float] = mapped_column(Float, nullable=False, default=1.0)
    words: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    # One-microphone calls: how the speaker was attributed (null: the stream's own label).
    attribution_method: Mapped[str | None] = mapped_column(String(16), nullable=True)
    attribution_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = created_column()

    call: Mapped[Call] = relationship(back_populates="utterances")

    @property
    def attribution(self) -> dict[str, Any] | None:
        """``{method, confidence}`` for an attributed line, None for a stream's own label."""
        if self.attribution_method is None:
            return None
        confidence = round(float(self.attribution_confidence or 0.0), 3)
        return {"method": self.attribution_method, "confidence": confidence}


class Suggestion(db.Model):  # type: ignore[name-defined]
    __tablename__ = "suggestions"
    __table_args__ = (Index("ix_suggestions_call_created", "call_id", "created_at"),)

    id: Mapped[str] = id_column()
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    trigger_utterance_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    origin: Mapped[str] = mapped_column(String(16), nullable=False)
    entry_name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    latency_ms: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    feedback: Mapped[str | None] = mapped_column(String(16), nullable=True)
    feedback_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # A card fired on an interim that its final did not confirm (app.events.WithdrawReason);
    # None: the card stood. Withdrawn cards are kept for the record, never counted as shown.
    withdrawn_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = created_column()

    call: Mapped[Call] = relationship(back_populates="suggestions")

    @classmethod
    def shown(cls) -> ColumnElement[bool]:
        """The cards that stood: every count, list and analysis of cards shown uses this."""
        return cls.withdrawn_reason.is_(None)


class Whisper(db.Model):  # type: ignore[name-defined]
    __tablename__ = "whispers"

    id: Mapped[str] = id_column()
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    from_user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    text: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = created_column()
