"""Acceptance: a card number *spoken* (espeak-ng) and written down by the local recognizer
is stored, exported, indexed and sent to the LLM only as ``[card number]``; so is one
typed into the call's note. Searching for its digits finds nothing."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator

import pytest

from app.container import get_services
from app.extensions import db
from app.models import Utterance
from app.services.transcription.local.settings import LocalAsrSettings
from app.services.transcription.local.transcriber import LocalTranscriber
from tests.fakes.fake_anthropic import Reply
from tests.helpers import ack, auth_header, llm_env, received
from tests.speech import synthesize

CHUNK_BYTES = 3200  # 100 ms of 16 kHz PCM16 mono
SILENCE_1S = b"\x00\x00" * 16000
DIGIT_PIECES = ("4111", "4,111", "111,111", "1111", "4-1-1")


@pytest.fixture
def app_env(fake_llm):
    return llm_env(fake_llm)


@pytest.fixture(scope="module")
def recognizer() -> Iterator[LocalTranscriber]:
    asr = LocalTranscriber(LocalAsrSettings(workers=1, cpu_threads=2))
    assert asr.wait_ready(60), "the worker did not load the model"
    yield asr
    asr.close()


@pytest.fixture(scope="module")
def spoken(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("card")
    card = synthesize("My card number is 4111 1111 1111 1111", out)
    price = synthesize("I think your price is too expensive for us", out)
    return SILENCE_1S + card + SILENCE_1S + price + SILENCE_1S


def _stream(rep, call_id: str, pcm: bytes) -> None:
    for seq, offset in enumerate(range(0, len(pcm), CHUNK_BYTES)):
        payload = {"call_id": call_id, "source": "prospect", "seq": seq}
        assert ack(rep, "audio", {**payload, "data": pcm[offset : offset + CHUNK_BYTES]})["ok"]
        time.sleep(0.03)


def _no_digits(text: str) -> bool:
    return not any(piece in text for piece in DIGIT_PIECES)


def test_a_spoken_and_a_typed_card_number_exist_only_as_placeholders(
    app, connect, client, admin, sessions, fake_llm, recognizer, spoken
):
    fake_llm.push(Reply(delta_delay_s=0.0), Reply(delta_delay_s=0.0))
    get_services().transcriber = recognizer
    headers = auth_header(admin["token"])
    rep = connect(admin["token"])
    call_id = ack(rep, "call:start", {"title": "Spoken card", "sources": ["prospect"]})["call_id"]
    _stream(rep, call_id, spoken)
    deadline = time.monotonic() + 20
    while not fake_llm.requests and time.monotonic() < deadline:
        time.sleep(0.1)  # the LLM coach answers the price objection in the background
    assert ack(rep, "call:stop", {"call_id": call_id})["ok"]
    note = {"notes": "Card 4111 1111 1111 1111 for the deposit"}
    assert client.patch(f"/api/v1/calls/{call_id}", json=note, headers=headers).status_code == 200

    events = received(rep, "transcript")
    assert events and all(_no_digits(e["text"]) for e in events)
    stored = [u.text for u in db.session.query(Utterance).filter_by(call_id=call_id)]
    assert any("[card number]" in t for t in stored), stored
    assert all(_no_digits(t) for t in stored), stored
    exported = client.get(f"/api/v1/calls/{call_id}/export", headers=headers).json
    assert exported["notes"] == "Card [card number] for the deposit"
    assert _no_digits(str(exported))
    rows = client.get(f"/api/v1/calls/{call_id}/export?format=csv", headers=headers).text
    assert _no_digits(rows) and list(csv.DictReader(io.StringIO(rows)))
    assert fake_llm.requests, "the price objection should have asked the LLM"
    assert all(_no_digits(str(r["body"])) for r in fake_llm.requests)
    for q in ("4111", "1111", '"4,111,111"'):
        assert client.get(f"/api/v1/calls?q={q}", headers=headers).json["total"] == 0
    assert client.get('/api/v1/calls?q="card number"', headers=headers).json["total"] == 1
