"""D2: after a full call with faults, neither the logs (every record, as the JSON formatter
writes it, root logger at DEBUG) nor any error payload holds transcript text, audio bytes,
tokens, passwords or keys."""

from __future__ import annotations

import base64
import itertools
import os
import time

import pytest

from app.extensions import db
from app.models import Team
from tests.factories import PASSWORD
from tests.fakes.fake_anthropic import FakeAnthropic, Reply
from tests.helpers import ack, start_call
from tests.security.logcapture import captured_logs

ANTHROPIC_KEY = "sk-ant-test-" + os.urandom(8).hex()
DEEPGRAM_KEY = "dg" + os.urandom(12).hex()
SENTENCES = [
    "Our quartz umbrella budget is too expensive for us.",
    "Please call me back about the marigold contract.",
]
WHISPER = "Mention the periwinkle discount now"
AUDIO = os.urandom(3200)


@pytest.fixture
def fake_llm():
    with FakeAnthropic(api_key=ANTHROPIC_KEY) as fake:
        yield fake


@pytest.fixture
def app_env(fake_llm):
    return {
        "COACH": "llm",
        "ANTHROPIC_API_KEY": ANTHROPIC_KEY,
        "ANTHROPIC_BASE_URL": fake_llm.base_url,
        "DEEPGRAM_API_KEY": DEEPGRAM_KEY,
        "LLM_DEADLINE_S": "2",
        "LOG_LEVEL": "DEBUG",
        "SOCKET_TOKEN_CHECK_SECONDS": "0.1",
    }


def _audio(client, call_id, seq, data=AUDIO, source="prospect"):
    return ack(client, "audio", {"call_id": call_id, "source": source, "seq": seq, "data": data})


def _faulty_call(connect, client, admin, tokens, scripted_transcriber, fake_llm, sessions):
    """Runs the call; returns every ack and non-content event the clients received."""
    scripted_transcriber.sentences = itertools.cycle(SENTENCES)
    fake_llm.push(Reply.error(500, "api_error", f"upstream echoed: {SENTENCES[0]} {ANTHROPIC_KEY}"))
    fake_llm.default = Reply(delta_delay_s=0.002)
    headers = {"Authorization": f"Bearer {admin['token']}"}
    key = client.post("/api/v1/api-keys", json={"name": "dialer"}, headers=headers).json["key"]
    payloads = [
        client.post(
            "/api/v1/auth/login", json={"email": "admin@acme.test", "password": "x" + PASSWORD}
        ).json,
        client.get(
            "/api/v1/calls", headers={"Authorization": f"Bearer {admin['token'][:-4]}abcd"}
        ).json,
    ]
    tampered = connect(admin["token"][:-4] + "abcd")
    assert not tampered.is_connected("/audio")
    rep = connect(key)
    call_id = start_call(rep, sources=["rep", "prospect"])
    coach = connect(tokens.user(role="coach", team=db.session.get(Team, admin["team_id"]))["token"])
    payloads.append(ack(coach, "call:join", {"call_id": call_id}))
    payloads += [_audio(rep, call_id, seq) for seq in range(4)]
    payloads.append(_audio(rep, call_id, 4, data=AUDIO * 30))  # oversize
    stream = scripted_transcriber.streams[-1]
    original_send = stream.send

    def failing_send(chunk):
        raise RuntimeError(f"provider said: {SENTENCES[1]} key={DEEPGRAM_KEY} {chunk[:8]!r}")

    stream.send = failing_send
    payloads.append(_audio(rep, call_id, 4))  # provider crash inside the handler
    stream.send = original_send
    stream.fail("degraded", "provider_error")
    payloads += [_audio(rep, call_id, seq) for seq in range(5, 9)]
    payloads.append(ack(coach, "coach:whisper", {"call_id": call_id, "text": WHISPER}))
    payloads.append(ack(rep, "auth:refresh", {"token": "garbage." + admin["refresh"]}))
    time.sleep(0.5)  # LLM turns finish or fail
    payloads.append(ack(rep, "call:stop", {"call_id": call_id}))
    content = {"transcript", "suggestion", "whisper", "presence"}
    payloads += [e for c in (rep, coach) for e in c.queue if e["name"] not in content]
    return payloads, key


def test_logs_and_error_payloads_hold_no_secrets_after_a_faulty_call(
    connect, client, admin, tokens, scripted_transcriber, fake_llm, sessions
):
    with captured_logs() as logs:
        payloads, api_key = _faulty_call(
            connect, client, admin, tokens, scripted_transcriber, fake_llm, sessions
        )
    assert any(r.getMessage() == "socket auth refused" for r in logs.records)  # faults logged...
    assert any(r.getMessage() == "socket handler failed" for r in logs.records)
    assert fake_llm.requests, "the LLM was called"
    secrets = [
        *SENTENCES,
        "quartz",
        "marigold",  # single distinctive words
        WHISPER,
        admin["token"],
        admin["token"].split(".")[2],
        admin["refresh"],
        api_key,
        ANTHROPIC_KEY,
        DEEPGRAM_KEY,
        PASSWORD,
        AUDIO[:8].hex(),
        repr(AUDIO[:8])[2:-1],
        base64.b64encode(AUDIO[:9]).decode(),
    ]
    output, payload_text = logs.text, str(payloads)
    assert [s for s in secrets if s in output] == []  # ...without what they were about
    assert [s for s in secrets if s in payload_text] == []
    assert "internal_error" in payload_text and "chunk_too_large" in payload_text
