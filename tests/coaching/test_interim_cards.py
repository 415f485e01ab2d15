"""Cards on interim transcripts: early, once per utterance, linked to the final."""

from __future__ import annotations

from .helpers import utt
from .test_coach import make_coach

BEYOND = "That's way beyond what we had set aside for this"
EARLY = "That's way beyond what we had set aside"


def test_a_stable_interim_cards_at_once_and_its_final_links_the_card() -> None:
    coach, sink, _clock, _ = make_coach()
    coach.on_interim(utt(EARLY, 0, 2, uid="interim-1"))
    assert [(s.entry_id, s.pending, s.trigger_utterance_id) for s in sink.suggestions] == [
        ("default:objection-price", True, "interim-1")
    ]
    coach.on_final(utt(BEYOND, 0, 3, uid="final-1"))
    first, again = sink.suggestions
    assert again.suggestion_id == first.suggestion_id
    assert (again.pending, again.trigger_utterance_id) == (False, "final-1")


def test_the_final_does_not_repeat_a_card_its_interim_fired() -> None:
    coach, sink, _clock, _ = make_coach()
    coach.on_interim(utt("I think your price is too expensive", 0, 2, uid="i-1"))
    coach.on_final(utt("I think your price is too expensive for us", 0, 3, uid="f-1"))
    assert len({s.suggestion_id for s in sink.suggestions}) == 1


def test_short_or_unchanged_interims_are_not_matched() -> None:
    coach, sink, _clock, _ = make_coach()
    coach.on_interim(utt("too expensive", 0, 1, uid="i-1"))
    assert sink.suggestions == []
    text = "honestly it is too expensive"
    coach.on_interim(utt("honestly it is", 0, 1, uid="i-2"))
    coach.on_interim(utt(text, 0, 2, uid="i-2"))
    coach.on_interim(utt(text, 0, 2, uid="i-2"))
    assert len(sink.suggestions) == 1


def test_the_rep_interims_never_card_prospect_moments() -> None:
    coach, sink, _clock, _ = make_coach()
    coach.on_interim(utt(EARLY, 0, 2, source="rep", uid="i-1"))
    assert sink.suggestions == []


def test_a_card_whose_final_never_came_is_stored_on_close() -> None:
    coach, sink, _clock, _ = make_coach()
    coach.on_interim(utt(EARLY, 0, 2, uid="i-1"))
    coach.close()
    assert [(s.pending, s.trigger_utterance_id) for s in sink.suggestions] == [
        (True, "i-1"),
        (False, "i-1"),
    ]


def test_a_final_of_the_other_source_does_not_settle_the_card() -> None:
    coach, sink, _clock, _ = make_coach()
    coach.on_interim(utt(EARLY, 0, 2, uid="i-1"))
    coach.on_final(utt("Let me share my screen with you", 0, 2, source="rep", uid="f-rep"))
    assert [s.pending for s in sink.suggestions] == [True]
