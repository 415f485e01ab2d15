"""Redaction in the live pipeline: what the recognizer wrote is redacted once, before it
is stored, emitted (finals and interims), coached, sent to the LLM or indexed."""

from __future__ import annotations

import time

import pytest

from app.extensions import db
from app.models import Utterance
from app.services.transcription.base import TranscriptResult
from tests.fakes.fake_anthropic import Reply
from tests.helpers import ack, auth_header, llm_env, received, start_call, stream

CARD_SAID = "My card is 4,111,111,111,111,111,111,111 and your price is too expensive for us."
REDACTED = "My card is [card number] and your price is too expensive for us."


@pytest.fixture
def app_env(fake_llm):
    return llm_env(fake_llm)


@pytest.fixture
def card_script(scripted_transcriber):
    scripted_transcriber.sentences = iter([CARD_SAID] * 10)
    return scripted_transcriber


def _wait_for_llm_request(fake_llm, timeout: float = 5.0) -> dict:
    deadline = time.monotonic() + timeout
    while not fake_llm.requests and time.monotonic() < deadline:
        time.sleep(0.02)
    assert fake_llm.requests, "the LLM coach was never asked"
    return fake_llm.requests[0]["body"]


def test_a_card_number_is_stored_emitted_and_sent_to_the_llm_only_as_a_placeholder(
    connect, client, admin, sessions, card_script, fake_llm
):
    fake_llm.push(Reply(delta_delay_s=0.0))
    rep = connect(admin["token"])
    call_id = start_call(rep, sources=["prospect"])
    stream(rep, call_id, 4, source="prospect")
    body = _wait_for_llm_request(fake_llm)
    ack(rep, "call:stop", {"call_id": call_id})
    finals = [e for e in received(rep, "transcript") if e["is_final"]]
    assert [f["text"] for f in finals] == [REDACTED]
    stored = db.session.query(Utterance).filter_by(call_id=call_id).one()
    assert stored.text == REDACTED and "[card number]" in [w[0] for w in stored.words]
    assert "[card number]" in str(body) and "111" not in str(body)
    found = client.get("/api/v1/calls?q=4111", headers=auth_header(admin["token"])).json
    assert found["total"] == 0
    found = client.get('/api/v1/calls?q="card number"', headers=auth_header(admin["token"])).json
    assert found["total"] == 1


def test_interims_are_redacted_before_anyone_sees_them(connect, admin, sessions, card_script):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    live = sessions.calls[call_id]
    live._on_result("rep", TranscriptResult("my card is 4111 1111 1111 1111", False, 0, 900, 0.5))
    interims = [e for e in received(rep, "transcript") if not e["is_final"]]
    assert [e["text"] for e in interims] == ["my card is [card number]"]


def test_the_rep_sees_the_unredacted_text_only_when_the_team_allows_it(
    connect, client, admin, tokens, sessions, card_script
):
    response = client.patch(
        "/api/v1/team/settings",
        json={"rep_sees_unredacted": True},
        headers=auth_header(admin["token"]),
    )
    assert response.status_code == 200
    rep = connect(admin["token"])
    call_id = start_call(rep, sources=["prospect"])
    coach = connect(admin["token"])
    assert ack(coach, "call:join", {"call_id": call_id})["ok"]
    coach.get_received("/audio")
    stream(rep, call_id, 4, source="prospect")
    ack(rep, "call:stop", {"call_id": call_id})
    rep_finals = [e["text"] for e in received(rep, "transcript") if e["is_final"]]
    coach_finals = [e["text"] for e in received(coach, "transcript") if e["is_final"]]
    assert rep_finals == [CARD_SAID] and coach_finals == [REDACTED]
    assert db.session.query(Utterance).filter_by(call_id=call_id).one().text == REDACTED


def test_without_the_setting_the_rep_sees_placeholders_too(connect, admin, sessions, card_script):
    rep = connect(admin["token"])
    call_id = start_call(rep, sources=["prospect"])
    stream(rep, call_id, 4, source="prospect")
    assert [e["text"] for e in received(rep, "transcript") if e["is_final"]] == [REDACTED]


def test_a_typed_title_goal_and_whisper_are_redacted(connect, client, admin, sessions):
    rep = connect(admin["token"])
    call_id = start_call(rep, title="Card 4111 1111 1111 1111", goal="ssn 123-45-6789")
    coach = connect(admin["token"])
    ack(coach, "call:join", {"call_id": call_id})
    ack(coach, "coach:whisper", {"call_id": call_id, "text": "ask for 4111111111111111"})
    whisper = received(rep, "whisper")[0]
    assert whisper["text"] == "ask for [card number]"
    detail = client.get(f"/api/v1/calls/{call_id}", headers=auth_header(admin["token"])).json
    assert detail["title"] == "Card [card number]"
    assert sessions.calls[call_id].coach.context.goal == "ssn [ssn]"
