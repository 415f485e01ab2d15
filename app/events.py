"""The single list of Socket.IO event names and error codes shared by server and frontend.

`flask protocol export` writes these into frontend/src/lib/protocol.generated.ts so
that the two sides cannot drift; a test checks the generated file is current.
"""

from enum import StrEnum

NAMESPACE = "/audio"


class ClientEvent(StrEnum):
    """Events a client emits; every one is acknowledged."""

    CALL_START = "call:start"
    AUDIO = "audio"
    CALL_STOP = "call:stop"
    CALL_JOIN = "call:join"
    CALL_LEAVE = "call:leave"
    COACH_WHISPER = "coach:whisper"
    SUGGESTION_FEEDBACK = "suggestion:feedback"
    AUTH_REFRESH = "auth:refresh"


class ServerEvent(StrEnum):
    """Events the server emits to clients."""

    TRANSCRIPT = "transcript"
    SUGGESTION = "suggestion"
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


class ErrorCode(StrEnum):
    """Codes in socket acks (``{ok: false, error: {code, message}}``) and connect refusals."""

    UNAUTHORIZED = "unauthorized"
    TOKEN_EXPIRED = "token_expired"
    TOKEN_REVOKED = "token_revoked"
    TOKEN_IN_QUERY = "token_in_query"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    VALIDATION_ERROR = "validation_error"
    RATE_LIMITED = "rate_limited"
    QUOTA_EXCEEDED = "quota_exceeded"
    TOO_MANY_SOCKETS = "too_many_sockets"
    CHUNK_TOO_LARGE = "chunk_too_large"
    CALL_NOT_LIVE = "call_not_live"
    DUPLICATE_SEQ = "duplicate_seq"
    UNSUPPORTED_AUDIO = "unsupported_audio"
    TRANSCRIBER_UNAVAILABLE = "transcriber_unavailable"
    SHUTTING_DOWN = "shutting_down"
    UNKNOWN_EVENT = "unknown_event"
    INTERNAL_ERROR = "internal_error"
