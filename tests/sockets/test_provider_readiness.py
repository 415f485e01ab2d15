"""Readiness tells the truth about providers: it reflects the last real interaction (a
refused key turns the transcriber check unhealthy after one failed stream open, a good
stream clears it), an LLM failing auth shows without taking the worker out, and the
optional probe is cached."""

from __future__ import annotations

import time

import pytest

from app.container import get_services
from app.services.provider_health import ProviderHealth, ProviderUnhealthy
from app.services.transcription.deepgram.transcriber import DeepgramTranscriber
from tests.fakes.fake_anthropic import Reply
from tests.fakes.fake_deepgram import FakeDeepgram, FakeDeepgramConfig
from tests.helpers import ack, llm_env, start_call, stream
from tests.transcription.deepgram_helpers import fast_settings


@pytest.fixture
def deepgram(app, sessions):
    fake = FakeDeepgram(FakeDeepgramConfig(speech_final_every=1)).start()
    transcriber = DeepgramTranscriber(fast_settings(fake.url))
    get_services().transcriber = transcriber
    yield fake
    transcriber.close()
    fake.stop()


def _ready(client) -> tuple[int, dict]:
    response = client.get("/health/ready")
    return response.status_code, response.json


def _until(predicate, timeout: float = 8.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.05)
    return predicate()


def test_a_revoked_deepgram_key_turns_readiness_unhealthy_after_one_failed_stream_open(
    client, connect, admin, deepgram, sessions
):
    status, body = _ready(client)  # warms the cache of the database check
    assert status == 200 and body["checks"]["transcriber"]["ok"] is True
    deepgram.config.reject_status = 401
    rep = connect(admin["token"])
    call_id = start_call(rep)
    assert _until(lambda: _ready(client)[0] == 503), _ready(client)
    status, body = _ready(client)
    assert body["checks"]["transcriber"] == {
        "ok": False,
        "error": "provider_auth_failed",
        "ms": body["checks"]["transcriber"]["ms"],
    }
    assert len(deepgram.connections) + deepgram.rejected == 1  # one open, not a probe per check
    ack(rep, "call:stop", {"call_id": call_id})

    deepgram.config.reject_status = None  # the key works again: the next stream proves it
    call_id = start_call(rep)
    assert _until(lambda: _ready(client)[0] == 200), _ready(client)
    ack(rep, "call:stop", {"call_id": call_id})


def test_the_optional_probe_checks_the_key_at_most_once_per_interval(deepgram):
    transcriber = get_services().transcriber
    health = ProviderHealth(probe=transcriber.probe, probe_interval_s=3600)
    deepgram.config.reject_status = 401
    with pytest.raises(ProviderUnhealthy) as refused:
        health.check()
    assert refused.value.code == "provider_auth_failed"
    with pytest.raises(ProviderUnhealthy):
        health.check()  # the cached verdict; no second handshake
    assert deepgram.rejected == 1
    deepgram.config.reject_status = None
    fresh = ProviderHealth(probe=transcriber.probe, probe_interval_s=3600)
    fresh.check()
    assert fresh.healthy


class TestLlm:
    @pytest.fixture
    def app_env(self, fake_llm):
        return llm_env(fake_llm, PROVIDER_FAILURE_THRESHOLD="5")

    def test_an_llm_refusing_the_key_shows_unhealthy_but_the_worker_stays_ready(
        self, client, connect, admin, fake_llm, sessions
    ):
        assert _ready(client)[1]["checks"]["llm"]["ok"] is True
        fake_llm.default = Reply.error(401, "authentication_error", "invalid x-api-key")
        fake_llm.guide_default = fake_llm.default  # the key is refused for guidance too
        rep = connect(admin["token"])
        call_id = start_call(rep, sources=["rep", "prospect"])
        stream(rep, call_id, 4, source="prospect")
        assert _until(lambda: not _ready(client)[1]["checks"]["llm"]["ok"]), _ready(client)
        status, body = _ready(client)
        assert status == 200 and body["ready"] is True  # the playbook still coaches
        assert body["checks"]["llm"]["error"] == "llm_auth_failed"
        ack(rep, "call:stop", {"call_id": call_id})


def test_failures_in_a_row_past_the_threshold_mark_a_provider_unhealthy_until_a_success():
    health = ProviderHealth(failure_threshold=3)
    for _ in range(2):
        health.failure("provider_unreachable")
    assert health.healthy
    health.failure("provider_rate_limited")
    assert not health.healthy
    health.success()
    assert health.healthy
    for reason in ("provider_unsupported_audio", "llm_bad_response", "llm_spend_limit") * 3:
        health.failure(reason)  # the client's audio, a bad answer, one team's limit
    assert health.healthy
