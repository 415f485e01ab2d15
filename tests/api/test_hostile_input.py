"""The outside probe's inputs: each answers a documented 4xx code, nothing is logged at
error level, and nothing is stored (docs/api.md, Errors; docs/security.md, I9)."""

from __future__ import annotations

import json
import logging
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import Call, User
from app.schemas.common import EARLIEST
from tests.factories import PASSWORD, make_call
from tests.helpers import auth_header

SURROGATE = "\ud800"
HIDDEN = "\u0000\u202eadmin"
DEEP = "[" * 1000 + "]" * 1000
HUGE_INT = "9" * 5000


def _raw(value: object) -> str:
    """JSON text the way a client would send it (``\\ud800`` stays an escape)."""
    return json.dumps(value)


@pytest.fixture
def call_id(admin) -> str:
    owner = db.session.get(User, admin["user"]["id"])
    return make_call(owner, title="Acme renewal").id


@pytest.fixture
def send(client, admin, caplog):
    """Send a request; assert the status and code and that nothing was logged as an error."""

    def _send(method, path, body=None, status=422, code="validation_error", **kwargs):
        headers = {} if path.startswith("/api/v1/auth/") else auth_header(admin["token"])
        kwargs.setdefault("content_type", "application/json")
        with caplog.at_level(logging.INFO):
            response = client.open(path, method=method, data=body, headers=headers, **kwargs)
        assert response.status_code == status, response.get_data(as_text=True)
        assert response.json["error"]["code"] == code
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        return response

    return _send


@pytest.mark.parametrize("path", ["/api/v1/auth/login", "/api/v1/auth/setup", "CALL"])
def test_json_nested_a_thousand_deep_is_json_too_deep(send, call_id, path):
    method = "PATCH" if path == "CALL" else "POST"
    path = f"/api/v1/calls/{call_id}" if path == "CALL" else path
    send(method, path, DEEP, status=400, code="json_too_deep")


def test_json_a_little_deeper_than_the_limit_is_refused_and_shallow_bodies_pass(send, call_id):
    deep_object = '{"title": ' + "[" * 40 + "]" * 40 + "}"
    send("PATCH", f"/api/v1/calls/{call_id}", deep_object, status=400, code="json_too_deep")
    send("PATCH", f"/api/v1/calls/{call_id}", '{"title": ["x"]}', status=422)


@pytest.mark.parametrize(
    "body",
    [
        {"email": SURROGATE, "password": "x"},
        {"email": "admin@acme.test", "password": SURROGATE},
        {"email": HIDDEN, "password": "x"},
    ],
    ids=["surrogate-email", "surrogate-password", "nul-bidi-email"],
)
def test_bad_text_in_login_is_a_validation_error(send, admin, body):
    response = send("POST", "/api/v1/auth/login", _raw(body))
    assert set(response.json["error"]["fields"]) <= {"email", "password"}


@pytest.mark.parametrize("field", ["title", "notes"])
@pytest.mark.parametrize("text", [SURROGATE, HIDDEN, "a\u202ebc", "line\x07bell"])
def test_bad_text_in_a_call_title_or_notes_is_refused_and_nothing_changes(
    send, call_id, field, text
):
    response = send("PATCH", f"/api/v1/calls/{call_id}", _raw({field: text}))
    assert list(response.json["error"]["fields"]) == [field]
    db.session.expire_all()
    assert db.session.get(Call, call_id).title == "Acme renewal"


def test_notes_may_hold_newlines_and_tabs_but_titles_may_not(send, client, admin, call_id):
    ok = client.patch(
        f"/api/v1/calls/{call_id}",
        json={"notes": "Next steps:\n\t- send pricing\r\n", "title": "Renewal (Q3) – Café"},
        headers=auth_header(admin["token"]),
    )
    assert ok.status_code == 200, ok.json
    send("PATCH", f"/api/v1/calls/{call_id}", _raw({"title": "two\nlines"}))


