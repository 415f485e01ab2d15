"""Coaching state that moves with a call: a coach restored from a snapshot (taken through
JSON, as the database stores it) continues exactly like a coach that never moved."""

from __future__ import annotations

import json

from app.services.coaching.base import Utterance
from app.services.coaching.context import TranscriptWindow

from .helpers import utt
from .test_coach import make_coach

SCRIPT = [
    ("rep", "Thanks for taking the time today, how is the quarter going?"),
    ("prospect", "Busy. Honestly the price is too expensive for us right now."),
    ("rep", "Understood. What is your timeline for a decision, and who else is involved?"),
    ("prospect", "My boss has the final say, we want to go live next quarter."),
    ("rep", "Um, so, basically our platform integrates with your CRM, let me show you."),
    ("prospect", "It still feels expensive, the price is a problem."),
    ("rep", "What would the budget look like if we started a pilot?"),
    ("prospect", "We could set aside some funding. Send over the proposal."),
]


def _utterances() -> list[Utterance]:
    return [
        utt(text, 6 * i, 6 * i + 5, source, uid=f"u{i}")  # type: ignore[arg-type]
        for i, (source, text) in enumerate(SCRIPT)
    ]


def _moved(document: dict) -> dict:
    return json.loads(json.dumps(document))  # what the JSON column gives back


def test_a_restored_coach_continues_exactly_like_one_that_never_moved() -> None:
    steady, steady_sink, _, _ = make_coach()
    first, _, _, _ = make_coach()
    second, second_sink, _, _ = make_coach()
    utterances = _utterances()
    for u in utterances:
        steady.on_final(u)
    for u in utterances[:4]:
        first.on_final(u)
    restored = second.restore(_moved(first.snapshot()))
    assert set(restored) == {
        "metrics",
        "stages",
        "checklist",
        "playbook",
        "nudges",
        "nudge_counts",
        "guidance",
    }
    for u in utterances[4:]:
        second.on_final(u)
    assert second.summary() == steady.summary()
    steady.close(), second.close()
    assert second_sink.metrics_payloads[-1] == steady_sink.metrics_payloads[-1]
    assert steady.summary()["metrics"]["questions_asked"] >= 2  # the script asks questions


def test_cooldowns_and_caps_move_with_the_call_so_a_card_is_not_repeated() -> None:
    first, first_sink, _, _ = make_coach()
    objection = "I think your price is too expensive for us"
    first.on_final(utt(objection, 0, 3, "prospect", uid="a"))
    assert first_sink.suggestions
    second, second_sink, _, _ = make_coach()
    second.restore(_moved(first.snapshot()))
    second.on_final(utt(objection, 5, 8, "prospect", uid="b"))  # inside the cooldown
    assert second_sink.suggestions == []
    fresh, fresh_sink, _, _ = make_coach()
    fresh.on_final(utt(objection, 5, 8, "prospect", uid="b"))
    assert fresh_sink.suggestions  # a coach starting from zero would repeat it


def test_a_component_whose_version_changed_starts_fresh_and_the_others_are_restored() -> None:
    first, _, _, _ = make_coach()
    for u in _utterances()[:3]:
        first.on_final(u)
    document = _moved(first.snapshot())
    document["components"]["checklist"]["v"] = 99  # written by another version
    second, _, _, _ = make_coach()
    restored = second.restore(document)
    assert "checklist" not in restored and "metrics" in restored
    assert not any(item["done"] for item in second.summary()["checklist"])
    assert second.summary()["metrics"] == first.summary()["metrics"]
    assert second.restore({"format": 0}) == []  # another document format: nothing restored


def test_the_llm_window_keeps_its_rolling_summary_and_recent_turns() -> None:
    window = TranscriptWindow(budget_tokens=120)
    for u in _utterances():
        window.add(u)
    window.render("Close the pilot", None)  # folds the oldest turns into the summary
    moved = TranscriptWindow(budget_tokens=120)
    moved.restore(_moved(window.snapshot()))
    assert moved.summary.counts == window.summary.counts and window.summary.counts["rep"]
    assert moved.render("Close the pilot", None) == window.render("Close the pilot", None)


def test_another_component_joins_the_snapshot_by_name() -> None:
    class MomentModel:
        STATE_VERSION = 1

        def __init__(self) -> None:
            self.seen = 0

        def snapshot(self) -> dict:
            return {"seen": self.seen}

        def restore(self, data: dict) -> None:
            self.seen = data["seen"]

    first, _, _, _ = make_coach()
    model = MomentModel()
    model.seen = 7
    first.add_component("moments", model)
    second, _, _, _ = make_coach()
    joined = MomentModel()
    second.add_component("moments", joined)
    assert "moments" in second.restore(_moved(first.snapshot())) and joined.seen == 7
