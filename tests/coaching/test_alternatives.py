"""A final that no entry matches is tried on the recognizer's next-best readings (issue #12).

The local recognizer's beam keeps a few readings of each final; a misheard word ("where do
I shine") often has the right one in second place. A next-best reading cards through a
trigger phrase, or by meaning above the entry's threshold plus ALTERNATIVE_MARGIN.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.services.coaching import playbook
from app.services.coaching.moments import threshold_of
from app.services.coaching.playbook import PlaybookMatcher
from app.services.coaching.text import normalize
from app.services.coaching.toolkit_data import default_toolkit_items
from app.services.live.call_events import final_utterance
from app.services.transcription.base import TranscriptResult

from .helpers import utt
from .test_coach import make_coach

COMMITMENT = "default:closing-commitment"
TIMING = "default:objection-timing"


def matcher() -> PlaybookMatcher:
    return PlaybookMatcher(default_toolkit_items())


def heard(text: str, *alternatives: str, source: str = "prospect"):  # type: ignore[no-untyped-def]
    return replace(utt(text, 0, 2, source=source), alternatives=alternatives)  # type: ignore[arg-type]


def entry_ids(items) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.entry_id for i in items]


def test_a_misheard_final_cards_through_its_next_best_reading() -> None:
    assert matcher().match(heard("Where do I shine?")) == []
    found = matcher().match(heard("Where do I shine?", "Where do I sign?"))
    assert entry_ids(found) == [COMMITMENT]


def test_a_trigger_phrase_in_a_next_best_reading_cards() -> None:
    line = heard("I'd rather fold up for a minute.", "I'd rather hold off for a minute.")
    assert entry_ids(matcher().match(replace(line, alternatives=()))) == []
    assert entry_ids(matcher().match(line)) == [TIMING]


def test_ordinary_talk_with_a_sound_alike_reading_stays_quiet() -> None:
    line = heard("We have a lot of remote staff.", "We have a lot of remote stuff.")
    assert matcher().match(line) == []


def test_a_reading_must_clear_the_threshold_by_the_alternative_margin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reading = "Can you call me back in a couple of months?"
    score = matcher().by_meaning(heard(reading), normalize(reading))
    assert score is not None and score.item.entry_id == TIMING
    clearance = score.score - threshold_of(score.item)
    line = heard("Can you call me Mac in a couple of months?", reading)
    for margin, expected in ((clearance - 0.01, [TIMING]), (clearance + 0.01, [])):
        monkeypatch.setattr(playbook, "ALTERNATIVE_MARGIN", margin)
        assert entry_ids(matcher().match(line)) == expected


def test_the_best_reading_decides_first_and_readings_with_its_words_are_not_scored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    m = matcher()
    batches: list[list[str]] = []
    monkeypatch.setattr(m._moments, "prepare", batches.append)
    assert entry_ids(
        m.match(heard("That's way over our budget.", "That's way over our budgets."))
    ) == ["default:objection-price"]
    assert batches == []  # a phrase matched the best reading: nothing else was encoded
    m.match(heard("Where do I shine?", "where do I shine", "Where do I sign?", "Where do I sign"))
    assert batches == [["Where do I sign?"]]  # one batch, each new wording once


def test_a_reading_carded_only_for_the_speakers_of_the_entry() -> None:
    assert matcher().match(heard("Where do I shine?", "Where do I sign?", source="rep")) == []


def test_the_coach_cards_the_final_from_its_reading_and_links_it() -> None:
    coach, sink, _clock, _ = make_coach()
    final = replace(utt("Where do I shine?", 0, 2, uid="f-1"), alternatives=("Where do I sign?",))
    coach.on_final(final)
    [card] = sink.suggestions
    assert (card.entry_id, card.trigger_utterance_id) == (COMMITMENT, "f-1")


def test_a_final_for_the_coach_keeps_the_recognizers_readings() -> None:
    result = TranscriptResult(
        "Where do I shine? ", True, 0, 900, 0.8, alternatives=(" Where do I sign?",)
    )
    line = final_utterance("u-1", "prospect", result, (5000, 5900), 0.0)
    assert (line.text, line.alternatives, line.start_ms) == (
        "Where do I shine?",
        ("Where do I sign?",),
        5000,
    )


def test_the_lane_encodes_a_final_and_its_new_readings_ahead_together() -> None:
    coach, _sink, _clock, _ = make_coach()
    final = heard("Where do I shine?", "where do I shine", "Where do I sign?")
    assert coach.texts_to_encode(final, True) == ["Where do I shine?", "Where do I sign?"]
    phrase = heard("That's way over our budget.", "That's way over our budgets.")
    assert coach.texts_to_encode(phrase, True) == []  # a trigger phrase decides


@pytest.mark.parametrize("said", ["Okay... Okay... Okay...", "No, no, no", "yeah yeah"])
def test_a_one_word_turn_said_over_is_no_moment_by_meaning(said: str) -> None:
    # the recognizer repeats a short word it heard once; it is still a one-word turn
    assert matcher().match(heard(said, "I don't know", "I don't want")) == []
    assert matcher().by_meaning(heard(said), normalize(said)) is None
