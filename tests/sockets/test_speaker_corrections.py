"""Flipping a line's speaker on a one-microphone call: stored, heard by the whole call
room, taught to the call's model of the voices, and reflected in the metrics."""

from __future__ import annotations

import time

import pytest

from app.container import get_services
from app.extensions import db
from app.models import Utterance
from app.services.transcription.deepgram.transcriber import DeepgramTranscriber
from tests.fakes.fake_deepgram import FakeDeepgram
from tests.helpers import ack, start_call
from tests.sockets.test_one_microphone_deepgram import scripted_dialogue, stream_windows
from tests.transcription.deepgram_helpers import fast_settings


@pytest.fixture
def dialogue(app, sessions):
    windows, config, _ = scripted_dialogue()
    config.speakers = {value: 0 for value in config.phrases}  # one diarised voice for all...
    config.speakers.update({2: 1, 4: 1})  # ...except turns 2 and 4
    fake = FakeDeepgram(config).start()
    transcriber = DeepgramTranscriber(fast_settings(fake.url))
    get_services().transcriber = transcriber
    yield windows
    transcriber.close()
    fake.stop()


class Heard:
    """Everything one test client received so far (``get_received`` drains the queue)."""

    def __init__(self, client) -> None:
        self.client, self.events = client, []

    def of(self, name: str, wait_for: int = 0) -> list:
        deadline = time.monotonic() + 5
        while True:
            self.events += self.client.get_received("/audio")
            found = [e["args"][0] for e in self.events if e["name"] == name]
            if name == "transcript":
                found = [p for p in found if p["is_final"]]
            if len(found) >= wait_for or time.monotonic() > deadline:
                return found
            time.sleep(0.05)


def _after_turns(windows: list[int], turns: int) -> int:
    """Index just after the pause that follows the first ``turns`` turns."""
    seen, index = 0, 1
    while seen < turns:
        value = windows[index]
        while windows[index] == value:
            index += 1
        index += 2  # the pause
        seen += 1
    return index


def test_the_rep_flips_a_line_and_the_watching_coach_sees_it(
    connect, tokens, dialogue, sessions, admin
):
    rep_user = tokens.user(role="rep")
    coach_user = tokens.user(role="coach", team=rep_user["user"].team)
    rep, coach = connect(rep_user["token"]), connect(coach_user["token"])
    call_id = start_call(rep)
    assert ack(coach, "call:join", {"call_id": call_id})["ok"]
    rep_heard, coach_heard = Heard(rep), Heard(coach)
    two = _after_turns(dialogue, 2)
    stream_windows(rep, call_id, dialogue[:two])
    first, second = rep_heard.of("transcript", wait_for=2)[:2]
    assert (first["source"], second["source"]) == ("rep", "prospect")
    sessions.writer.flush(5)
    coach_heard.of("metrics")
    before = len(coach_heard.of("metrics"))

    flipped = ack(
        rep,
        "transcript:correct",
        {"call_id": call_id, "utterance_id": first["utterance_id"], "source": "prospect"},
    )
    assert flipped["ok"] and flipped["source"] == "prospect"
    seen = coach_heard.of("transcript:corrected", wait_for=1)
    assert [(e["utterance_id"], e["source"], e["attribution"]["method"]) for e in seen] == [
        (first["utterance_id"], "prospect", "correction")
    ]
    metrics = coach_heard.of("metrics", wait_for=before + 1)[before:]
    assert metrics and metrics[-1]["rep_talk_s"] == 0 and metrics[-1]["prospect_words"] > 0
    db.session.expire_all()
    assert db.session.get(Utterance, first["utterance_id"]).source == "prospect"

    # Diarised speaker 0 is now the prospect, so its next line is the prospect's and
    # speaker 1 (the other voice) is the rep.
    four = _after_turns(dialogue, 4)
    stream_windows(rep, call_id, dialogue[two:four], first_seq=two)
    later = rep_heard.of("transcript", wait_for=4)[2:]
    assert [f["source"] for f in later] == ["prospect", "rep"]
    assert ack(rep, "call:stop", {"call_id": call_id})["ok"]


def test_lines_of_a_two_source_call_cannot_be_re_attributed(connect, admin, dialogue, sessions):
    rep = connect(admin["token"])
    call_id = start_call(rep, sources=["rep", "prospect"])
    stream_windows(rep, call_id, dialogue[: _after_turns(dialogue, 1)])
    line = Heard(rep).of("transcript", wait_for=1)[0]
    sessions.writer.flush(5)
    refused = ack(
        rep,
        "transcript:correct",
        {"call_id": call_id, "utterance_id": line["utterance_id"], "source": "prospect"},
    )
    assert refused["error"]["code"] == "not_attributed"
    assert ack(rep, "call:stop", {"call_id": call_id})["ok"]


def test_another_rep_of_the_team_cannot_correct_the_call(connect, tokens, dialogue, sessions):
    owner = tokens.user(role="rep")
    other = tokens.user(role="rep", team=owner["user"].team)
    rep = connect(owner["token"])
    call_id = start_call(rep)
    stream_windows(rep, call_id, dialogue[: _after_turns(dialogue, 1)])
    line = Heard(rep).of("transcript", wait_for=1)[0]
    sessions.writer.flush(5)
    intruder = connect(other["token"])
    refused = ack(
        intruder,
        "transcript:correct",
        {"call_id": call_id, "utterance_id": line["utterance_id"], "source": "prospect"},
    )
    assert refused["error"]["code"] == "not_found"
    assert ack(rep, "call:stop", {"call_id": call_id})["ok"]


def test_after_the_call_a_line_is_corrected_over_rest(connect, admin, dialogue, sessions, client):
    rep = connect(admin["token"])
    call_id = start_call(rep)
    stream_windows(rep, call_id, dialogue[: _after_turns(dialogue, 1)])
    assert ack(rep, "call:stop", {"call_id": call_id})["ok"]
    line = Heard(rep).of("transcript", wait_for=1)[0]
    headers = {"Authorization": f"Bearer {admin['token']}"}
    url = f"/api/v1/calls/{call_id}/utterances/{line['utterance_id']}"
    response = client.patch(url, json={"source": "prospect"}, headers=headers)
    assert response.status_code == 200, response.json
    items = client.get(f"/api/v1/calls/{call_id}/transcript", headers=headers).json["items"]
    assert items[0]["source"] == "prospect"
    assert items[0]["attribution"] == {"method": "correction", "confidence": 1.0}
    assert client.patch(url, json={"source": "them"}, headers=headers).status_code == 422
