"""The coach's lane: transcripts handled in order off the caller's task, encoder off the
loop through the pump, phrase matching when the pump cannot help, nothing lost at stop."""

from __future__ import annotations

import threading
from dataclasses import replace

from app.services.coaching.base import Utterance
from app.services.coaching.coach import CoachSettings, LiveCallCoach
from app.services.coaching.lane import CoachLane, LaneEvent

from .helpers import utt
from .test_coach import make_coach

PARAPHRASE = "That's way beyond what we had set aside for this"  # no trigger phrase
PHRASE = "I think your price is too expensive for us"  # a trigger phrase
PRICE = "default:objection-price"


class FakePump:
    """Answers every request with ``ok``; the matcher then encodes (or finds the cache)."""

    def __init__(self, ok: bool = True) -> None:
        self.ok = ok
        self.texts: list[str] = []
        self.threads: set[int] = set()

    def encode_all(self, texts: list[str], deadline: float) -> bool:
        self.texts.extend(texts)
        self.threads.add(threading.get_ident())
        return self.ok


def lane_coach(pump: FakePump) -> tuple[LiveCallCoach, object]:
    coach, sink, _clock, _ = make_coach(settings=CoachSettings(offload_detection=True))
    coach._lane._pump = pump  # type: ignore[union-attr]
    return coach, sink


def test_a_paraphrase_is_encoded_through_the_pump_off_the_callers_thread() -> None:
    pump = FakePump()
    coach, sink = lane_coach(pump)
    coach.on_final(utt(PARAPHRASE, 0, 3, uid="f-1"))
    coach.summary()  # waits for the lane
    assert [s.entry_id for s in sink.suggestions] == [PRICE]  # type: ignore[attr-defined]
    assert pump.texts == [PARAPHRASE]
    assert threading.get_ident() not in pump.threads


def test_a_misheard_final_and_its_readings_go_to_the_pump_in_one_request() -> None:
    pump = FakePump()
    coach, sink = lane_coach(pump)
    final = replace(utt("Where do I shine?", 0, 2, uid="f-1"), alternatives=("Where do I sign?",))
    coach.on_final(final)
    coach.summary()
    assert pump.texts == ["Where do I shine?", "Where do I sign?"]
    assert [s.entry_id for s in sink.suggestions] == ["default:closing-commitment"]  # type: ignore[attr-defined]


def test_a_phrase_hit_never_asks_the_encoder() -> None:
    pump = FakePump()
    coach, sink = lane_coach(pump)
    coach.on_final(utt(PHRASE, 0, 3, uid="f-1"))
    coach.summary()
    assert [s.entry_id for s in sink.suggestions] == [PRICE]  # type: ignore[attr-defined]
    assert pump.texts == []


def test_when_the_pump_says_no_the_final_is_still_handled_by_phrases() -> None:
    coach, sink = lane_coach(FakePump(ok=False))
    coach.on_final(utt(PARAPHRASE, 0, 3, uid="f-1"))
    coach.on_final(utt(PHRASE, 4, 7, uid="f-2"))
    summary = coach.summary()
    assert [s.trigger_utterance_id for s in sink.suggestions] == ["f-2"]  # type: ignore[attr-defined]
    assert summary["metrics"]["prospect_talk_s"] == 6.0  # both finals reached the metrics


def test_cards_keep_the_utterance_order_and_an_interim_card_is_not_repeated() -> None:
    coach, sink = lane_coach(FakePump())
    coach.on_interim(utt("That's way beyond what we had set aside", 0, 2, uid="i-1"))
    coach.on_final(utt(PARAPHRASE, 0, 3, uid="f-1"))
    coach.on_final(utt("We already work with a competitor on this", 4, 7, uid="f-2"))
    coach.close()
    triggers = [s.trigger_utterance_id for s in sink.suggestions]  # type: ignore[attr-defined]
    ids = [s.suggestion_id for s in sink.suggestions]  # type: ignore[attr-defined]
    # the interim's card (or, if the final overtook it, the final's) comes first, once
    assert triggers[-1] == "f-2" and "f-1" in triggers
    assert len(set(ids[:-1])) == 1


def test_close_handles_what_the_lane_still_holds() -> None:
    release = threading.Event()

    class SlowPump(FakePump):
        def encode_all(self, texts: list[str], deadline: float) -> bool:
            release.wait(5)
            return True

    coach, sink, _clock, _ = make_coach(
        settings=CoachSettings(offload_detection=True, lane_flush_s=0.0)
    )
    coach._lane._pump = SlowPump()  # type: ignore[union-attr]
    coach.on_final(utt(PARAPHRASE, 0, 3, uid="f-1"))  # the drain task waits in the pump
    coach.on_final(utt(PHRASE, 4, 7, uid="f-2"))  # still queued at close
    coach.close()
    assert [s.trigger_utterance_id for s in sink.suggestions] == ["f-2"]
    release.set()


def _event(text: str, final: bool, source: str = "prospect") -> LaneEvent:
    return LaneEvent(Utterance("u", source, text, 0, 1), final)  # type: ignore[arg-type]


def test_the_lane_skips_an_interim_that_a_later_event_of_its_source_overtook() -> None:
    seen: list[str] = []
    gate = threading.Event()

    def handle(event: LaneEvent) -> None:
        gate.wait(5)
        seen.append(event.utterance.text)

    lane = CoachLane(handle)
    lane.submit(_event("first final", True))  # the drain task waits on the gate
    lane.submit(_event("an interim", False))
    lane.submit(_event("a rep interim", False, source="rep"))
    lane.submit(_event("its final", True))
    gate.set()
    assert lane.wait_idle(5) == []
    assert seen == ["first final", "a rep interim", "its final"]


def test_a_closed_lane_takes_no_more_events() -> None:
    seen: list[str] = []
    lane = CoachLane(lambda e: seen.append(e.utterance.text))
    assert lane.close(1) == []
    lane.submit(_event("late", True))
    assert lane.wait_idle(1) == [] and seen == []


def test_a_closed_coach_with_its_lane_is_freed_by_reference_counting() -> None:
    import gc
    import weakref

    coach, _sink = lane_coach(FakePump())
    coach.on_final(utt(PARAPHRASE, 0, 3, uid="f-1"))
    coach.summary()
    coach.close()
    ref = weakref.ref(coach)
    gc.disable()  # the coach, its lane and its metrics push hold no cycle through the coach
    try:
        del coach
        assert ref() is None
    finally:
        gc.enable()
