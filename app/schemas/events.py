"""Payloads the server sends on the `/audio` namespace, and the acks of client events.

The one definition of each server → client payload: the live call dumps its events
through these (app/services/live/emitter.py) and the web app's validators are generated
from them (they are components of the OpenAPI document; `make protocol`).
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.events import STORED_SOURCES, CallState, ServerEvent, WithdrawReason
from app.schemas.call import (
    ORIGINS,
    AttributionSchema,
    CallConsentSchema,
    CorrectedLineSchema,
)
from app.schemas.common import ErrorDetailSchema
from app.schemas.guidance import GuidanceSchema
from app.schemas.live_join import JoinSnapshotSchema
from app.services.coaching.stages import STAGES


def _required_str(**kwargs: object) -> fields.Str:
    return fields.Str(required=True, **kwargs)  # type: ignore[arg-type]


class TranscriptEventSchema(Schema):
    call_id = _required_str()
    utterance_id = _required_str()
    source = _required_str(validate=validate.OneOf(STORED_SOURCES))
    text = _required_str()
    is_final = fields.Bool(required=True)
    start_ms = fields.Int(required=True)
    end_ms = fields.Int(required=True)
    confidence = fields.Float(required=True)
    replaces = fields.Str(metadata={"description": "id of the interim this final replaces"})
    attribution = fields.Nested(
        AttributionSchema,
        metadata={"description": "on a one-microphone call: how the speaker was attributed"},
    )


class SuggestionEventSchema(Schema):
    call_id = _required_str()
    suggestion_id = _required_str()
    kind = _required_str()
    title = _required_str()
    body = _required_str()
    origin = _required_str(validate=validate.OneOf(ORIGINS))
    trigger_utterance_id = fields.Str(required=True, allow_none=True)
    status = _required_str(validate=validate.OneOf(("partial", "final")))
    latency_ms = fields.Int(required=True)


class SuggestionWithdrawnEventSchema(Schema):
    """A card fired on an interim that its final did not confirm: clients drop it."""

    call_id = _required_str()
    suggestion_id = _required_str()
    reason = _required_str(
        validate=validate.OneOf([r.value for r in WithdrawReason]),
        metadata={"description": "final_differs: another moment; final_unmatched: none"},
    )


class ChecklistItemSchema(Schema):
    name = _required_str()
    title = _required_str()
    done = fields.Bool(required=True)


class MetricsEventSchema(Schema):
    call_id = _required_str()
    talk_ratio = fields.Float(required=True)
    rep_wpm = fields.Float(required=True)
    current_monologue_s = fields.Float(required=True)
    longest_monologue_s = fields.Float(required=True)
    questions_asked = fields.Int(required=True)
    prospect_questions = fields.Int(required=True)
    filler_words = fields.Int(required=True)
    rep_words = fields.Int()
    prospect_words = fields.Int()
    rep_talk_s = fields.Float()
    prospect_talk_s = fields.Float()
    elapsed_s = fields.Float(required=True)
    stage = fields.Str(allow_none=True, validate=validate.OneOf(STAGES))
    checklist = fields.List(fields.Nested(ChecklistItemSchema), required=True)


class NudgeEventSchema(Schema):
    call_id = _required_str()
    kind = _required_str(metadata={"description": "talk_ratio, monologue, pace, no_questions"})
    message = _required_str()


class CallStatusEventSchema(Schema):
    call_id = _required_str()
    state = _required_str(validate=validate.OneOf([s.value for s in CallState]))
    reason = fields.Str(allow_none=True)


class WhisperEventSchema(Schema):
    class Meta:
        ordered = True

    call_id = _required_str()
    whisper_id = _required_str()
    from_ = _required_str(data_key="from", attribute="from")
    text = _required_str()


class PresenceCoachSchema(Schema):
    id = _required_str()
    name = _required_str()


class PresenceEventSchema(Schema):
    call_id = _required_str()
    coaches = fields.List(fields.Nested(PresenceCoachSchema), required=True)


class AckFailureSchema(Schema):
    ok = fields.Bool(required=True, validate=validate.Equal(False))
    error = fields.Nested(ErrorDetailSchema, required=True)


class CallStartAckSchema(Schema):
    ok = fields.Bool(required=True)
    call_id = _required_str()
    state = _required_str(validate=validate.OneOf([s.value for s in CallState]))
    transcriber = _required_str()
    coach = _required_str()
    next_seq = fields.Dict(keys=fields.Str(), values=fields.Int(), required=True)
    consent = fields.Nested(CallConsentSchema, required=True)
    guidance = fields.Nested(GuidanceSchema, allow_none=True)


class AudioAckSchema(Schema):
    ok = fields.Bool(required=True)
    seq = fields.Int(required=True)


class CallStopAckSchema(Schema):
    ok = fields.Bool(required=True)
    call_id = _required_str()
    duration_s = fields.Float(required=True, allow_none=True)


#: The payload schema of every server event (one definition, dumped by the emitter).
SERVER_EVENT_SCHEMAS: dict[str, type[Schema]] = {
    ServerEvent.TRANSCRIPT: TranscriptEventSchema,
    ServerEvent.TRANSCRIPT_CORRECTED: CorrectedLineSchema,
    ServerEvent.GUIDANCE: GuidanceSchema,
    ServerEvent.SUGGESTION: SuggestionEventSchema,
    ServerEvent.SUGGESTION_WITHDRAWN: SuggestionWithdrawnEventSchema,
    ServerEvent.METRICS: MetricsEventSchema,
    ServerEvent.NUDGE: NudgeEventSchema,
    ServerEvent.CALL_STATUS: CallStatusEventSchema,
    ServerEvent.WHISPER: WhisperEventSchema,
    ServerEvent.PRESENCE: PresenceEventSchema,
    ServerEvent.ERROR: ErrorDetailSchema,
}

#: Ack payloads the web app reads.
ACK_SCHEMAS: tuple[type[Schema], ...] = (
    AckFailureSchema,
    CallStartAckSchema,
    AudioAckSchema,
    CallStopAckSchema,
    JoinSnapshotSchema,
)
