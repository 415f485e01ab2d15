"""One microphone, two voices, Deepgram: the stream asks for diarisation, the fake answers
with diarised words (as Deepgram does), and the diarised speakers become rep and prospect.
Two-source calls ask for nothing of the kind and keep their labels."""

from __future__ import annotations

import math
import time

import pytest

from app.container import get_services
from app.extensions import db
from app.models import Utterance
from app.services.transcription.deepgram.transcriber import DeepgramTranscriber
from tests.dialogue import SCRIPT, Turn, true_speaker, true_talk_ratio
from tests.fakes.fake_deepgram import FakeDeepgram, FakeDeepgramConfig
from tests.helpers import ack, received, start_call
from tests.transcription.deepgram_helpers import WINDOW, fast_settings

WORDS_PER_WINDOW = 2  # 0.5 s windows: about the pace of speech
SILENT_WINDOWS = 2  # a pause between turns (the fake sends UtteranceEnd after it)
REP_SPEAKER, PROSPECT_SPEAKER = 1, 0  # Deepgram's ids are arbitrary: the rep is not 0


def scripted_dialogue() -> tuple[list[int], FakeDeepgramConfig, list[Turn]]:
    """Windows (byte values; 0 = silence), the fake's script, and the true turns."""
    windows: list[int] = [0]
    phrases: dict[int, list[str]] = {}
    speakers: dict[int, int] = {}
    turns: list[Turn] = []
    for index, (speaker, text) in enumerate(SCRIPT):
        value, words = index + 1, text.split()
        count = math.ceil(len(words) / WORDS_PER_WINDOW)
        phrases[value] = [
            " ".join(words[i * WORDS_PER_WINDOW : (i + 1) * WORDS_PER_WINDOW]) for i in range(count)
        ]
        speakers[value] = REP_SPEAKER if speaker == "rep" else PROSPECT_SPEAKER
        start_ms = len(windows) * 500
        turns.append(Turn(speaker, text, start_ms, start_ms + count * 500))
        windows += [value] * count + [0] * SILENT_WINDOWS
    return windows, FakeDeepgramConfig(phrases=phrases, speakers=speakers), turns


@pytest.fixture
def dialogue(app, sessions):
    windows, config, turns = scripted_dialogue()
    fake = FakeDeepgram(config).start()
    transcriber = DeepgramTranscriber(fast_settings(fake.url))
    get_services().transcriber = transcriber
    yield fake, windows, turns
    transcriber.close()
    fake.stop()


def stream_windows(rep, call_id, windows, source="rep", first_seq=0):
    for seq, value in enumerate(windows, start=first_seq):
        data = bytes([value]) * WINDOW
        assert ack(rep, "audio", {"call_id": call_id, "source": source, "seq": seq, "data": data})[
            "ok"
        ]
        time.sleep(0.01)


def test_diarised_words_on_one_microphone_become_rep_and_prospect(
    connect, tokens, dialogue, sessions
):
    fake, windows, turns = dialogue
    rep_user = tokens.user(role="rep", seed_toolkit=True)
    rep = connect(rep_user["token"])
    call_id = start_call(rep)  # the default: the rep's microphone only
    stream_windows(rep, call_id, windows)
    assert ack(rep, "call:stop", {"call_id": call_id})["ok"]
    events = rep.get_received("/audio")
    finals = [
        e["args"][0] for e in events if e["name"] == "transcript" and e["args"][0]["is_final"]
    ]
    assert fake.connections[0].query.get("diarize") == "true"
    assert len(finals) == len(SCRIPT)
    right = [f["source"] == true_speaker(turns, f["start_ms"], f["end_ms"]) for f in finals]
    assert sum(right) / len(finals) >= 0.9
    assert {f["attribution"]["method"] for f in finals} == {"diarization"}
    by_id = {f["utterance_id"]: f for f in finals}
    cards = [e["args"][0] for e in events if e["name"] == "suggestion"]
    objection = [c for c in cards if c["kind"] == "objection"]
    assert objection and by_id[objection[0]["trigger_utterance_id"]]["source"] == "prospect"
    assert "too expensive" in by_id[objection[0]["trigger_utterance_id"]]["text"]
    metrics = [e["args"][0] for e in events if e["name"] == "metrics"][-1]
    assert abs(metrics["talk_ratio"] - true_talk_ratio(turns)) * 100 <= 10
    sessions.writer.flush(5)
    db.session.expire_all()
    stored = db.session.query(Utterance).filter_by(call_id=call_id).order_by(Utterance.start_ms)
    assert [(u.source, u.attribution_method) for u in stored] == [
        (f["source"], "diarization") for f in finals
    ]


def test_a_two_source_call_keeps_its_labels_and_asks_for_no_diarisation(
    connect, admin, dialogue, sessions
):
    fake, windows, _ = dialogue
    rep = connect(admin["token"])
    call_id = start_call(rep, sources=["rep", "prospect"])
    stream_windows(rep, call_id, windows[:12], source="rep")
    stream_windows(rep, call_id, windows[12:24], source="prospect")
    assert ack(rep, "call:stop", {"call_id": call_id})["ok"]
    finals = [p for p in received(rep, "transcript") if p["is_final"]]
    assert all("diarize" not in c.query for c in fake.connections)
    assert finals and all("attribution" not in f for f in finals)
    assert {f["source"] for f in finals} == {"rep", "prospect"}
    assert all(f["utterance_id"] for f in finals)
    sessions.writer.flush(5)
    db.session.expire_all()
    stored = db.session.query(Utterance).filter_by(call_id=call_id).all()
    assert stored and all(u.attribution_method is None for u in stored)
