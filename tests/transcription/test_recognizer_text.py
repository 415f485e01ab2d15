from __future__ import annotations

import pytest

from app.services.transcription.recognizer import collapse_repeats


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Send it by Friday? Send it by Friday?", "Send it by Friday?"),
        ("No. No. Yes.", "No. No. Yes."),
        ("I think so. I think so too.", "I think so. I think so too."),
        ("", ""),
    ],
)
def test_a_sentence_repeated_by_a_decoding_loop_is_kept_once(raw: str, clean: str) -> None:
    assert collapse_repeats(raw) == clean
