"""The single list of Socket.IO event names and of error codes (REST and sockets), shared
by server and frontend, and the vocabulary of a call: its states and its audio sources.

`flask protocol export` writes the enums into frontend/src/lib/protocol.generated.ts so
that the two sides cannot drift; a test checks the generated file is current.
"""

from enum import StrEnum
from typing import Literal, get_args

NAMESPACE = "/audio"


class ClientEvent(StrEnum):
    """Events a client emits; every one is acknowledged."""

    CALL_START = "call:start"
    AUDIO = "audio"
    CALL_STOP = "call:stop"
    CALL_CONSENT = "call:consent"
    CALL_JOIN = "call:join"
    CALL_LEAVE = "call:leave"
    COACH_WHISPER = "coach:whisper"
    SUGGESTION_FEEDBACK = "suggestion:feedback"
    AUTH_REFRESH = "auth:refresh"
    TRANSCRIPT_CORRECT = "transcript:correct"


class ServerEvent(StrEnum):
    """Events the server emits to clients."""

    TRANSCRIPT = "transcript"
    TRANSCRIPT_CORRECTED = "transcript:corrected"
    SUGGESTION = "suggestion"
    SUGGESTION_WITHDRAWN = "suggestion:withdrawn"
    GUIDANCE = "guidance"
    METRICS = "metrics"
    NUDGE = "nudge"
    CALL_STATUS = "call:status"
    WHISPER = "whisper"
    PRESENCE = "presence"
    ERROR = "error"


class CallState(StrEnum):
    """Lifecycle of a call as stored and as announced in `call:status`."""

    LIVE = "live"
    DEGRADED = "degraded"
    RECONNECTING = "reconnecting"
    ENDED = "ended"
    INTERRUPTED = "interrupted"


CALL_STATES: tuple[str, ...] = tuple(s.value for s in CallState)
# A call in one of these states still has a live session somewhere (or may be resumed).
LIVE_STATES: tuple[str, ...] = tuple(
    s.value for s in (CallState.LIVE, CallState.DEGRADED, CallState.RECONNECTING)
)
# A call in one of these states is over: it is counted, analysed and eventually purged.
FINISHED_STATES: tuple[str, ...] = (CallState.ENDED.value, CallState.INTERRUPTED.value)

# Who is speaking on an audio stream, and so in a transcript line: the rep or the prospect.
Source = Literal["rep", "prospect"]
SOURCES: tuple[Source, ...] = get_args(Source)
# A stored line nobody could attribute (a one-microphone call before attribution).
UNKNOWN_SOURCE = "unknown"
STORED_SOURCES: tuple[str, ...] = (*SOURCES, UNKNOWN_SOURCE)


class WithdrawReason(StrEnum):
    """Why a card fired on an interim was withdrawn when the utterance's final arrived."""

    FINAL_DIFFERS = "final_differs"  # the final is a different moment of the toolkit
    FINAL_UNMATCHED = "final_unmatched"  # the final is no moment at all


class ErrorCode(StrEnum):
    """The one list of error codes, in REST error bodies and socket acks / refusals alike
    (``{"error": {"code", "message", "request_id", "fields"?}}``; docs/api.md)."""

    # generic, one per HTTP status
    BAD_REQUEST = "bad_request"
    MALFORMED_JSON = "malformed_json"
    JSON_TOO_DEEP = "json_too_deep"
    NUMBER_OUT_OF_RANGE = "number_out_of_range"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    PRECONDITION_FAILED = "precondition_failed"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    VALIDATION_ERROR = "validation_error"
    RATE_LIMITED = "rate_limited"
    INTERNAL_ERROR = "internal_error"
    UNAVAILABLE = "unavailable"
    HTTP_ERROR = "http_error"
    # authentication
    TOKEN_EXPIRED = "token_expired"
    TOKEN_IN_QUERY = "token_in_query"
    TOKEN_REVOKED = "token_revoked"
    REFRESH_TOKEN_REUSED = "refresh_token_reused"
    API_KEY_LOGOUT = "api_key_logout"
    INVALID_TOKEN = "invalid_token"
    INVALID_CREDENTIALS = "invalid_credentials"
    INVALID_API_KEY = "invalid_api_key"
    ACCOUNT_INACTIVE = "account_inactive"
    ORIGIN_NOT_ALLOWED = "origin_not_allowed"
    SETUP_DONE = "setup_done"
    # resources
    USER_NOT_FOUND = "user_not_found"
    TEAM_NOT_FOUND = "team_not_found"
    EMAIL_TAKEN = "email_taken"
    API_KEY_NOT_FOUND = "api_key_not_found"
    CALL_NOT_FOUND = "call_not_found"
    CALL_NOT_ENDED = "call_not_ended"
    CALL_LIVE = "call_live"
    SUGGESTION_NOT_FOUND = "suggestion_not_found"
    SUGGESTION_WITHDRAWN = "suggestion_withdrawn"
    ANALYSIS_NOT_FOUND = "analysis_not_found"
    ANALYSIS_RUNNING = "analysis_running"
    INVALID_TOOLKIT = "invalid_toolkit"
    TOOLKIT_NAME_TAKEN = "toolkit_name_taken"
    TOOLKIT_ENTRY_NOT_FOUND = "toolkit_entry_not_found"
    TOOLKIT_STAGE_NOT_FOUND = "toolkit_stage_not_found"
    INVALID_LEGACY_TOOLKIT = "invalid_legacy_toolkit"
    # live calls
    QUOTA_EXCEEDED = "quota_exceeded"
    TOO_MANY_SOCKETS = "too_many_sockets"
    CHUNK_TOO_LARGE = "chunk_too_large"
    CALL_NOT_LIVE = "call_not_live"
    DUPLICATE_SEQ = "duplicate_seq"
    UNSUPPORTED_AUDIO = "unsupported_audio"
    BAD_AUDIO_CHUNK = "bad_audio_chunk"
    TRANSCRIBER_UNAVAILABLE = "transcriber_unavailable"
    SHUTTING_DOWN = "shutting_down"
    UNKNOWN_EVENT = "unknown_event"
    NOT_ATTRIBUTED = "not_attributed"
    # voice profiles
    NO_VOICE_PROFILE = "no_voice_profile"
    INVALID_AUDIO = "invalid_audio"
    NOT_ENOUGH_SPEECH = "not_enough_speech"
    SAMPLE_TOO_LONG = "sample_too_long"
