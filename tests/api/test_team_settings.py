"""The team's privacy settings over REST, and redaction of what people type."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import User
from tests.factories import make_call
from tests.helpers import auth_header

URL = "/api/v1/team/settings"


def test_a_team_without_settings_gets_the_defaults(client, admin):
    body = client.get(URL, headers=auth_header(admin["token"])).json
    assert body["consent_mode"] == "off" and body["rep_sees_unredacted"] is False
    assert body["redaction_kinds"] == ["card", "us_ssn"]
    assert "iban" in body["supported_kinds"] and body["consent_text"]


def test_an_admin_changes_consent_and_kinds_and_reads_them_back(client, admin):
    headers = auth_header(admin["token"])
    changed = client.patch(
        URL,
        json={
            "consent_mode": "required",
            "consent_text": "We record this call.",
            "redaction_kinds": ["phone", "card", "card"],
            "phone_region": "GB",
        },
        headers=headers,
    )
    assert changed.status_code == 200, changed.json
    body = client.get(URL, headers=headers).json
    assert body["consent_mode"] == "required" and body["consent_text"] == "We record this call."
    assert body["redaction_kinds"] == ["card", "phone"] and body["phone_region"] == "GB"
    assert body["updated_at"]


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"consent_mode": "sometimes"},
        {"consent_text": ""},
        {"redaction_kinds": ["passport"]},
        {"phone_region": "ZZ"},
        {"rep_sees_unredacted": "maybe"},
    ],
)
def test_bad_settings_are_refused_with_validation_error(client, admin, payload):
    response = client.patch(URL, json=payload, headers=auth_header(admin["token"]))
    assert response.status_code == 422
    assert response.json["error"]["code"] == "validation_error"


@pytest.mark.parametrize("role", ["rep", "coach"])
def test_only_admins_see_or_change_the_settings(client, tokens, role):
    user = tokens.user(role=role)
    headers = auth_header(user["token"])
    assert client.get(URL, headers=headers).status_code == 403
    assert client.patch(URL, json={"consent_mode": "off"}, headers=headers).status_code == 403


def test_settings_belong_to_one_team(client, admin, tokens):
    client.patch(URL, json={"consent_mode": "required"}, headers=auth_header(admin["token"]))
    other = tokens.user(role="admin")
    assert client.get(URL, headers=auth_header(other["token"])).json["consent_mode"] == "off"


def test_a_card_number_typed_in_a_call_note_is_stored_exported_and_indexed_redacted(client, admin):
    headers = auth_header(admin["token"])
    owner = db.session.get(User, admin["user"]["id"])
    call = make_call(owner, texts=[("prospect", "let me find my wallet")])
    response = client.patch(
        f"/api/v1/calls/{call.id}",
        json={"notes": "Card 4111-1111-1111-1111, call back", "title": "SSN 123 45 6789"},
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json["notes"] == "Card [card number], call back"
    assert response.json["title"] == "SSN [ssn]"
    exported = client.get(f"/api/v1/calls/{call.id}/export?format=csv", headers=headers).text
    assert "4111" not in exported and "6789" not in exported
    json_export = client.get(f"/api/v1/calls/{call.id}/export", headers=headers).text
    assert "4111" not in json_export and "[card number]" in json_export
    for q in ("4111", "6789", "123"):
        assert client.get(f"/api/v1/calls?q={q}", headers=headers).json["total"] == 0
    assert client.get("/api/v1/calls?q=SSN", headers=headers).json["total"] == 1
