"""Recording consent over the socket: with ``required`` nothing is transcribed, coached or
stored until the rep confirms the prospect agreed (``call:consent``)."""

from __future__ import annotations

import csv
import io

from pypdf import PdfReader

from app.extensions import db
from app.models import Call, Utterance
from tests.helpers import ack, auth_header, received, start_call, stream

CONSENT_TEXT = "This call is recorded. Is that fine?"


def _require_consent(client, token: str, mode: str = "required") -> None:
    response = client.patch(
        "/api/v1/team/settings",
        json={"consent_mode": mode, "consent_text": CONSENT_TEXT},
        headers=auth_header(token),
    )
    assert response.status_code == 200, response.json


def test_audio_before_confirmation_is_discarded_and_after_it_the_call_proceeds(
    connect, client, admin, sessions, scripted_transcriber
):
    _require_consent(client, admin["token"])
    rep = connect(admin["token"])
    started = ack(rep, "call:start", {"title": "Consent", "sources": ["prospect"]})
    assert started["consent"] == {
        "mode": "required", "text": CONSENT_TEXT, "confirmed_at": None, "confirmed_by": None
    }  # fmt: skip
    call_id = started["call_id"]
    before = stream(rep, call_id, 8, source="prospect")
    assert all(a["ok"] and a["discarded"] == "consent_pending" for a in before)
    assert scripted_transcriber.streams[0].chunks == []  # never reached the recognizer
    assert received(rep, "transcript") == [] and received(rep, "suggestion") == []
    sessions.writer.flush(5)
    assert db.session.query(Utterance).filter_by(call_id=call_id).count() == 0

    confirmed = ack(rep, "call:consent", {"call_id": call_id})
    assert confirmed["ok"] and confirmed["confirmed_by"]["name"] == "Ada Admin"
    after = stream(rep, call_id, 4, source="prospect", first_seq=8)
    assert all(a["ok"] and "discarded" not in a for a in after)
    assert ack(rep, "call:stop", {"call_id": call_id})["ok"]
    assert len(scripted_transcriber.streams[0].chunks) == 4
    assert db.session.query(Utterance).filter_by(call_id=call_id).count() == 1

    headers = auth_header(admin["token"])
    detail = client.get(f"/api/v1/calls/{call_id}", headers=headers).json
    assert detail["consent"]["confirmed_at"][:19] == confirmed["confirmed_at"][:19]
    assert detail["consent"]["confirmed_by"]["name"] == "Ada Admin"
    exported = client.get(f"/api/v1/calls/{call_id}/export", headers=headers).json
    assert exported["consent"]["confirmed_by"] == {"id": admin["user"]["id"], "name": "Ada Admin"}
    assert exported["consent"]["confirmed_at"] == confirmed["confirmed_at"]
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/api/v1/calls/{call_id}/export?format=csv", headers=headers).text
    )))  # fmt: skip
    assert rows[0]["consent_mode"] == "required" and rows[0]["consent_confirmed_by"] == "Ada Admin"
    pdf = client.get(f"/api/v1/calls/{call_id}/export?format=pdf", headers=headers).data
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "prospect agreed (confirmed by Ada Admin" in text


def test_a_second_confirmation_keeps_the_first(connect, client, admin, sessions):
    _require_consent(client, admin["token"])
    rep = connect(admin["token"])
    call_id = start_call(rep)
    first = ack(rep, "call:consent", {"call_id": call_id})
    second = ack(rep, "call:consent", {"call_id": call_id})
    assert first["confirmed_at"] == second["confirmed_at"]


def test_only_the_calls_own_rep_can_confirm(connect, client, admin, tokens, sessions):
    _require_consent(client, admin["token"])
    rep = connect(admin["token"])
    call_id = start_call(rep)
    other = tokens.user(role="admin")
    refused = ack(connect(other["token"]), "call:consent", {"call_id": call_id})
    assert not refused["ok"] and refused["error"]["code"] == "not_found"
    assert db.session.get(Call, call_id).consent_confirmed_at is None


def test_with_a_reminder_audio_flows_at_once_and_the_text_comes_with_the_start(
    connect, client, admin, sessions
):
    _require_consent(client, admin["token"], mode="reminder")
    rep = connect(admin["token"])
    started = ack(rep, "call:start", {"title": "Reminder"})
    assert started["consent"]["mode"] == "reminder" and started["consent"]["text"] == CONSENT_TEXT
    acks = stream(rep, started["call_id"], 4)
    assert all("discarded" not in a for a in acks) and received(rep, "transcript")


def test_consent_off_is_the_default_and_stores_no_text(connect, admin, sessions):
    rep = connect(admin["token"])
    started = ack(rep, "call:start", {"title": "Plain"})
    assert started["consent"]["mode"] == "off" and started["consent"]["text"] is None


def test_a_revived_call_still_waits_for_consent(connect, client, admin, sessions):
    _require_consent(client, admin["token"])
    rep = connect(admin["token"])
    call_id = start_call(rep)
    live = sessions.calls.pop(call_id)  # as if this worker restarted
    live.abort_streams()
    resumed = ack(rep, "call:start", {"resume_call_id": call_id, "resume_seq": {"rep": 0}})
    assert resumed["ok"], resumed
    assert all(a["discarded"] == "consent_pending" for a in stream(rep, call_id, 2))
    assert ack(rep, "call:consent", {"call_id": call_id})["ok"]
    assert all("discarded" not in a for a in stream(rep, call_id, 2, first_seq=2))
