"""The RQ task: run one call's analysis inside the worker's app.

A worker process binds its app before it works (``python -m app.worker`` and
``flask jobs worker`` do); a task never builds an app of its own.
"""

from __future__ import annotations

from flask import Flask, current_app, has_app_context

from app.container import get_services

_app: Flask | None = None


class NoWorkerApp(RuntimeError):
    """A job ran in a process that bound no app (a bare ``rq worker``)."""


def bind(app: Flask | None) -> None:
    """Set the app jobs run in (the worker entry does this before working)."""
    global _app
    _app = app


def _the_app() -> Flask:
    global _app
    if _app is None:
        if not has_app_context():
            raise NoWorkerApp("run analysis jobs with `python -m app.worker`")
        _app = current_app._get_current_object()  # type: ignore[attr-defined]
    return _app


def run_analysis(call_id: str) -> str:
    """Claim the call's analysis row and run it; ``skipped`` if someone else has it."""
    with _the_app().app_context():
        return str(get_services().analysis.run_call(call_id))
