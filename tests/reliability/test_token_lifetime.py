"""A4, A5: tokens that expire and access that is withdrawn during a long-lived socket."""

from __future__ import annotations

import time

from app.extensions import db
from app.models import ApiKey, Call, Team, Utterance
from app.models.base import utcnow
from tests.factories import short_access_token
from tests.helpers import ack, events, start_call, stream, wait_until


def _stored(call_id: str) -> int:
    db.session.expire_all()
    return db.session.query(Utterance).filter_by(call_id=call_id).count()


def test_expired_token_closes_the_socket_and_the_call_resumes_after_reauth(
    connect, admin, sessions
):
    rep = connect(short_access_token(admin["user"]["id"], 1.5))
    call_id = start_call(rep)
    stream(rep, call_id, 4)
    wait_until(lambda: not rep.is_connected("/audio"), timeout=6)
    assert [e["code"] for e in events(rep, "error")] == ["token_expired"]
    assert sessions.calls[call_id].detached_at is not None  # in its grace period
    again = connect(admin["token"])
    resumed = ack(again, "call:start", {"resume_call_id": call_id})
    assert resumed["ok"] and resumed["call_id"] == call_id and resumed["next_seq"] == {"rep": 4}
    stream(again, call_id, 4, first_seq=4)
    assert ack(again, "call:stop", {"call_id": call_id})["ok"]
    assert _stored(call_id) == 2


def test_refreshed_token_keeps_the_socket_open_past_the_old_expiry(connect, admin):
    rep = connect(short_access_token(admin["user"]["id"], 1.0))
    response = ack(rep, "auth:refresh", {"token": admin["token"]})
    assert response["ok"], response
    call_id = start_call(rep)
    time.sleep(1.6)  # past the first token's expiry, several watchdog rounds
    assert rep.is_connected("/audio")
    assert events(rep, "error") == []
    assert stream(rep, call_id, 1)[0]["ok"]


def test_deactivated_user_is_disconnected_and_the_call_ends_interrupted(
    connect, admin, tokens, client, sessions
):
    rep_user = tokens.user(role="rep", team=db.session.get(Team, admin["team_id"]))
    rep = connect(rep_user["token"])
    call_id = start_call(rep)
    stream(rep, call_id, 8)
    other = connect(admin["token"])
    response = client.patch(
        f"/api/v1/users/{rep_user['id']}",
        json={"active": False},
        headers={"Authorization": f"Bearer {admin['token']}"},
    )
    assert response.status_code == 200, response.json
    wait_until(lambda: not rep.is_connected("/audio"), timeout=5)
    assert [e["code"] for e in events(rep, "error")] == ["account_inactive"]
    db.session.expire_all()
    assert db.session.get(Call, call_id).state == "interrupted"
    assert _stored(call_id) == 2
    assert other.is_connected("/audio")


def test_logout_elsewhere_closes_the_socket_of_that_sign_in_only(
    connect, admin, tokens, client, sessions
):
    rep_user = tokens.user(role="rep", team=db.session.get(Team, admin["team_id"]))
    rep = connect(rep_user["token"])
    call_id = start_call(rep)
    stream(rep, call_id, 2)
    other = connect(admin["token"])
    logout = client.post(
        "/api/v1/auth/logout", headers={"Authorization": f"Bearer {rep_user['token']}"}
    )
    assert logout.status_code == 204
    wait_until(lambda: not rep.is_connected("/audio"), timeout=5)
    assert [e["code"] for e in events(rep, "error")] == ["token_revoked"]
    db.session.expire_all()
    assert db.session.get(Call, call_id).state == "interrupted"
    assert other.is_connected("/audio")


def test_revoked_api_key_disconnects_its_socket_only(connect, admin, client, sessions):
    headers = {"Authorization": f"Bearer {admin['token']}"}
    created = client.post("/api/v1/api-keys", json={"name": "dialer"}, headers=headers).json
    dialer = connect(created["key"])
    call_id = start_call(dialer)
    stream(dialer, call_id, 4)
    browser = connect(admin["token"])
    assert client.delete(f"/api/v1/api-keys/{created['id']}", headers=headers).status_code == 204
    wait_until(lambda: not dialer.is_connected("/audio"), timeout=5)
    assert [e["code"] for e in events(dialer, "error")] == ["invalid_api_key"]
    assert browser.is_connected("/audio")
    db.session.expire_all()
    assert db.session.get(Call, call_id).state == "interrupted"
    assert db.session.get(ApiKey, created["id"]).revoked_at <= utcnow()
    assert _stored(call_id) == 1
