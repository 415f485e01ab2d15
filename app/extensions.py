"""Unbound extension objects. Nothing is configured here: the factory calls init_app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_smorest import Api
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase

from app.schemas.common import ErrorSchema

if TYPE_CHECKING:
    from app.config import Settings
    from app.services.health import HealthChecker


class Base(DeclarativeBase):
    """Declarative base for every model (SQLAlchemy 2.0 typed mappings)."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate()


class _Api(Api):  # type: ignore[misc]
    """Documents our error envelope (not flask-smorest's default) for every error response."""

    ERROR_SCHEMA = ErrorSchema


api = _Api()
cors = CORS()
jwt = JWTManager()
limiter = Limiter(key_func=get_remote_address)
socketio = SocketIO()


class Services:
    """The process's service objects; filled by ``app.services.registry.init_app``.

    Blueprints and sockets reach services only through this object, so tests can swap
    any of them (a fake transcriber, say) after ``create_app``.
    """

    settings: Settings
    health: HealthChecker
    redis: Any = None
    transcriber: Any = None
    transcriber_health: Any = (
        None  # ProviderHealth of the transcriber (app/services/provider_health.py)
    )
    connections: Any = None
    llm: Any = None
    sessions: Any = None
    analysis: Any = None
    watchdog: Any = None  # closes sockets whose token expired or access was withdrawn
    user_events: Any = None  # per-user control-event counter shared across workers
    socket_slots: Any = None  # per-user cap on open sockets, shared across workers


def get_services() -> Services:
    """The current app's services (needs an app context)."""
    return current_app.extensions["salescoach"]  # type: ignore[no-any-return]
