"""The OpenAPI document the web app's client is generated from must be current."""

from __future__ import annotations

import json

from app.events import ErrorCode
from app.extensions import api
from app.schemas.events import SERVER_EVENT_SCHEMAS
from app.services.contract_export import OPENAPI_PATH, render_openapi


def test_the_committed_openapi_document_is_what_the_server_serves(app):
    assert OPENAPI_PATH.read_text(encoding="utf-8") == render_openapi(api.spec), (
        "a schema changed: run `make protocol` and commit frontend/openapi.json and "
        "frontend/src/lib/api/"
    )


def test_the_served_document_is_the_same_one(client):
    served = client.get("/api/v1/openapi.json").get_json()
    assert served == json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))


def test_every_server_event_payload_and_the_error_codes_are_in_the_document(app):
    schemas = api.spec.to_dict()["components"]["schemas"]
    for schema in SERVER_EVENT_SCHEMAS.values():
        assert schema.__name__.removesuffix("Schema") in schemas
    assert schemas["ErrorDetail"]["properties"]["code"]["enum"] == [c.value for c in ErrorCode]


def test_every_field_a_response_always_carries_is_required(app):
    call = api.spec.to_dict()["components"]["schemas"]["Call"]
    assert {"id", "title", "state", "user", "started_at", "utterance_count"} <= set(
        call["required"]
    )
