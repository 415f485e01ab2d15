"""The team's playbook: objections, discovery questions, signals, closing lines, checklist."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UtcDateTime, id_column, utcnow

TOOLKIT_KINDS = ("objection", "discovery", "signal", "closing", "checklist")


class ToolkitEntry(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "toolkit_entries"
    __table_args__ = (UniqueConstraint("team_id", "name", name="uq_toolkit_team_name"),)

    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    talk_track: Mapped[str] = mapped_column(Text, nullable=False, default="")
    triggers: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    negative_triggers: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    speakers: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    cooldown_s: Mapped[float] = mapped_column(Float, nullable=False, default=60.0)
    max_per_call: Mapped[int] = mapped_column(Integer, nullable=False, default=3)
    examples: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    threshold: Mapped[float | None] = mapped_column(Float, nullable=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
