"""A team's privacy settings (consent mode and text, redaction kinds), read and changed.

Everything that stores or shows text asks :func:`redactor_for` (typed titles, notes,
whispers) or gets the redactor with the call (the live pipeline).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.extensions import db
from app.models import Call, TeamPrivacy
from app.models.base import utcnow
from app.models.privacy import DEFAULT_CONSENT_TEXT
from app.services.redaction import DEFAULT_KINDS, Redactor
from app.services.redaction.kinds import ALL_KINDS, Kind


@dataclass(frozen=True)
class PrivacySettings:
    consent_mode: str = "off"
    consent_text: str = DEFAULT_CONSENT_TEXT
    redaction_kinds: tuple[Kind, ...] = tuple(k for k in ALL_KINDS if k in DEFAULT_KINDS)
    phone_region: str = "US"
    rep_sees_unredacted: bool = False
    updated_at: datetime | None = None

    def redactor(self) -> Redactor:
        return Redactor(self.redaction_kinds, self.phone_region)

    def view(self) -> dict[str, Any]:
        """The settings as the API shows them, with the supported kinds for editors."""
        return {**self.__dict__, "supported_kinds": list(ALL_KINDS)}


def settings_for(team_id: str) -> PrivacySettings:
    row = db.session.get(TeamPrivacy, team_id)
    if row is None:
        return PrivacySettings()
    return PrivacySettings(
        consent_mode=row.consent_mode,
        consent_text=row.consent_text,
        redaction_kinds=tuple(k for k in ALL_KINDS if k.value in row.redaction_kinds),
        phone_region=row.phone_region,
        rep_sees_unredacted=row.rep_sees_unredacted,
        updated_at=row.updated_at,
    )


def update(team_id: str, changes: dict[str, Any]) -> PrivacySettings:
    row = db.session.get(TeamPrivacy, team_id)
    if row is None:
        defaults = PrivacySettings()
        row = TeamPrivacy(
            team_id=team_id,
            consent_mode=defaults.consent_mode,
            consent_text=defaults.consent_text,
            redaction_kinds=[k.value for k in defaults.redaction_kinds],
            phone_region=defaults.phone_region,
            rep_sees_unredacted=defaults.rep_sees_unredacted,
        )
        db.session.add(row)
    for name, value in changes.items():
        if name == "redaction_kinds":
            value = [k.value for k in ALL_KINDS if k.value in set(value)]
        setattr(row, name, value)
    row.updated_at = utcnow()
    db.session.commit()
    return settings_for(team_id)


def redactor_for(team_id: str) -> Redactor:
    return settings_for(team_id).redactor()


def consent_view(call: Call, iso: bool = False) -> dict[str, Any]:
    """The call's consent as the API, the exports and socket acks show it (``iso``:
    the time as an ISO 8601 string)."""
    confirmer, at = call.consent_confirmer, call.consent_confirmed_at
    return {
        "mode": call.consent_mode,
        "text": call.consent_text,
        "confirmed_at": at.isoformat() if iso and at is not None else at,
        "confirmed_by": (
            {"id": confirmer.id, "name": confirmer.name} if confirmer is not None else None
        ),
    }
