"""The one error envelope, for HTTP responses and Socket.IO acks alike.

Every error is ``{"error": {"code", "message", "request_id"}}`` (plus ``fields`` for
validation errors). No exception text, stack trace or internal detail ever leaves here.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, jsonify
from werkzeug.exceptions import HTTPException

from app.extensions import db

log = logging.getLogger(__name__)

HTTP_CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "The request could not be understood."),
    401: ("unauthorized", "Authentication is required."),
    403: ("forbidden", "You are not allowed to do this."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "Method not allowed."),
    409: ("conflict", "The request conflicts with the current state."),
    412: ("precondition_failed", "Precondition failed."),
    413: ("payload_too_large", "The request body is too large."),
    415: ("unsupported_media_type", "Send JSON with Content-Type: application/json."),
    422: ("validation_error", "The request has invalid fields."),
    429: ("rate_limited", "Too many requests; slow down."),
    500: ("internal_error", "Something went wrong on our side."),
    503: ("unavailable", "The service is temporarily unavailable."),
}


class AppError(Exception):
    """A domain error with a stable code; raised by services, rendered by the handlers."""

    status = 400
    code = "bad_request"
    message = "Bad request."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        fields: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.code = code or self.code
        self.status = status or self.status
        self.fields = fields


class Unauthorized(AppError):
    status, code, message = 401, "unauthorized", "Authentication is required."


class TokenExpired(AppError):
    status, code, message = 401, "token_expired", "The token has expired."


class Forbidden(AppError):
    status, code, message = 403, "forbidden", "You are not allowed to do this."


class NotFound(AppError):
    status, code, message = 404, "not_found", "Not found."


class Conflict(AppError):
    status, code, message = 409, "conflict", "The request conflicts with the current state."


class ValidationFailed(AppError):
    status, code, message = 422, "validation_error", "The request has invalid fields."


class UnsupportedMediaType(AppError):
    status, code, message = 415, "unsupported_media_type", HTTP_CODES[415][1]


class MalformedJson(AppError):
    status, code, message = 400, "malformed_json", "The request body is not valid JSON."


class JsonTooDeep(AppError):
    status, code, message = 400, "json_too_deep", "The JSON body is nested too deeply."


class NumberOutOfRange(AppError):
    status, code = 400, "number_out_of_range"
    message = "A number in the body is too large (at most 15 digits, finite)."


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """The envelope; used verbatim in Socket.IO acks (``{"ok": False, **error_body(...)}``)."""
    error: dict[str, Any] = {"code": code, "message": message}
    request_id = g.get("request_id") if g else None
    if request_id:
        error["request_id"] = request_id
    if fields:
        error["fields"] = fields
    return {"error": error}


def error_response(
    status: int, code: str, message: str, fields: dict[str, Any] | None = None
) -> tuple[Response, int]:
    return jsonify(error_body(code, message, fields)), status


def _handle_app_error(exc: AppError) -> tuple[Response, int]:
    return error_response(exc.status, exc.code, exc.message, exc.fields)


def _validation_fields(exc: HTTPException) -> dict[str, Any] | None:
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    if not isinstance(messages, dict) or not messages:
        return None
    # webargs nests by location ("json", "query"); flatten a single location.
    return next(iter(messages.values())) if len(messages) == 1 else messages


def _handle_http_error(exc: HTTPException) -> tuple[Response, int]:
    status = exc.code or 500
    code, message = HTTP_CODES.get(status, ("http_error", "Request failed."))
    fields = _validation_fields(exc)
    if status == 400 and ("JSON" in str(fields) or "JSON" in (exc.description or "")):
        code, message, fields = "malformed_json", "The request body is not valid JSON.", None
    response = error_response(status, code, message, fields)
    if status == 429 and exc.get_response().headers.get("Retry-After"):
        response[0].headers["Retry-After"] = exc.get_response().headers["Retry-After"]
    return response


def _handle_unexpected(exc: Exception) -> tuple[Response, int]:
    db.session.rollback()
    log.exception("unhandled error", extra={"error_type": type(exc).__name__})
    return error_response(500, *HTTP_CODES[500])


def init_app(app: Flask) -> None:
    """Register the handlers; called after the API so these win over flask-smorest's."""
    app.register_error_handler(AppError, _handle_app_error)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(Exception, _handle_unexpected)
