"""A rep's voice profile: the features one-microphone attribution needs, never audio."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UtcDateTime, utcnow

PROFILE_METHODS = ("recorded", "learned")


class VoiceProfile(db.Model):  # type: ignore[name-defined]
    __tablename__ = "voice_profiles"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    vector: Mapped[list[Any]] = mapped_column(JSON, nullable=False)
    method: Mapped[str] = mapped_column(String(16), nullable=False)
    samples: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    seconds: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, nullable=False)
