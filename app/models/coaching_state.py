"""The coaching state of a live call, so another worker can continue it (one row per call,
replaced at a bounded cadence and on drain, deleted when the call ends)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UtcDateTime, utcnow


class LiveCoachingState(db.Model):  # type: ignore[name-defined]
    __tablename__ = "live_coaching_states"

    call_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, nullable=False)
