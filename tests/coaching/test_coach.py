import threading
from collections.abc import Sequence

from app.events import Source
from app.services.coaching.base import CallContext, ToolkitItem, Utterance
from app.services.coaching.coach import CoachSettings, LiveCallCoach, LlmHook
from app.services.coaching.nudges import NudgeSettings
from app.services.coaching.toolkit_data import default_toolkit_items

from .helpers import FakeClock, ManualScheduler, RecordingSink, utt

PRICE = "I think your price is too expensive for us"


def make_coach(
    llm: LlmHook | None = None, settings: CoachSettings | None = None
) -> tuple[LiveCallCoach, RecordingSink, FakeClock, ManualScheduler]:
    sink, clock, scheduler = RecordingSink(), FakeClock(), ManualScheduler()
    context = CallContext("call-1", "team-1", None, default_toolkit_items())
    coach = LiveCallCoach(
        context,
        sink,
        llm=llm,
        settings=settings,
        clock=clock,
        schedule=scheduler,
    )
    return coach, sink, clock, scheduler


class RaisingLlm:
    def __init__(self) -> None:
        self.calls = 0

    def on_final(self, utterance: Utterance, matched: Sequence[ToolkitItem]) -> None:
        self.calls += 1
        raise RuntimeError("boom")

    def close(self) -> None:
        raise RuntimeError("boom")


class RecordingLlm:
    def __init__(self, sink: RecordingSink) -> None:
        self.sink = sink
        self.seen: list[tuple[str, list[str], int]] = []
        self.closed = False

    def on_final(self, utterance: Utterance, matched: Sequence[ToolkitItem]) -> None:
        self.seen.append(
            (utterance.utterance_id, [m.name for m in matched], len(self.sink.suggestions))
        )

    def close(self) -> None:
        self.closed = True


def test_price_objection_emits_a_playbook_card_at_once() -> None:
    coach, sink, clock, _ = make_coach()
    coach.on_final(utt(PRICE, 0, 3, "prospect", uid="u1", received_at=clock.now - 0.012))
    [card] = sink.suggestions
    assert (card.call_id, card.kind, card.origin, card.status) == (
        "call-1",
        "objection",
        "playbook",
        "final",
    )
    assert card.entry_id == "default:objection-price"
    assert card.trigger_utterance_id == "u1"
    assert card.latency_ms == 12
    assert len(card.suggestion_id) == 32
    assert card.body and card.title


def test_metrics_are_pushed_at_most_once_per_second_with_a_deferred_update() -> None:
    coach, sink, clock, scheduler = make_coach()
    coach.on_final(utt("Hello there", 0, 1, "rep"))
    assert len(sink.metrics_payloads) == 1
    clock.advance(0.3)
    coach.on_final(utt("How are you doing today?", 1, 3, "rep"))
    assert len(sink.metrics_payloads) == 1
    assert [round(delay, 3) for delay, _ in scheduler.pending] == [0.7]
    clock.advance(0.7)
    scheduler.run_all()
    assert len(sink.metrics_payloads) == 2
    assert sink.metrics_payloads[-1]["questions_asked"] == 1


def test_metrics_payload_carries_call_id_stage_and_checklist() -> None:
    coach, sink, _, _ = make_coach()
    coach.on_final(utt("What budget have you set aside?", 0, 3, "rep"))
    payload = sink.metrics_payloads[-1]
    assert payload["call_id"] == "call-1"
    assert payload["stage"] == "discovery"
    assert {"name": "budget", "title": "Budget", "done": True} in payload["checklist"]
    for key in ("talk_ratio", "rep_wpm", "longest_monologue_s", "questions_asked", "filler_words"):
        assert key in payload


def test_close_pushes_final_metrics_and_nothing_is_emitted_afterwards() -> None:
    coach, sink, _clock, scheduler = make_coach()
    coach.on_final(utt("Hello", 0, 1, "rep"))
    coach.on_final(utt("How are you?", 1, 2, "rep"))  # throttled: deferred push pending
    coach.close()
    count = len(sink.metrics_payloads)
    assert count == 2
    scheduler.run_all()
    coach.on_final(utt(PRICE, 3, 5, "prospect"))
    coach.close()
    assert len(sink.metrics_payloads) == count
    assert sink.suggestions == []


