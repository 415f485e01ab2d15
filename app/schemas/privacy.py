"""A team's privacy settings as the API reads and changes them."""

from __future__ import annotations

import phonenumbers
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.models.privacy import CONSENT_MODES
from app.schemas.text import Text
from app.services.redaction.kinds import ALL_KINDS

KIND_NAMES = [k.value for k in ALL_KINDS]
KIND_FIELD = fields.Str(validate=validate.OneOf(KIND_NAMES))


class TeamSettingsSchema(Schema):
    consent_mode = fields.Str(
        metadata={
            "description": "off: nothing; reminder: the live page shows the text at "
            "the start; required: nothing is transcribed or stored until the rep "
            "confirms the prospect agreed"
        }
    )
    consent_text = fields.Str(metadata={"description": "What the rep reads to the prospect"})
    redaction_kinds = fields.List(fields.Str(), metadata={"description": "Kinds redacted"})
    phone_region = fields.Str(metadata={"description": "Region of phone numbers said without +"})
    rep_sees_unredacted = fields.Bool(
        metadata={"description": "The rep's own live view shows the unredacted text"}
    )
    updated_at = fields.DateTime(allow_none=True)
    supported_kinds = fields.List(fields.Str(), metadata={"description": "Every kind there is"})


class TeamSettingsUpdateSchema(Schema):
    consent_mode = fields.Str(validate=validate.OneOf(CONSENT_MODES))
    consent_text = Text(multiline=True, validate=validate.Length(min=1, max=1000))
    redaction_kinds = fields.List(KIND_FIELD, validate=validate.Length(max=len(KIND_NAMES)))
    phone_region = fields.Str(
        validate=validate.OneOf(sorted(phonenumbers.SUPPORTED_REGIONS)),
        metadata={"description": "ISO 3166 alpha-2 code, e.g. US, GB, DE"},
    )
    rep_sees_unredacted = fields.Bool()

    @validates_schema
    def _not_empty(self, data: dict[str, object], **_: object) -> None:
        if not data:
            raise ValidationError("Change at least one setting.")
