"""The heard-text bench scores lines as the live coach cards them, call by call."""

from __future__ import annotations

from bench.moments_heard import call_cards


def line(partials: list[str], final: str) -> dict[str, object]:
    return {"label": "x", "text": final, "heard": final, "partials": partials}


def test_an_early_card_the_final_withdraws_leaves_the_line_uncarded() -> None:
    small_talk = "I think your price is fine, the weather here is lovely today"
    assert call_cards([line(["I think", "I think your price is"], small_talk)]) == [None]


def test_an_early_card_the_final_confirms_is_the_lines_card() -> None:
    final = "That's way beyond what we had set aside for this"
    partials = ["That's way", "That's way beyond what we had"]
    assert call_cards([line(partials, final)]) == ["objection-price"]


def test_an_entry_on_cooldown_does_not_card_the_next_line_of_the_call() -> None:
    price = line(["this is"], "this is too expensive")
    assert call_cards([price, price]) == ["objection-price", None]
    assert call_cards([price]) == ["objection-price"]
