"""Sales Coach: the application factory. Reads like a table of contents; no logic here."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import engineio.socket
from dotenv import load_dotenv
from flask import Flask

from app import (
    composition,
    database,
    errors,
    frontend,
    logging,
    observability,
    request_body,
    security,
    serving,
    socket_backpressure,
)
from app.analysis import blp as analysis_blp
from app.analytics import blp as analytics_blp
from app.auth import blp as auth_blp
from app.calls import blp as calls_blp
from app.commands import register_commands
from app.config import Settings, load_settings
from app.events import NAMESPACE
from app.extensions import api, db, jwt, migrate, socketio
from app.health import blp as health_blp
from app.models import search_index
from app.origins import OriginPolicy
from app.services import contract_export
from app.sockets.audio import AudioNamespace
from app.sockets.event_context import App
from app.sockets.packets import EventPacket, PacketJson
from app.teams import blp as teams_blp
from app.toolkit import blp as toolkit_blp
from app.users import blp as users_blp

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
BLUEPRINTS = (
    health_blp,
    auth_blp,
    users_blp,
    calls_blp,
    analysis_blp,
    toolkit_blp,
    analytics_blp,
    teams_blp,
)


def create_app(config: Settings | Mapping[str, str] | None = None) -> Flask:
    """Build the app from ``config``: Settings, env-style overrides, or the environment."""
    settings = _settings(config)
    app = App(__name__, static_folder=None)
    app.config.update(_flask_config(settings))
    logging.configure_logging(settings.log_level)
    logging.init_app(app)
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(MIGRATIONS),
        render_as_batch=True,
        include_object=search_index.include_object,
    )
    jwt.init_app(app)
    composition.init_app(app, settings)
    security.init_app(app, settings)
    request_body.init_app(app)
    api.init_app(app)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    contract_export.register_socket_schemas(api.spec)
    errors.init_app(app)
    socketio.init_app(app, **_socketio_options(settings))
    socket_backpressure.install(engineio.socket.Socket, settings.socket_send_queue_max)
    socketio.on_namespace(AudioNamespace(NAMESPACE))
    observability.init_app(app, settings)
    frontend.init_app(app)
    register_commands(app)
    return app


def _settings(config: Settings | Mapping[str, str] | None) -> Settings:
    if isinstance(config, Settings):
        return config
    if config is None:
        load_dotenv(override=False)
        return load_settings()
    return load_settings({**os.environ, **config})


def _flask_config(settings: Settings) -> dict[str, Any]:
    return {
        "SECRET_KEY": settings.secret_key,
        "TESTING": settings.app_env == "testing",
        "SQLALCHEMY_DATABASE_URI": settings.sqlalchemy_url,
        # hide_parameters: a database error's text never carries the row (notes, transcripts).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "JWT_SECRET_KEY": settings.jwt_secret_key or settings.secret_key,
        "JWT_ALGORITHM": "HS256",
        "JWT_DECODE_ALGORITHMS": ["HS256"],
        "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=settings.access_token_minutes),
        "JWT_REFRESH_TOKEN_EXPIRES": timedelta(days=settings.refresh_token_days),
        "REFRESH_REUSE_GRACE_SECONDS": settings.refresh_reuse_grace_seconds,
        "RATELIMIT_AUTH": settings.rate_limit_auth,
        "API_TITLE": "Sales Coach API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }


def _socketio_options(settings: Settings) -> dict[str, Any]:
    return {
        "async_mode": serving.async_mode(settings.async_mode),
        "message_queue": settings.redis_url or None,
        "cors_allowed_origins": OriginPolicy(settings),
        "max_http_buffer_size": settings.max_audio_chunk_bytes + 4096,
        "logger": False,
        "engineio_logger": False,
        "manage_session": False,  # no Flask session is used; saves work on every event
        "json": PacketJson,  # the REST body limits for event payloads too
        "serializer": EventPacket,  # a cheaper binary check of emitted payloads
    }
