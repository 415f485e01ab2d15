"""The RQ task: run one call's analysis inside the worker's app."""

from __future__ import annotations

from flask import Flask, current_app, has_app_context

_app: Flask | None = None


def bind(app: Flask | None) -> None:
    """Set the app jobs run in (``flask jobs worker`` does this before working)."""
    global _app
    _app = app


def _the_app() -> Flask:
    global _app
    if _app is None:
        if has_app_context():
            _app = current_app._get_current_object()  # type: ignore[attr-defined]
        else:  # a plain `rq worker`: build the app from the environment once
            from app import create_app

            _app = create_app()
    return _app


def run_analysis(call_id: str) -> str:
    """Claim the call's analysis row and run it; ``skipped`` if someone else has it."""
    from app.container import get_services

    with _the_app().app_context():
        return str(get_services().analysis.run_call(call_id))
