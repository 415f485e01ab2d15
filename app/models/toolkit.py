"""The team's playbook: entries (objections, discovery questions, signals, closing lines,
openers, reference scripts, checklist) and the guidance of each call stage."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UtcDateTime, id_column, utcnow

TOOLKIT_KINDS = ("objection", "discovery", "signal", "closing", "checklist", "opener", "reference")
# Kinds shown in the toolkit panel only: they may have no triggers and never fire cards.
PANEL_KINDS = ("opener", "reference")
STAGES = ("opening", "discovery", "pitch", "objection_handling", "close")  # call stages


class ToolkitEntry(db.Model):  # type: ignore[name-defined]
    __tablename__ = "toolkit_entries"
    __table_args__ = (UniqueConstraint("team_id", "name", name="uq_toolkit_team_name"),)

    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    talk_track: Mapped[str] = mapped_column(Text, nullable=False, default="")  # = talk_tracks[0]
    talk_tracks: Mapped[list[dict[str, str]]] = mapped_column(JSON, nullable=False, default=list)
    triggers: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    negative_triggers: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    speakers: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    cooldown_s: Mapped[float] = mapped_column(Float, nullable=False, default=60.0)
    max_per_call: Mapped[int] = mapped_column(Integer, nullable=False, default=3)
    examples: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    threshold: Mapped[float | None] = mapped_column(Float, nullable=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class ToolkitStage(db.Model):  # type: ignore[name-defined]
    """What the rep should achieve in one call stage: focus, objectives, key questions."""

    __tablename__ = "toolkit_stages"
    __table_args__ = (UniqueConstraint("team_id", "stage", name="uq_toolkit_stage_team_stage"),)

    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(32), nullable=False)
    focus: Mapped[dict[str, str]] = mapped_column(JSON, nullable=False, default=dict)
    objectives: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    key_questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    talking_points: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
