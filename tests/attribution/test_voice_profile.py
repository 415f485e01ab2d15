"""The rep's voice profile over REST: recorded from a sample, used, deleted with the user."""

from __future__ import annotations

from app.extensions import db
from app.models import VoiceProfile
from app.services.attribution import profiles
from app.services.auth import Principal
from app.services.users import update_user
from tests.speech import synthesize

SAMPLE = "Hello, this is my voice. I am reading this text so the coach can tell me apart."


def test_a_recorded_sample_becomes_a_profile_of_features_only(api, tokens, tmp_path):
    rep = tokens.user(role="rep")
    headers = {"Authorization": f"Bearer {rep['token']}"}
    assert api.get("/api/v1/users/me/voice-profile", headers=headers).status_code == 404
    pcm = synthesize(SAMPLE + " " + SAMPLE, tmp_path)
    response = api.put(
        "/api/v1/users/me/voice-profile",
        data=pcm,
        headers={**headers, "Content-Type": "application/octet-stream"},
    )
    assert response.status_code == 200, response.json
    assert response.json["method"] == "recorded" and response.json["seconds"] > 3
    assert "vector" not in response.json
    vector = profiles.vector_of(rep["id"])
    assert vector is not None and len(vector) == 30
    assert api.delete("/api/v1/users/me/voice-profile", headers=headers).status_code == 204
    assert profiles.vector_of(rep["id"]) is None


def test_silence_is_refused_as_not_enough_speech(api, tokens):
    rep = tokens.user(role="rep")
    response = api.put(
        "/api/v1/users/me/voice-profile",
        data=b"\x00\x00" * 16000 * 5,
        headers={
            "Authorization": f"Bearer {rep['token']}",
            "Content-Type": "application/octet-stream",
        },
    )
    assert response.status_code == 422 and response.json["error"]["code"] == "not_enough_speech"


def test_a_sample_without_the_binary_media_type_is_refused(api, tokens):
    rep = tokens.user(role="rep")
    response = api.put(
        "/api/v1/users/me/voice-profile",
        data=b"\x01\x00" * 100,
        headers={"Authorization": f"Bearer {rep['token']}", "Content-Type": "text/plain"},
    )
    assert response.status_code == 415


def test_deactivating_a_user_deletes_the_voice_profile(tokens):
    rep = tokens.user(role="rep")
    db.session.add(VoiceProfile(user_id=rep["id"], vector=[0.0] * 30, method="learned"))
    db.session.commit()
    profiles.learn(rep["id"], [tuple([1.0] * 30)] * 5)
    assert db.session.get(VoiceProfile, rep["id"]).samples == 6
    owner = Principal(user_id="x", team_id=rep["team_id"], role="admin", name="A", via="jwt")
    update_user(owner, rep["id"], {"active": False})
    assert db.session.get(VoiceProfile, rep["id"]) is None


def test_a_learned_profile_never_replaces_a_recorded_one(tokens):
    rep = tokens.user(role="rep")
    db.session.add(VoiceProfile(user_id=rep["id"], vector=[0.5] * 30, method="recorded"))
    db.session.commit()
    profiles.learn(rep["id"], [tuple([1.0] * 30)] * 10)
    assert profiles.vector_of(rep["id"]) == [0.5] * 30
