"""Context to a token budget, the spend-limit rule and the team gate (no network)."""

from __future__ import annotations

import httpx2
import pytest
from anthropic import APIStatusError
from anthropic._error_classes import make_status_error

from app.services.coaching.context import TranscriptWindow, approx_tokens
from app.services.coaching.llm_client import classify, is_spend_limit
from app.services.coaching.llm_gate import TeamLlmGate
from app.services.coaching.prompt import escape
from tests.coaching.llm_helpers import PRICE, utterance


def _long_call(window: TranscriptWindow, turns: int) -> None:
    for i in range(turns):
        source = "rep" if i % 2 else "prospect"
        window.add(
            utterance(
                f"Turn {i} says something about the weather and the weekend "
                f"plans of the crew, nothing special at all.",
                source=source,
            )
        )


def test_a_long_call_fits_the_budget_with_a_summary_and_the_most_recent_turns():
    window = TranscriptWindow(budget_tokens=600)
    _long_call(window, 300)
    window.add(utterance("Our budget is 40k per year, can you match that?"))
    message = window.render("Book a demo", PRICE)

    assert approx_tokens(message) <= 600 * 1.1
    assert "<earlier_summary>" in message and "earlier turns (rep" in message
    recent = message.split("<transcript>\n", 1)[1].split("\n</transcript>", 1)[0].splitlines()
    assert recent[-1].startswith("[rep] Turn 299 ")
    numbers = [int(line.split()[2]) for line in recent]
    assert numbers == list(range(numbers[0], 300)) and len(numbers) > 3
    assert "[prospect] Our budget is 40k per year" in message.split("<latest_turn>")[1]
    assert "Too expensive" in message


def test_the_summary_keeps_key_points_of_folded_turns():
    window = TranscriptWindow(budget_tokens=400)
    window.add(utterance("We currently pay 12 dollars per seat to a competitor."))
    _long_call(window, 80)
    window.add(utterance("So what would you charge?"))
    message = window.render(None, None)
    summary = message.split("<earlier_summary>")[1].split("</earlier_summary>")[0]
    assert "12 dollars per seat" in summary
    assert "[prospect] We currently pay 12 dollars per seat" not in message.split("<transcript>")[1]


def test_folding_is_incremental_and_memory_stays_bounded():
    window = TranscriptWindow(budget_tokens=500)
    for round_ in range(5):
        _long_call(window, 100)
        window.add(utterance(f"Round {round_}: what is the price?"))
        window.render(None, None)
        assert len(window.turns) < 40
    assert sum(window.summary.counts.values()) > 450


def test_a_monologue_longer_than_the_budget_keeps_its_latest_words():
    window = TranscriptWindow(budget_tokens=300)
    window.add(utterance("word " * 2000 + "final question about pricing?"))
    message = window.render(None, None)
    assert approx_tokens(message) < 600
    assert "final question about pricing?" in message


def test_escape_makes_untrusted_text_one_inert_line():
    assert escape("a</transcript>\n<b>&\x00c") == "a&lt;/transcript&gt; &lt;b&gt;&amp; c"


def _error(status: int, body: dict, headers: dict | None = None) -> APIStatusError:
    request = httpx2.Request("POST", "http://127.0.0.1/v1/messages")
    response = httpx2.Response(status, headers=headers or {}, json=body, request=request)
    return make_status_error("error", body=body, response=response)


@pytest.mark.parametrize(
    ("status", "error", "spend"),
    [
        (
            429,
            {
                "type": "rate_limit_error",
                "message": "x",
                "details": {"error_code": "contract_spend_limit_reached"},
            },
            True,
        ),
        (429, {"type": "rate_limit_error", "message": "You have reached your usage limits"}, True),
        (
            400,
            {
                "type": "invalid_request_error",
                "message": "Your credit balance is too low to access the API.",
            },
            True,
        ),
        (402, {"type": "billing_error", "message": "Payment required"}, True),
        (429, {"type": "rate_limit_error", "message": "Number of requests exceeded"}, False),
        (529, {"type": "overloaded_error", "message": "Overloaded"}, False),
    ],
)
def test_spend_limit_rule(status, error, spend):
    assert is_spend_limit(_error(status, {"type": "error", "error": error})) is spend


def test_rate_limit_failure_carries_retry_after_and_is_retryable():
    failure = classify(
        _error(
            429,
            {"type": "error", "error": {"type": "rate_limit_error", "message": "slow down"}},
            {"retry-after": "2"},
        )
    )
    assert (failure.reason, failure.retryable, failure.retry_after_s) == (
        "llm_rate_limited",
        True,
        2.0,
    )
    spend = classify(
        _error(
            429,
            {
                "type": "error",
                "error": {"type": "rate_limit_error", "message": "usage limit reached"},
            },
        )
    )
    assert (spend.reason, spend.retryable) == ("llm_spend_limit", False)


def test_a_disabled_team_is_reenabled_after_the_reset_time_or_by_an_admin():
    now = [100.0]
    gate = TeamLlmGate(reset_after_s=60, clock=lambda: now[0])
    gate.disable("t1", "llm_spend_limit")
    gate.disable("t2", "llm_spend_limit")
    assert gate.is_disabled("t1") and not gate.is_disabled("t3")
    now[0] += 59
    assert gate.is_disabled("t1") and gate.is_disabled("t2")
    now[0] += 1
    assert not gate.is_disabled("t1") and not gate.is_disabled("t2")
