"""Unbound extension objects. Nothing is configured here: the factory calls init_app."""

from __future__ import annotations

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
