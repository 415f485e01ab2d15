"""I9: schemathesis generates requests from /api/v1/openapi.json and sends them through the
WSGI app with an admin's token: never a 5xx, and every response matches the schema
(status code, content type, body, headers).

One test walks every operation (schemathesis' lazy pytest loader does not work with
pytest 9: it reads a private node attribute), collecting the failures of all of them.
"""

from __future__ import annotations

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
