"""An interim's card that its final does not confirm is withdrawn (issue #12)."""

from __future__ import annotations

from app.events import WithdrawReason
from app.services.coaching.coach_parts import CoachSettings
from app.services.coaching.interim import InterimSettings

from .helpers import utt
from .test_coach import RecordingLlm, make_coach

PARTIAL = "I think your price is"  # reads as a pricing question (a buying signal)
OBJECTION = "I think your price is way too high for us"  # the sentence is an objection
SMALL_TALK = "I think your price is fine, the weather here is lovely today"  # no moment
PRICING = "default:signal-pricing-question"
# "Do you price by usage or by seat", as the local recognizer wrote it: the partial is a
# pricing question, the final's last words are garbled below the threshold
MISHEARD_PARTIAL = "Do you price my usage or nicely"
MISHEARD_FINAL = "Do you price my usage or nice eat?"
PRICE_OBJECTION = "default:objection-price"


def test_a_final_of_another_moment_withdraws_the_interim_card_and_cards_its_own() -> None:
    coach, sink, _clock, _ = make_coach()
    coach.on_interim(utt(PARTIAL, 0, 2, uid="i-1"))
    early = sink.suggestions[0]
    assert (early.entry_id, early.pending) == (PRICING, True)
    coach.on_final(utt(OBJECTION, 0, 3, uid="f-1"))
    [(gone, reason)] = sink.withdrawals
    assert (gone.suggestion_id, reason) == (early.suggestion_id, WithdrawReason.FINAL_DIFFERS)
    assert (gone.trigger_utterance_id, gone.pending) == ("f-1", False)  # linked, to store
    [final_card] = sink.suggestions[1:]
    assert (final_card.entry_id, final_card.trigger_utterance_id) == (PRICE_OBJECTION, "f-1")
    assert final_card.suggestion_id != early.suggestion_id


def test_a_final_that_is_no_moment_withdraws_the_card_and_cards_nothing() -> None:
    coach, sink, _clock, _ = make_coach()
    coach.on_interim(utt(PARTIAL, 0, 2, uid="i-1"))
    coach.on_final(utt(SMALL_TALK, 0, 3, uid="f-1"))
    assert [(e.entry_id, r) for e, r in sink.withdrawals] == [
        (PRICING, WithdrawReason.FINAL_UNMATCHED)
    ]
    assert len(sink.suggestions) == 1  # only the pending card; nothing settled


def test_a_card_the_final_confirms_stays_and_is_not_withdrawn() -> None:
    coach, sink, _clock, _ = make_coach()
    coach.on_interim(utt("How much does it", 0, 1, uid="i-1"))
    coach.on_final(utt("How much does it cost per seat", 0, 2, uid="f-1"))
    assert sink.withdrawals == []
    early, settled = sink.suggestions
    assert settled.suggestion_id == early.suggestion_id
    assert (settled.pending, settled.trigger_utterance_id) == (False, "f-1")


def test_a_withdrawn_card_does_not_use_up_its_entry_cooldown_or_count() -> None:
    coach, sink, _clock, _ = make_coach()
    coach.on_interim(utt(PARTIAL, 0, 2, uid="i-1"))
    coach.on_final(utt(SMALL_TALK, 0, 3, uid="f-1"))
    coach.on_final(utt("How much does it cost per seat", 5, 7, uid="f-2"))  # within cooldown
    assert [s.entry_id for s in sink.suggestions if s.trigger_utterance_id == "f-2"] == [PRICING]
    assert coach.summary()["cards_by_entry"] == {PRICING: 1}


def test_the_llm_coach_is_not_handed_the_withdrawn_entry() -> None:
    coach, sink, _clock, _ = make_coach()
    llm = RecordingLlm(sink)
    coach.attach_llm(llm)
    coach.on_interim(utt(PARTIAL, 0, 2, uid="i-1"))
    coach.on_final(utt(OBJECTION, 0, 3, uid="f-1"))
    [(utterance_id, matched, _)] = llm.seen
    assert utterance_id == "f-1"
    assert matched == [PRICE_OBJECTION.removeprefix("default:")]


def test_a_final_that_cannot_be_judged_keeps_the_interim_card() -> None:
    """Phrases only (the encoder's deadline passed) and no phrase hit: no verdict, so the
    card is kept as before rather than withdrawn for want of a look."""
    coach, sink, _clock, _ = make_coach()
    coach.handle(utt(PARTIAL, 0, 2, uid="i-1"), final=False, meaning=True)
    coach.handle(utt(OBJECTION, 0, 3, uid="f-1"), final=True, meaning=False)
    assert sink.withdrawals == []
    assert [(s.entry_id, s.pending) for s in sink.suggestions] == [
        (PRICING, True),
        (PRICING, False),
    ]


def test_a_final_that_fires_nothing_but_leans_to_the_card_keeps_it() -> None:
    """The recognizer's final rewrote the partial and fell under the threshold, yet its
    closest entry is still the card's: no contradiction, so the card stays."""
    coach, sink, _clock, _ = make_coach()
    coach.on_interim(utt(MISHEARD_PARTIAL, 0, 2, uid="i-1"))
    [early] = sink.suggestions
    coach.on_final(utt(MISHEARD_FINAL, 0, 3, uid="f-1"))
    assert sink.withdrawals == []
    [settled] = sink.suggestions[1:]
    assert (settled.suggestion_id, settled.pending) == (early.suggestion_id, False)
    assert settled.entry_id == PRICING


def test_a_leaning_below_the_floor_still_withdraws() -> None:
    settings = CoachSettings(interim=InterimSettings(keep_floor=1.0))
    coach, sink, _clock, _ = make_coach(settings=settings)
    coach.on_interim(utt(MISHEARD_PARTIAL, 0, 2, uid="i-1"))
    coach.on_final(utt(MISHEARD_FINAL, 0, 3, uid="f-1"))
    assert [(e.entry_id, r) for e, r in sink.withdrawals] == [
        (PRICING, WithdrawReason.FINAL_UNMATCHED)
    ]
