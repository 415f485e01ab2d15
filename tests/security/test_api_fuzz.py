"""I9: schemathesis generates requests from /api/v1/openapi.json and sends them through the
WSGI app with an admin's token: never a 5xx, and every response matches the schema
(status code, content type, body, headers).

One test walks every operation (schemathesis' lazy pytest loader does not work with
pytest 9: it reads a private node attribute), collecting the failures of all of them.
"""

from __future__ import annotations

import re
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from tests.factories import short_access_token

MAX_EXAMPLES = 12  # per operation: the whole run stays well under a minute
# Cross-field rules ("from" before "to") cannot be written in OpenAPI, so a schema-valid
# request may rightly get a 422; every other check (5xx, schema, status, headers) stays.
EXCLUDED = [checks.positive_data_acceptance]


def _fuzz(operation, user_id: str, claims: dict) -> str | None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case) -> None:
        token = short_access_token(user_id, 600)
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"}, excluded_checks=EXCLUDED
        )

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:
        return f"{operation.label}: {str(exc)[:700]}"
    return None


# A fresh token per request: a generated POST /auth/logout revokes the token it was sent with.
def test_api_answers_every_generated_request_within_its_schema(app, admin):
    claims = {"team_id": admin["team_id"], "role": "admin"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 15
    failures = [f for op in operations if (f := _fuzz(op, admin["user"]["id"], claims))]
    assert failures == [], "\n\n".join(failures)


# The outside probe's inputs (issue: bad input is a 4xx): hostile text in every string
# field, query and path parameter, bodies past the depth and number limits, and dates
# outside the bounds. Each must answer a 4xx whose code docs/api.md documents.
HOSTILE_TEXTS = ("\ud800", "\u0000\u202eadmin", "a\u2066b")
DEEP: list = ["x"]
for _ in range(50):
    DEEP = [DEEP]
OUT_OF_RANGE = {"from": "0001-01-01", "to": "0001-03-31"}


def documented_codes() -> set[str]:
    text = (Path(__file__).parents[2] / "docs" / "api.md").read_text()
    section = text.split("## Errors", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`([a-z_]+)`", section))


def _string_properties(operation) -> list[str]:
    names: list[str] = []
    for body in operation.body:
        if body.media_type == "application/json":
            properties = (body.resolved_schema or {}).get("properties", {})
            names += [n for n, p in properties.items() if p.get("type") == "string"]
    return names


def _probes(operation) -> list[dict]:
    """Case arguments: one hostile value at a time, the rest left out."""
    params = list(operation.iter_parameters())
    path = {p.name: "probe" for p in params if p.location.value == "path"}
    probes = [{"path_parameters": {**path, name: HOSTILE_TEXTS[1]}} for name in path]
    for p in (p for p in params if p.location.value == "query"):
        values = [HOSTILE_TEXTS[1]] + ([OUT_OF_RANGE[p.name]] if p.name in OUT_OF_RANGE else [])
        probes += [{"path_parameters": path, "query": {p.name: v}} for v in values]
    for name in _string_properties(operation):
        probes += [{"path_parameters": path, "body": {name: t}} for t in HOSTILE_TEXTS]
    if any(body.media_type == "application/json" for body in operation.body):
        probes += [{"path_parameters": path, "body": b} for b in (DEEP, {"x": 10**20})]
    return probes


def test_the_probe_inputs_answer_documented_client_errors(app, admin):
    codes = documented_codes()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, sent = [], 0
    for operation in (result.ok() for result in schema.get_all_operations()):
        for probe in _probes(operation):
            token = short_access_token(admin["user"]["id"], 600)
            case = operation.Case(
                media_type="application/json" if "body" in probe else None, **probe
            )
            try:
                response = case.call_and_validate(
                    headers={"Authorization": f"Bearer {token}"}, excluded_checks=EXCLUDED
                )
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{operation.label} {probe}: {str(exc)[:300]}")
                continue
            sent += 1
            code = response.json()["error"]["code"] if 400 <= response.status_code < 500 else None
            if code not in codes:
                failures.append(f"{operation.label} {probe}: {response.status_code} {code}")
    assert sent > 60
    assert failures == [], "\n".join(failures)
