"""I2: hypothesis throws generated payloads at every client event of `/audio`: each gets
an ack, every refusal carries a code, nothing raises unhandled (no internal_error), and
the connection stays open."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.events import ClientEvent, ErrorCode
from app.schemas import socket as schemas
from app.schemas.text import Text
from tests.helpers import ack, start_call
from tests.security.logcapture import captured_logs

EVENT_SCHEMAS = {
    ClientEvent.CALL_START: schemas.CallStartSchema,
    ClientEvent.AUDIO: schemas.AudioChunkSchema,
    ClientEvent.CALL_STOP: schemas.CallRefSchema,
    ClientEvent.CALL_JOIN: schemas.CallRefSchema,
    ClientEvent.CALL_LEAVE: schemas.CallRefSchema,
    ClientEvent.COACH_WHISPER: schemas.WhisperSchema,
    ClientEvent.SUGGESTION_FEEDBACK: schemas.FeedbackEventSchema,
    ClientEvent.AUTH_REFRESH: schemas.AuthRefreshSchema,
}
KNOWN_CODES = {c.value for c in ErrorCode} | {"invalid_token", "invalid_api_key"}
KNOWN_CODES -= {ErrorCode.INTERNAL_ERROR.value}
# The probe's text: lone surrogates, NUL, controls and bidi overrides (hypothesis' text
# strategy leaves surrogates out unless asked).
HOSTILE = ("\ud800", "\u0000\u202eadmin", "a\u2066b", "\udfff tail", "x\x07y")
HOSTILE_TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(categories=("Cs", "Cc", "Cf", "Ll")), min_size=1, max_size=12),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True),
    st.text(max_size=80),
    HOSTILE_TEXT,
    st.binary(max_size=256),
)
JSONISH = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@pytest.fixture
def app_env() -> dict[str, str]:
    return {
        "SOCKET_AUDIO_PER_SECOND": "100000",
        "SOCKET_CONTROL_PER_MINUTE": "1000000",
        "SOCKET_USER_CONTROL_PER_MINUTE": "1000000",
        "MAX_LIVE_CALLS_PER_USER": "1000",
        "MAX_LIVE_CALLS_PER_TEAM": "1000",
    }


def _hostile_examples(schema: type, call_id: str) -> list[dict[str, Any]]:
    """Every text field of the event set to each probe value, the rest plausible."""
    fields = schema().fields
    base = {name: call_id for name in fields if name.endswith("call_id")}
    texts = [n for n, f in fields.items() if isinstance(f, Text)]
    return [{**base, name: value} for name in texts for value in HOSTILE]


def _payloads(schema: type, call_id: str) -> st.SearchStrategy[Any]:
    names = [*schema().fields, "extra"]
    values = st.one_of(JSONISH, st.sampled_from([call_id, "rep", "prospect", 0, 1, "used"]))
    shaped = st.dictionaries(st.sampled_from(names), values, max_size=len(names))
    return st.one_of(shaped, JSONISH)


@pytest.mark.parametrize("event", list(EVENT_SCHEMAS), ids=str)
def test_every_generated_payload_gets_an_ack_with_a_known_code(connect, admin, event):
    client = connect(admin["token"])
    call_id = start_call(client, sources=["rep", "prospect"])
    seen: list[str] = []

    @given(payload=_payloads(EVENT_SCHEMAS[event], call_id))
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(payload: Any) -> None:
        response = ack(client, event, payload)
        assert isinstance(response, dict) and isinstance(response.get("ok"), bool), response
        if not response["ok"]:
            assert response["error"]["code"] in KNOWN_CODES, response
            seen.append(response["error"]["code"])
        assert client.is_connected("/audio")

    examples = _hostile_examples(EVENT_SCHEMAS[event], call_id)
    with captured_logs() as logs:
        run()
        for payload in examples:  # explicit probes, on top of the generated ones
            response = ack(client, event, payload)
            assert response["ok"] is False, (payload, response)
            assert response["error"]["code"] == "validation_error", (payload, response)
    assert not [r for r in logs.records if r.levelname in ("ERROR", "CRITICAL")]
    assert "validation_error" in seen
    assert client.is_connected("/audio")
