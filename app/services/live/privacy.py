"""Recording consent and redaction for one live call.

The team's settings are read once when the call starts (or is revived); the call keeps
them in a :class:`CallPrivacy`. With consent ``required`` the call's audio is discarded
before the recognizer until the rep confirms the prospect agreed (``call:consent``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.extensions import db
from app.models import Call
from app.models.base import utcnow
from app.services.auth import Principal
from app.services.live.emitter import call_room, coach_room, rep_room
from app.services.privacy import PrivacySettings, consent_view
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


def transcript_rooms(
    privacy: CallPrivacy, call_id: str, payload: dict[str, Any], raw_text: str | None
) -> list[tuple[dict[str, Any], str]]:
    """Where a ``transcript`` event goes: to the whole call, or, when the team lets the rep
    see unredacted text and redaction changed it (``raw_text``), the redacted payload to
    the coaches and the unredacted one to the rep's own connection only."""
    if raw_text is None or raw_text == payload["text"] or not privacy.rep_sees_unredacted:
        return [(payload, call_room(call_id))]
    return [(payload, coach_room(call_id)), ({**payload, "text": raw_text}, rep_room(call_id))]


def setup_fields(
    data: dict[str, Any], settings: PrivacySettings
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``call:start`` data with the typed title, goal and notes redacted, and the new call's
    consent columns (the mode and text in force), stored with it in one insert."""
    redactor = settings.redactor()
    data = {
        **data,
        **{k: redactor.text(data[k]) for k in ("title", "goal", "notes") if data.get(k)},
    }
    text = settings.consent_text if settings.consent_mode != "off" else None
    return data, {"consent_mode": settings.consent_mode, "consent_text": text}


def confirm_consent(call_id: str, privacy: CallPrivacy, principal: Principal) -> dict[str, Any]:
    """Store who confirmed the prospect's consent, and when (a repeat keeps the first),
    then let the call's audio through; answers the ``call:consent`` ack."""
    call = db.session.get(Call, call_id)
    assert call is not None  # the caller owns the live call
    if call.consent_confirmed_at is None:
        call.consent_confirmed_at, call.consent_confirmed_by = utcnow(), principal.user_id
        db.session.commit()
    privacy.consent_pending = False
    return {"call_id": call.id, **consent_view(call, iso=True)}


def consent_ack(call_id: str) -> dict[str, Any]:
    """The call's consent for the ``call:start`` ack."""
    call = db.session.get(Call, call_id)
    return consent_view(call, iso=True) if call is not None else {}
