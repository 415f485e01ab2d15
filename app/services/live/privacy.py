"""Recording consent and redaction for one live call.

The team's settings are read once when the call starts (or is revived); the call keeps
them in a :class:`CallPrivacy`. With consent ``required`` the call's audio is discarded
before the recognizer until the rep confirms the prospect agreed (``call:consent``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.extensions import db
from app.models import Call
from app.models.base import utcnow
from app.services.auth import Principal
from app.services.privacy import PrivacySettings
from app.services.redaction import Redactor


@dataclass
class CallPrivacy:
    redactor: Redactor = field(default_factory=Redactor)
    rep_sees_unredacted: bool = False
    consent_pending: bool = False

    @classmethod
    def of(cls, settings: PrivacySettings, call: Call) -> CallPrivacy:
        pending = call.consent_mode == "required" and call.consent_confirmed_at is None
        return cls(settings.redactor(), settings.rep_sees_unredacted, pending)


def stamp_new_call(call: Call, settings: PrivacySettings) -> None:
    """Record on a new call the consent mode and text in force, and redact typed text."""
    redactor = settings.redactor()
    call.consent_mode = settings.consent_mode
    call.consent_text = settings.consent_text if settings.consent_mode != "off" else None
    call.title = redactor.text(call.title)
    call.goal = redactor.text(call.goal) if call.goal else call.goal


def confirm(call_id: str, principal: Principal) -> Call:
    """Store who confirmed the prospect's consent, and when; a repeat keeps the first."""
    call = db.session.get(Call, call_id)
    assert call is not None  # the caller owns the live call
    if call.consent_confirmed_at is None:
        call.consent_confirmed_at, call.consent_confirmed_by = utcnow(), principal.user_id
        db.session.commit()
    return call
