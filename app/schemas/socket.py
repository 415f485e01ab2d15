"""Payload schemas of the `/audio` Socket.IO namespace (docs/protocol.md)."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from app.events import SOURCES
from app.schemas.text import Text, is_clean

ID_MAX = 64
SEQ_MAX = 2**31
ID = Text(required=True, validate=validate.Length(min=1, max=ID_MAX))


class AudioFormatSchema(Schema):
    encoding = fields.Str(
        load_default="linear16", validate=validate.OneOf(("linear16", "opus", "opus_packets"))
    )
    sample_rate = fields.Int(load_default=16000, validate=validate.Range(min=8000, max=48000))
    channels = fields.Int(load_default=1, validate=validate.Range(min=1, max=2))


DEFAULT_AUDIO: dict[str, Any] = AudioFormatSchema().load({})


class CallStartSchema(Schema):
    title = Text(validate=validate.Length(min=1, max=200))
    goal = Text(multiline=True, validate=validate.Length(max=500))
    prospect_name = Text(validate=validate.Length(max=200))
    prospect_company = Text(validate=validate.Length(max=200))
    notes = Text(multiline=True, validate=validate.Length(max=10_000))
    audio = fields.Nested(AudioFormatSchema, load_default=lambda: dict(DEFAULT_AUDIO))
    sources = fields.List(
        fields.Str(validate=validate.OneOf(SOURCES)),
        load_default=lambda: ["rep"],
        validate=validate.Length(min=1, max=2),
    )
    resume_call_id = Text(validate=validate.Length(min=1, max=64))
    resume_seq = fields.Dict(
        keys=fields.Str(validate=validate.OneOf(SOURCES)),
        values=fields.Int(strict=True, validate=validate.Range(min=0, max=2**31)),
    )


class Binary(fields.Field):
    """Raw bytes (Socket.IO binary attachment); text or anything else is refused."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bytes:
        if isinstance(value, bytes | bytearray | memoryview):
            return bytes(value)
        raise ValidationError("Must be binary data.")


class AudioChunkSchema(Schema):
    call_id = ID
    source = fields.Str(load_default="rep", validate=validate.OneOf(SOURCES))
    seq = fields.Int(required=True, strict=True, validate=validate.Range(min=0, max=SEQ_MAX))
    data = Binary(required=True)

    @staticmethod
    def quick_load(payload: Any) -> dict[str, Any] | None:
        """The load of a plainly valid chunk without marshmallow (the hottest event), or
        ``None`` for anything else, which then goes through ``load`` and its errors."""
        if type(payload) is not dict or not payload.keys() <= _CHUNK_KEYS:
            return None
        call_id, source = payload.get("call_id"), payload.get("source", "rep")
        seq, data = payload.get("seq"), payload.get("data")
        if (
            type(call_id) is str
            and 0 < len(call_id) <= ID_MAX
            and is_clean(call_id)
            and type(source) is str
            and source in SOURCES
            and type(seq) is int
            and 0 <= seq <= SEQ_MAX
            and type(data) is bytes
        ):
            return {"call_id": call_id, "source": source, "seq": seq, "data": data}
        return None


_CHUNK_KEYS = frozenset(AudioChunkSchema().fields)


class CallRefSchema(Schema):
    call_id = ID


class WhisperSchema(Schema):
    call_id = ID
    text = Text(required=True, multiline=True, validate=validate.Length(min=1, max=500))


class FeedbackEventSchema(Schema):
    call_id = ID
    suggestion_id = ID
    action = fields.Str(required=True, validate=validate.OneOf(("used", "dismissed")))


class CorrectionSchema(Schema):
    utterance_id = ID
    source = fields.Str(required=True, validate=validate.OneOf(SOURCES))


class CorrectionEventSchema(CorrectionSchema):
    call_id = ID


class AuthRefreshSchema(Schema):
    token = Text(required=True, validate=validate.Length(min=1, max=4096))


class ConnectAuthSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # clients may send other handshake fields

    token = Text(required=True, validate=validate.Length(min=1, max=4096))
