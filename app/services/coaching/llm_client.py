"""Claude through the official ``anthropic`` SDK: settings, one client, retries, failure codes.

The SDK's own retries are off (``max_retries=0``) and its 10-minute timeout replaced: a live
card is useless after a few seconds. Our policy (tenacity) retries at most ``max_retries``
times, only for 429 (not spend-limit), 529, 5xx and connection errors, and only before the
first partial reached the rep; it honours ``retry-after`` but never waits past the deadline.

Spend-limit rule (never retried; coaching is switched off for the team): the error body's
``error.details.error_code`` is one of :data:`SPEND_LIMIT_CODES`, or ``error.type`` is
``billing_error``, or a 400/402/429 whose message mentions a spend/usage limit, credit
balance or billing (the wording Anthropic used before it added error codes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anthropic
import httpx2
from tenacity import RetryCallState, Retrying, retry_if_exception

from app.services.coaching.llm_stream import (
    Cancelled,
    CancelScope,
    PartialCallback,
    ToolOutcome,
    stream_tool,
)
from app.services.coaching.prompt import Prompt

log = logging.getLogger(__name__)

RATE_LIMITED = "llm_rate_limited"
OVERLOADED = "llm_overloaded"
UNAVAILABLE = "llm_unavailable"
TIMEOUT = "llm_timeout"
SPEND_LIMIT = "llm_spend_limit"
AUTH_FAILED = "llm_auth_failed"
BAD_RESPONSE = "llm_bad_response"

SPEND_LIMIT_CODES = frozenset(
    {
        "enforced_spend_limit_reached",
        "contract_spend_limit_reached",
        "linked_organization_spend_limit_reached",
    }
)
_SPEND_WORDS = ("spend limit", "usage limit", "credit balance", "billing")
_BACKOFF_S = 0.25  # wait before a retry when the server gave no retry-after


@dataclass(frozen=True)
class LlmSettings:
    """Everything the LLM coach needs; built by app/config.py from env vars."""

    api_key: str
    base_url: str | None = None  # None: the SDK's default (api.anthropic.com)
    model: str = "claude-haiku-4-5"
    max_tokens: int = 300
    deadline_s: float = 6.0  # wall clock per turn, retries included
    first_token_timeout_s: float = 3.0  # also the longest silence allowed mid-stream
    connect_timeout_s: float = 2.0
    max_retries: int = 1
    context_token_budget: int = 1500
    partial_interval_s: float = 0.1  # at most one partial update per interval
    min_interval_s: float = 20.0  # non-signal prospect turns: at most one request per interval
    min_words: int = 3  # shorter unmatched turns ("ok", "yeah sure") never trigger
    spend_limit_reset_s: float = 3600.0  # LLM off for a team after a spend-limit error
    guidance_interval_s: float = 8.0  # prospect turns refresh the guidance at most this often
    guidance_max_tokens: int = 700  # a guidance answer is longer than a card


class LlmFailure(Exception):
    """A turn failed; ``reason`` is a stable code, never exception text."""

    def __init__(
        self, reason: str, *, retryable: bool = False, retry_after_s: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after_s = retry_after_s


def is_spend_limit(exc: anthropic.APIStatusError) -> bool:
    """Apply the module's spend-limit rule to an error response."""
    if exc.error_code in SPEND_LIMIT_CODES or exc.type == "billing_error":
        return True
    message = (exc.api_message or "").lower()
    return exc.status_code in (400, 402, 429) and any(w in message for w in _SPEND_WORDS)


def _retry_after(exc: anthropic.APIStatusError) -> float | None:
    headers = exc.response.headers
    try:
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000
        if headers.get("retry-after"):
            return float(headers["retry-after"])
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff
    return None


def _classify_status(exc: anthropic.APIStatusError) -> LlmFailure:
    if is_spend_limit(exc):
        return LlmFailure(SPEND_LIMIT)
    status, kind = exc.status_code, exc.type
    if status in (401, 403) or kind in ("authentication_error", "permission_error"):
        return LlmFailure(AUTH_FAILED)
    if status == 429 or kind == "rate_limit_error":
        return LlmFailure(RATE_LIMITED, retryable=True, retry_after_s=_retry_after(exc))
    if status == 529 or kind == "overloaded_error":
        return LlmFailure(OVERLOADED, retryable=True, retry_after_s=_retry_after(exc))
    if status >= 500 or kind in ("api_error", "timeout_error"):
        return LlmFailure(UNAVAILABLE, retryable=True, retry_after_s=_retry_after(exc))
    return LlmFailure(BAD_RESPONSE)


