from __future__ import annotations

from tests.helpers import auth_header

ENTRY = {
    "kind": "objection",
    "name": "security",
    "title": "Security review",
    "triggers": ["security review"],
    "talk_track": "Offer the SOC 2 report.",
}


def test_toolkit_has_an_etag_and_answers_304_when_unchanged(client, admin):
    h = auth_header(admin["token"])
    first = client.get("/api/v1/toolkit", headers=h)
    assert first.status_code == 200 and first.headers["ETag"]
    again = client.get("/api/v1/toolkit", headers={**h, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_a_change_invalidates_the_cached_toolkit_and_its_etag(client, admin):
    h = auth_header(admin["token"])
    etag = client.get("/api/v1/toolkit", headers=h).headers["ETag"]
    created = client.post("/api/v1/toolkit", json=ENTRY, headers=h)
    assert created.status_code == 201
    fresh = client.get("/api/v1/toolkit", headers={**h, "If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag
    assert "security" in [e["name"] for e in fresh.json["items"]]


def test_admin_updates_and_deletes_entries(client, admin):
    h = auth_header(admin["token"])
    entry_id = client.post("/api/v1/toolkit", json=ENTRY, headers=h).json["id"]
    updated = client.put(
        f"/api/v1/toolkit/{entry_id}",
        headers=h,
        json={**ENTRY, "talk_track": "Share the trust portal."},
    )
    assert updated.json["talk_track"] == "Share the trust portal."
    assert client.delete(f"/api/v1/toolkit/{entry_id}", headers=h).status_code == 204
    names = [e["name"] for e in client.get("/api/v1/toolkit", headers=h).json["items"]]
    assert "security" not in names


def test_duplicate_entry_name_is_a_conflict(client, admin):
    h = auth_header(admin["token"])
    client.post("/api/v1/toolkit", json=ENTRY, headers=h)
    again = client.post("/api/v1/toolkit", json=ENTRY, headers=h)
    assert again.status_code == 409 and again.json["error"]["code"] == "toolkit_name_taken"


def test_reps_read_but_cannot_edit_the_toolkit(client, tokens):
    rep = tokens.user(role="rep", seed_toolkit=True)
    h = auth_header(rep["token"])
    assert client.get("/api/v1/toolkit", headers=h).status_code == 200
    assert client.post("/api/v1/toolkit", json=ENTRY, headers=h).status_code == 403


def test_other_teams_entries_are_invisible_and_untouchable(client, admin, tokens):
    h = auth_header(admin["token"])
    entry_id = client.post("/api/v1/toolkit", json=ENTRY, headers=h).json["id"]
    other = tokens.user(role="admin")
    oh = auth_header(other["token"])
    assert client.delete(f"/api/v1/toolkit/{entry_id}", headers=oh).status_code == 404
    assert client.get("/api/v1/toolkit", headers=oh).json["items"] == []


VISIT_ENTRY = {
    **ENTRY,
    "kind": "signal",
    "name": "site-visit",
    "title": "Wants a visit",
    "triggers": ["visit our office"],
    "examples": [
        "could you come and see us in person",
        "would someone be able to fly out to meet the team",
        "we'd like you to come by our headquarters",
        "can someone from your side pay us a visit on site",
        "we'd love an in-person meeting at our place",
    ],
    "threshold": 0.4,
}


def test_examples_and_threshold_round_trip_through_the_api(client, admin):
    h = auth_header(admin["token"])
    created = client.post("/api/v1/toolkit", json=VISIT_ENTRY, headers=h)
    assert created.status_code == 201
    assert created.json["examples"] == VISIT_ENTRY["examples"]
    assert created.json["threshold"] == 0.4
    bad = client.post(
        "/api/v1/toolkit", json={**VISIT_ENTRY, "name": "x2", "threshold": 2}, headers=h
    )
    assert bad.status_code == 422


def test_try_a_sentence_names_the_entry_that_would_fire_and_its_score(client, admin):
    h = auth_header(admin["token"])
    client.post("/api/v1/toolkit", json=VISIT_ENTRY, headers=h)
    by_meaning = client.post(
        "/api/v1/toolkit/try",
        json={"text": "is it possible for you to come to our site and meet everyone"},
        headers=h,
    )
    assert by_meaning.status_code == 200
    fired = by_meaning.json["fired"]
    assert (fired["name"], fired["by"]) == ("site-visit", "meaning")
    assert fired["score"] >= fired["threshold"] == 0.4
    by_phrase = client.post(
        "/api/v1/toolkit/try", json={"text": "please visit our office"}, headers=h
    )
    assert by_phrase.json["fired"]["by"] == "phrase"
    neutral = client.post("/api/v1/toolkit/try", json={"text": "hi how are you"}, headers=h)
    assert neutral.json["fired"] is None
    assert len(neutral.json["closest"]) == 5  # the closest entries by meaning, for tuning


def test_try_a_sentence_rejects_empty_text(client, admin):
    h = auth_header(admin["token"])
    assert client.post("/api/v1/toolkit/try", json={"text": ""}, headers=h).status_code == 422
