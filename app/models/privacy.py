"""A team's privacy settings: recording consent and which sensitive numbers are redacted.

One row per team, created on the first change; a team without a row has the defaults
(no consent step, cards and US SSNs redacted, the rep sees redacted text too).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UtcDateTime, utcnow

CONSENT_MODES = ("off", "reminder", "required")
DEFAULT_CONSENT_TEXT = (
    "Before we start: this call is recorded and transcribed so I can focus on you "
    "instead of taking notes. Is that all right with you?"
)


class TeamPrivacy(db.Model):  # type: ignore[name-defined]
    __tablename__ = "team_privacy"

    team_id: Mapped[str] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    consent_mode: Mapped[str] = mapped_column(String(16), nullable=False, default="off")
    consent_text: Mapped[str] = mapped_column(Text, nullable=False, default=DEFAULT_CONSENT_TEXT)
    redaction_kinds: Mapped[list[Any]] = mapped_column(JSON, nullable=False)
    phone_region: Mapped[str] = mapped_column(String(2), nullable=False, default="US")
    rep_sees_unredacted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, nullable=False)
