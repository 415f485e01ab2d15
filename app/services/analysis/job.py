"""One analysis job: claim the row, compute, store the outcome under the lease.

Used by both runners (in-process and RQ). Failures end as ``failed`` with a stable code:
``call_not_ended``, ``too_many_attempts``, ``analysis_error`` (an unexpected exception;
only its class is logged), or an LLM code such as ``llm_auth_failed`` (the offline
results are still stored). A re-run (``POST .../analysis``) resets the row to pending.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.events import LIVE_STATES
from app.extensions import db
from app.models import Call, Suggestion, Utterance
from app.services.analysis import content, store
from app.services.analysis.llm import AnalysisLlm
from app.services.analysis.rubric import rubric_for

log = logging.getLogger(__name__)
CALL_NOT_ENDED = "call_not_ended"
ANALYSIS_ERROR = "analysis_error"


def _noop(*_: Any) -> None:
    return None


@dataclass
class Hooks:
    """Test seams: ``before_finish(call_id)`` runs just before the outcome is stored
    (a test makes it slow to kill a worker mid-job); ``after_finish(call_id, status)``
    runs once the outcome was stored under our lease."""

    before_finish: Callable[[str], None] = field(default=_noop)
    after_finish: Callable[[str, str], None] = field(default=_noop)


hooks = Hooks()


@dataclass(frozen=True)
class JobSettings:
    lease_s: float = 120.0
    max_attempts: int = 3
    poll_s: float = 2.0
    queue_name: str = "analysis"
    runner_share: float = 0.33  # of the process's time, for the embedded runner


def new_owner() -> str:
    """A lease owner id unique to this process."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def run_one(call_id: str, owner: str, settings: JobSettings, llm: AnalysisLlm | None) -> str:
    """Claim and run ``call_id``; returns the stored status or ``skipped``/``lost``."""
    if not store.claim(call_id, owner, settings.lease_s):
        return "skipped"  # done, running elsewhere, or gone: nothing to do
    return run_claimed(call_id, owner, settings, llm)


def run_next(owner: str, settings: JobSettings, llm: AnalysisLlm | None) -> str | None:
    """Claim the oldest claimable job and run it; None when there is none."""
    for call_id in store.claimable_ids():
        if store.claim(call_id, owner, settings.lease_s):
            run_claimed(call_id, owner, settings, llm)
            return call_id
    return None


def run_claimed(call_id: str, owner: str, settings: JobSettings, llm: AnalysisLlm | None) -> str:
    if store.attempts(call_id) > settings.max_attempts:
        return _store(call_id, owner, {}, store.TOO_MANY_ATTEMPTS)
    call = db.session.get(Call, call_id)
    if call is None:
        return "gone"
    if call.state in LIVE_STATES:
        return _store(call_id, owner, {}, CALL_NOT_ENDED)
    try:
        results, error_code = _compute(call, owner, settings, llm)
    except Exception as exc:  # noqa: BLE001 - any bug becomes a code; no text leaves
        db.session.rollback()
        log.error("analysis_failed", extra={"call_id": call_id, "error_class": type(exc).__name__})
        results, error_code = {}, ANALYSIS_ERROR
    return _store(call_id, owner, results, error_code)


def _compute(
    call: Call, owner: str, settings: JobSettings, llm: AnalysisLlm | None
) -> tuple[dict[str, Any], str | None]:
    if llm is not None:  # a fresh lease for the slow step (before loading: commit expires)
        store.renew(call.id, owner, settings.lease_s)
    utterances = db.session.scalars(
        select(Utterance).where(Utterance.call_id == call.id).order_by(Utterance.start_ms)
    ).all()
    suggestions = db.session.scalars(
        select(Suggestion)
        .where(Suggestion.call_id == call.id, Suggestion.shown())
        .order_by(Suggestion.created_at)
    ).all()
    return content.analyse(call, utterances, suggestions, rubric_for(call.team_id), llm)


def _store(call_id: str, owner: str, results: dict[str, Any], error_code: str | None) -> str:
    hooks.before_finish(call_id)
    if results:
        stored = store.finish(call_id, owner, results, error_code)
    else:
        stored = store.fail(call_id, owner, error_code or ANALYSIS_ERROR)
    if not stored:
        log.warning("analysis_lease_lost", extra={"call_id": call_id})
        return "lost"
    status = "failed" if error_code else "done"
    log.info("analysis_finished", extra={"call_id": call_id, "status": status, "code": error_code})
    hooks.after_finish(call_id, status)
    return status