def classify(exc: BaseException) -> LlmFailure:
    """Map an SDK / transport exception to a stable failure."""
    if isinstance(exc, LlmFailure):
        return exc
    if isinstance(exc, anthropic.APIStatusError):
        return _classify_status(exc)
    if isinstance(exc, anthropic.APITimeoutError | httpx2.TimeoutException):
        return LlmFailure(TIMEOUT)
    if isinstance(exc, anthropic.APIConnectionError | httpx2.TransportError):
        return LlmFailure(UNAVAILABLE, retryable=True)
    return LlmFailure(BAD_RESPONSE)


def build_anthropic(settings: LlmSettings) -> anthropic.Anthropic:
    """The one SDK client per process; build it at start-up (import and setup cost CPU)."""
    return anthropic.Anthropic(
        api_key=settings.api_key,
        base_url=settings.base_url,
        max_retries=0,
        timeout=_timeout(settings, settings.first_token_timeout_s),
    )


def _timeout(settings: LlmSettings, read_s: float) -> httpx2.Timeout:
    read_s = max(0.05, read_s)
    return httpx2.Timeout(read_s, connect=min(settings.connect_timeout_s, read_s), pool=1.0)


class LlmClient:
    """Streams one suggestion per call of :meth:`suggest`; shared by every call's coach."""

    def __init__(self, settings: LlmSettings, sdk: anthropic.Anthropic | Any) -> None:
        self.settings = settings
        self._sdk = sdk

    def suggest(
        self, prompt: Prompt, scope: CancelScope, on_partial: PartialCallback
    ) -> dict[str, Any]:
        """Return the final tool input; raise :class:`LlmFailure` or :class:`Cancelled`."""
        progress = _Progress(on_partial)
        retrying = Retrying(
            retry=retry_if_exception(lambda e: _may_retry(e, progress)),
            wait=self._wait_for(scope),
            stop=self._stop_for(scope),
            sleep=scope.sleep,
            reraise=True,
        )
        outcome: ToolOutcome = retrying(self._attempt, prompt, scope, progress)
        if outcome.tool_input is None or outcome.stop_reason == "refusal":
            raise LlmFailure(BAD_RESPONSE)
        return outcome.tool_input

    def _attempt(self, prompt: Prompt, scope: CancelScope, progress: _Progress) -> ToolOutcome:
        scope.check()
        params = prompt.params(self.settings.model, self.settings.max_tokens)
        read_s = min(self.settings.first_token_timeout_s, scope.remaining())
        params["timeout"] = _timeout(self.settings, read_s)
        try:
            return stream_tool(self._sdk, params, scope, progress)
        except Cancelled:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure becomes a code; SDK text stays out of logs
            if scope.cancelled:
                raise Cancelled(scope.reason or "cancelled") from None
            failure = classify(exc)
            log.info(
                "llm_attempt_failed",
                extra={"reason": failure.reason, "error_class": type(exc).__name__},
            )
            raise failure from None

    def _wait_for(self, scope: CancelScope) -> Callable[[RetryCallState], float]:
        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            after = exc.retry_after_s if isinstance(exc, LlmFailure) else None
            return _BACKOFF_S if after is None else after

        return wait

    def _stop_for(self, scope: CancelScope) -> Callable[[RetryCallState], bool]:
        def stop(state: RetryCallState) -> bool:
            if state.attempt_number > self.settings.max_retries:
                return True
            # retry only if the wait still leaves time for a first token
            return state.upcoming_sleep + 0.1 >= scope.remaining()

        return stop


class _Progress:
    """Forwards partial tool input and remembers whether anything reached the rep."""

    def __init__(self, on_partial: PartialCallback) -> None:
        self._on_partial = on_partial
        self.started = False

    def __call__(self, partial: dict[str, Any]) -> None:
        self.started = True
        self._on_partial(partial)


def _may_retry(exc: BaseException, progress: _Progress) -> bool:
    return isinstance(exc, LlmFailure) and exc.retryable and not progress.started
