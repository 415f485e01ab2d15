from __future__ import annotations

import pytest

from app.services.transcription.local.recognizer import collapse_repeats


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Send it by Friday? Send it by Friday?", "Send it by Friday?"),
        ("No. No. Yes.", "No. No. Yes."),
        ("I think so. I think so too.", "I think so. I think so too."),
        ("", ""),
        (
            "That's fair. If price weren't a factor, would this be the right fit? "
            "That's fair. If price weren't a factor, would this be the right fit?",
            "That's fair. If price weren't a factor, would this be the right fit?",
        ),
        ("Okay. Okay. Okay. Okay. Let's go.", "Okay. Okay. Okay. Okay. Let's go."),
        ("We can start Monday. We can start Monday. Great.", "We can start Monday. Great."),
        (
            "We drove up to the mountains We drove up to the mountains",
            "We drove up to the mountains",
        ),
        ("the coffee is still hard the coffee is still hard.", "the coffee is still hard."),
        ("I mean I mean it works", "I mean I mean it works"),
    ],
)
def test_a_sentence_repeated_by_a_decoding_loop_is_kept_once(raw: str, clean: str) -> None:
    assert collapse_repeats(raw) == clean
