"""The REST + Socket.IO contract as one OpenAPI document: frontend/openapi.json.

flask-smorest builds the document from the blueprints' marshmallow schemas; the socket
payload schemas are added as components, so the web app's types and validators for both
come from one generator run (`make protocol`; docs/adr/0004-generated-api-client.md).
A test fails when the committed document differs from what the app renders.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from apispec import APISpec
from marshmallow import Schema

from app.schemas import events, socket

OPENAPI_PATH = Path(__file__).resolve().parents[2] / "frontend/openapi.json"
CLIENT_PAYLOADS: tuple[type[Schema], ...] = (
    socket.ConnectAuthSchema,
    socket.CallStartSchema,
    socket.AudioChunkSchema,
    socket.CallRefSchema,
    socket.WhisperSchema,
    socket.FeedbackEventSchema,
    socket.AuthRefreshSchema,
)


def _name(schema: type[Schema]) -> str:
    return schema.__name__.removesuffix("Schema")


def register_socket_schemas(spec: APISpec) -> None:
    """Add every socket payload and ack schema to the document's components."""
    registered = spec.components.schemas
    server = tuple(dict.fromkeys(events.SERVER_EVENT_SCHEMAS.values()))
    for schema in (*CLIENT_PAYLOADS, *server, *events.ACK_SCHEMAS):
        if _name(schema) not in registered:
            spec.components.schema(_name(schema), schema=schema)


def openapi_document(spec: APISpec) -> dict[str, Any]:
    return spec.to_dict()


def render_openapi(spec: APISpec) -> str:
    """Stable text: sorted keys, two-space indent, final newline."""
    return json.dumps(openapi_document(spec), indent=2, sort_keys=True) + "\n"


def write_openapi(spec: APISpec, path: Path = OPENAPI_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_openapi(spec), encoding="utf-8")