@pytest.mark.parametrize("name", [SURROGATE, HIDDEN])
def test_bad_text_in_user_and_api_key_names_is_refused(send, admin, name):
    user = {"email": "new@acme.test", "password": PASSWORD, "name": name, "role": "rep"}
    send("POST", "/api/v1/users", _raw(user))
    send("PATCH", f"/api/v1/users/{admin['user']['id']}", _raw({"name": name}))
    send("POST", "/api/v1/api-keys", _raw({"name": name}))
    setup = {"team_name": name, "email": "x@y.test", "password": PASSWORD, "name": name}
    send("POST", "/api/v1/auth/setup", _raw(setup))
    assert db.session.query(User).count() == 1


def test_a_five_thousand_digit_integer_score_is_number_out_of_range(send, call_id):
    body = '{"talk_ratio": ' + HUGE_INT + "}"
    path = f"/api/v1/calls/{call_id}/analysis/scores"
    send("PATCH", path, body, status=400, code="number_out_of_range")
    send("PATCH", path, '{"talk_ratio": 1e999}', status=400, code="number_out_of_range")
    send("PATCH", path, '{"talk_ratio": NaN}', status=400, code="malformed_json")


def test_a_criterion_name_with_control_characters_is_a_validation_error(send, call_id):
    send("PATCH", f"/api/v1/calls/{call_id}/analysis/scores", _raw({HIDDEN: 3}))


@pytest.mark.parametrize(
    "query",
    [
        "to=0001-03-31",
        "from=0001-01-01",
        "from=9999-12-31",
        "to=9999-12-31T23:59:59-14:00",
    ],
)
def test_out_of_range_analytics_dates_are_validation_errors(send, query):
    send("GET", f"/api/v1/analytics/team?{query}", content_type=None)


def test_the_731_day_cap_holds_whichever_bounds_are_given(send, client, admin):
    """Only `from` used to skip the cap (the default `to` is now)."""
    send("GET", "/api/v1/analytics/team?from=2001-01-01", content_type=None)
    send("GET", "/api/v1/analytics/team?from=2020-01-01&to=2023-01-01", content_type=None)
    only_to = client.get(
        "/api/v1/analytics/team?to=2099-01-01", headers=auth_header(admin["token"])
    )
    assert only_to.status_code == 200  # the default `from` is 90 days earlier


@pytest.mark.parametrize("query", ["from=0001-01-01", "to=9999-12-31T23:00:00-05:00", "q=%00"])
def test_out_of_range_call_list_filters_are_validation_errors(send, query):
    send("GET", f"/api/v1/calls?{query}", content_type=None)


def test_the_earliest_date_is_accepted(client, admin):
    day = EARLIEST.date().isoformat()
    response = client.get(
        f"/api/v1/calls?from={day}T00:00:00Z", headers=auth_header(admin["token"])
    )
    assert response.status_code == 200


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_json_is_415_and_nothing_changes(send, call_id, content_type):
    send(
        "PATCH",
        f"/api/v1/calls/{call_id}",
        "title=Hacked",
        status=415,
        code="unsupported_media_type",
        content_type=content_type,
    )
    db.session.expire_all()
    assert db.session.get(Call, call_id).title == "Acme renewal"


def test_a_path_id_with_control_characters_is_not_found(send):
    send("GET", "/api/v1/calls/%00abc", status=404, code="not_found", content_type=None)


def test_any_text_in_a_title_is_stored_intact_or_refused_never_a_server_error(
    client, admin, call_id, caplog
):
    """Hypothesis over every Unicode category, surrogates and controls included."""
    headers = auth_header(admin["token"])
    every_category = st.one_of(
        st.characters(codec=None, exclude_categories=()),
        st.characters(categories=("Cs",)),  # lone surrogates are only drawn when named
    )

    @given(title=st.text(every_category, min_size=1, max_size=40))
    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    @example(title=SURROGATE)
    @example(title=HIDDEN)
    def run(title: str) -> None:
        response = client.patch(
            f"/api/v1/calls/{call_id}",
            data=_raw({"title": title}),
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code in (200, 422), response.json
        if response.status_code == 200:
            assert response.json["title"] == title
            title.encode("utf-8")  # storable: no lone surrogate got through
            assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in title)

    with caplog.at_level(logging.INFO):
        run()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