def test_llm_that_raises_does_not_break_the_playbook() -> None:
    llm = RaisingLlm()
    coach, sink, _, _ = make_coach(llm=llm)
    coach.on_final(utt(PRICE, 0, 3, "prospect"))
    coach.on_final(utt("Sounds too expensive again", 70, 73, "prospect"))
    assert llm.calls == 2
    assert len(sink.suggestions) == 2
    assert len(sink.metrics_payloads) >= 1
    assert sink.degraded_reasons == ["llm_coach_error"]
    coach.close()  # a raising llm.close() does not escape


def test_llm_is_called_after_the_cards_with_the_matched_entries() -> None:
    sink = RecordingSink()
    llm = RecordingLlm(sink)
    context = CallContext("call-1", "team-1", None, default_toolkit_items())
    coach = LiveCallCoach(context, sink, llm=llm, clock=FakeClock(), schedule=ManualScheduler())
    coach.on_final(utt(PRICE, 0, 3, "prospect", uid="u1"))
    assert llm.seen == [("u1", ["objection-price"], 1)]
    coach.close()
    assert llm.closed


def test_monologue_nudge_reaches_the_sink() -> None:
    settings = CoachSettings(nudges=NudgeSettings(monologue_max_s=10))
    coach, sink, _, _ = make_coach(settings=settings)
    coach.on_final(utt("we do this and that and more", 0, 11, "rep"))
    assert [(n.call_id, n.kind) for n in sink.nudges] == [("call-1", "monologue")]


def test_summary_holds_stage_history_checklist_and_counts() -> None:
    coach, _, _, _ = make_coach()
    coach.on_final(utt("What budget have you set aside?", 0, 3, "rep", uid="u1"))
    coach.on_final(utt(PRICE, 4, 6, "prospect", uid="u2"))
    summary = coach.summary()
    assert [s["stage"] for s in summary["stage_history"]] == ["discovery", "objection_handling"]
    budget = next(row for row in summary["checklist"] if row["name"] == "budget")
    assert budget["utterance_id"] == "u1"
    assert summary["cards_by_entry"] == {"default:objection-price": 1}
    assert summary["metrics"]["questions_asked"] == 1


def test_cards_per_utterance_are_capped() -> None:
    coach, sink, _, _ = make_coach(settings=CoachSettings(max_cards_per_utterance=1))
    coach.on_final(utt("That makes sense, what are the next steps?", 0, 3, "prospect"))
    assert len(sink.suggestions) == 1


def test_concurrent_finals_from_both_sources_are_all_processed() -> None:
    coach, sink, _, _ = make_coach(settings=CoachSettings(metrics_interval_s=0))

    def feed(source: Source) -> None:
        for i in range(100):
            coach.on_final(
                utt(
                    "too expensive" if source == "prospect" else "ok",
                    i,
                    i + 0.5,
                    source,
                    uid=f"{source}-{i}",
                )
            )

    sources: tuple[Source, ...] = ("rep", "prospect")
    threads = [threading.Thread(target=feed, args=(s,)) for s in sources]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert not any(thread.is_alive() for thread in threads)
    snap = coach.summary()["metrics"]
    assert snap["rep_words"] == 100
    assert snap["prospect_words"] == 200
    assert len(sink.suggestions) == 3  # price cooldown 20 s (at 0, 20, 40 s), then max 3 per call


def test_default_scheduler_delivers_the_deferred_metrics_push() -> None:
    sink = RecordingSink()
    context = CallContext("call-1", "team-1", None, default_toolkit_items())
    coach = LiveCallCoach(context, sink, settings=CoachSettings(metrics_interval_s=0.05))
    coach.on_final(utt("Hello", 0, 1, "rep"))
    coach.on_final(utt("How are you?", 1, 2, "rep"))
    done = threading.Event()
    for _ in range(200):  # bounded: at most ~2 s
        if len(sink.metrics_payloads) >= 2:
            done.set()
            break
        threading.Event().wait(0.01)
    coach.close()
    assert done.is_set()
    assert sink.metrics_payloads[1]["questions_asked"] == 1


def test_utterance_without_words_is_harmless() -> None:
    coach, sink, _, _ = make_coach()
    coach.on_final(utt("...", 0, 1, "prospect"))
    coach.on_final(utt("", 1, 1, "rep"))
    assert sink.suggestions == []
    assert sink.metrics_payloads[-1]["rep_words"] == 0
    assert sink.metrics_payloads[-1]["prospect_words"] == 0
