"""Who may start a live call here: not while the worker drains, and within the caps.

Caps count live calls in the database, so they hold across workers; the team lock
(Redis, or a no-op on one process) is held between the count and the insert.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from sqlalchemy import func, select

from app.errors import AppError
from app.events import LIVE_STATES, ErrorCode
from app.extensions import db
from app.models import Call
from app.services.auth import Principal
from app.services.live import call_rows

TeamLock = Callable[[str], AbstractContextManager[Any]]


class Admission:
    def __init__(
        self, max_calls_per_team: int, max_calls_per_user: int, team_lock: TeamLock | None
    ) -> None:
        self.max_calls_per_team = max_calls_per_team
        self.max_calls_per_user = max_calls_per_user
        self._team_lock: TeamLock = team_lock or (lambda team_id: nullcontext())
        self.draining = False  # set by graceful shutdown: new calls are refused

    def check_open(self) -> None:
        if self.draining:
            raise AppError(
                "This server is restarting; reconnect to continue.",
                code=ErrorCode.SHUTTING_DOWN,
                status=503,
            )

    def admit(
        self,
        principal: Principal,
        data: dict[str, Any],
        transcriber: str,
        coach: str,
        columns: dict[str, Any] | None = None,
    ) -> Call:
        """The new call's row (with any other ``columns``), once the caps allow it."""
        with self._team_lock(principal.team_id):
            self._check_quota(principal)
            return call_rows.create(principal, data, transcriber, coach, columns)

    def _check_quota(self, principal: Principal) -> None:
        live = Call.state.in_(LIVE_STATES)
        team = db.session.scalar(
            select(func.count(Call.id)).where(Call.team_id == principal.team_id, live)
        )
        mine = db.session.scalar(
            select(func.count(Call.id)).where(Call.user_id == principal.user_id, live)
        )
        message = None
        if (team or 0) >= self.max_calls_per_team:
            message = "Your team has too many live calls."
        elif (mine or 0) >= self.max_calls_per_user:
            message = "You have too many live calls."
        if message:
            db.session.rollback()  # ends the transaction holding the advisory lock
            raise AppError(message, code=ErrorCode.QUOTA_EXCEEDED, status=429)
