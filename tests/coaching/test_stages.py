import pytest

from app.events import Source
from app.services.coaching.stages import StageSettings, StageTracker
from app.services.coaching.text import normalize

from .helpers import item, utt

TOOLKIT = [
    item("price", ["too expensive"], kind="objection"),
    item("pain", ["struggling with"], kind="discovery"),
    item("ready", ["let's do it"], kind="closing"),
    item("budget", ["budget"], kind="checklist"),
]


def observe(
    tracker: StageTracker, text: str, start: float, end: float, source: Source, uid: str
) -> str:
    utterance = utt(text, start, end, source, uid=uid)
    return tracker.observe(utterance, normalize(text))


def test_call_starts_in_opening_and_a_rep_question_moves_to_discovery() -> None:
    tracker = StageTracker(TOOLKIT)
    assert observe(tracker, "Hi, thanks for joining", 0, 2, "rep", "u1") == "opening"
    assert observe(tracker, "How is your team set up?", 3, 5, "rep", "u2") == "discovery"


def test_opening_gives_way_to_discovery_after_the_time_limit() -> None:
    tracker = StageTracker(TOOLKIT, StageSettings(opening_max_s=90))
    assert observe(tracker, "small talk", 0, 89, "rep", "u1") == "opening"
    assert observe(tracker, "more small talk", 89, 91, "rep", "u2") == "discovery"


def test_full_call_walks_through_every_stage_with_utterance_ranges() -> None:
    tracker = StageTracker(TOOLKIT)
    script: list[tuple[str, Source, str]] = [
        ("Hi there", "rep", "opening"),
        ("We are struggling with reporting", "prospect", "discovery"),
        ("Let me show you our platform", "rep", "pitch"),
        ("Honestly it sounds too expensive", "prospect", "objection_handling"),
        ("I hear you", "rep", "objection_handling"),
        ("Our customers see payback in a quarter", "rep", "pitch"),
        ("OK, let's do it", "prospect", "close"),
    ]
    for n, (text, source, expected) in enumerate(script):
        assert observe(tracker, text, n * 10, n * 10 + 5, source, f"u{n}") == expected
    assert [(s.stage, s.from_utterance_id, s.to_utterance_id) for s in tracker.history] == [
        ("opening", "u0", "u0"),
        ("discovery", "u1", "u1"),
        ("pitch", "u2", "u2"),
        ("objection_handling", "u3", "u4"),
        ("pitch", "u5", "u5"),
        ("close", "u6", "u6"),
    ]


def test_objection_handling_ends_after_the_hold_time_without_signals() -> None:
    tracker = StageTracker(TOOLKIT, StageSettings(objection_hold_s=60))
    observe(tracker, "Let me show you our platform", 0, 5, "rep", "u1")
    observe(tracker, "too expensive", 100, 102, "prospect", "u2")
    assert observe(tracker, "hmm okay", 130, 161, "prospect", "u3") == "objection_handling"
    assert observe(tracker, "right", 161, 162, "prospect", "u4") == "pitch"


def test_main_stages_do_not_move_backwards() -> None:
    tracker = StageTracker(TOOLKIT)
    observe(tracker, "Let me show you our platform", 0, 5, "rep", "u1")
    assert observe(tracker, "Does that make sense?", 6, 8, "rep", "u2") == "pitch"


def test_objection_from_the_rep_does_not_count() -> None:
    tracker = StageTracker(TOOLKIT)
    assert observe(tracker, "some say it is too expensive", 0, 3, "rep", "u1") == "opening"


def test_llm_can_set_the_stage_and_it_is_recorded_as_such() -> None:
    tracker = StageTracker(TOOLKIT)
    tracker.set_stage("pitch", utt("anything", 0, 2, "rep", uid="u1"))
    assert tracker.current == "pitch"
    assert tracker.history_dicts()[-1]["source"] == "llm"
    with pytest.raises(ValueError):
        tracker.set_stage("negotiation", utt("x", 3, 4, "rep", uid="u2"))
