"""Playbook guidance: the brief, stage changes, objection focus, objectives ticked by phrase."""

from __future__ import annotations

from dataclasses import replace

from app.services.coaching.base import CallContext, CallSetup
from app.services.coaching.coach import LiveCallCoach
from app.services.coaching.guidance import GuidanceTracker, PhraseObjectiveDetector
from app.services.coaching.toolkit_data import default_stage_items, default_toolkit_items

from .helpers import FakeClock, ManualScheduler, RecordingSink, utt


def _context(**setup: str) -> CallContext:
    return CallContext(
        call_id="call-1",
        team_id="team-1",
        goal="Book a demo with the sales lead",
        toolkit=default_toolkit_items(),
        setup=CallSetup(**setup),
        stages=default_stage_items(),
    )


def _coach(context: CallContext | None = None) -> tuple[LiveCallCoach, RecordingSink]:
    sink = RecordingSink()
    coach = LiveCallCoach(
        context or _context(), sink, clock=FakeClock(), schedule=ManualScheduler()
    )
    return coach, sink


def test_the_brief_has_a_focus_key_questions_with_alternatives_and_the_stage_objectives():
    coach, sink = _coach(_context(prospect_name="Dana Reyes", prospect_company="Acme"))
    brief = coach.start()
    assert sink.guidance_payloads == [brief]
    assert brief["stage"] == "opening" and brief["origin"] == "playbook"
    assert brief["status"] == "final" and brief["time_in_stage_s"] == 0
    assert brief["focus"]["what"] and brief["focus"]["urgency"] in ("low", "medium", "high")
    assert len(brief["key_questions"]) >= 3
    assert all(len(q["alternatives"]) >= 2 and q["context"] for q in brief["key_questions"])
    assert brief["objectives"] and not any(o["done"] for o in brief["objectives"])
    assert all(o["id"].startswith("opening:") for o in brief["objectives"])
    points = " ".join(brief["talking_points"])
    assert "Book a demo with the sales lead" in points and "Dana Reyes, Acme" in points


def test_an_objection_sends_new_guidance_whose_focus_handles_that_objection():
    coach, sink = _coach()
    brief = coach.start()
    coach.on_final(utt("I think your price is too expensive for us", 3, 5))
    latest = sink.guidance_payloads[-1]
    assert latest["stage"] == "objection_handling"
    assert latest["focus"] != brief["focus"]
    assert "Price objection" in latest["focus"]["what"] and latest["focus"]["urgency"] == "high"
    assert any("reframe on value" in p for p in latest["talking_points"])
    assert {o["id"] for o in latest["objectives"]} >= {"objection_handling:understand"}


def test_an_objective_is_ticked_when_the_conversation_covers_it_and_guidance_is_resent():
    coach, sink = _coach()
    coach.start()
    coach.on_final(utt("Hi, this is Sam calling from Northwind.", 1, 3, source="rep"))
    latest = sink.guidance_payloads[-1]
    done = {o["id"]: o["done"] for o in latest["objectives"]}
    assert done["opening:introduce"] is True and done["opening:agenda"] is False
    assert len(sink.guidance_payloads) == 2
    coach.on_final(utt("Fine thanks.", 3, 4))
    assert len(sink.guidance_payloads) == 2  # nothing changed: nothing sent


def test_a_stage_change_sends_the_new_stages_guidance_with_time_in_stage():
    coach, sink = _coach()
    coach.start()
    coach.on_final(utt("Walk me through how you handle onboarding today?", 10, 14, "rep"))
    latest = sink.guidance_payloads[-1]
    assert latest["stage"] == "discovery" and latest["time_in_stage_s"] == 4.0
    assert 0.5 < latest["stage_confidence"] <= 1
    assert {o["id"] for o in latest["objectives"] if o["done"]} == {"discovery:current-process"}
    assert coach.last_guidance == latest
    coach.on_final(utt("What is the biggest challenge with that?", 30, 33, "rep"))
    again = sink.guidance_payloads[-1]
    assert again["stage"] == "discovery" and again["time_in_stage_s"] == 23.0


def test_the_tracker_state_is_plain_data():
    tracker = GuidanceTracker(_context())
    assert tracker.state.to_dict() == {
        "done": {},
        "objection_entry": None,
        "overlay": None,
        "overlay_stage": None,
    }


def test_the_detector_can_be_replaced_without_changing_the_tracker():
    class Always:
        def covered(self, utterance, tokens):
            return {"opening:permission"}

    sink = RecordingSink()
    coach = LiveCallCoach(
        _context(), sink, clock=FakeClock(), schedule=ManualScheduler(), detector=Always()
    )
    coach.start()
    coach.on_final(utt("hello", 1, 2))
    done = {o["id"] for o in sink.guidance_payloads[-1]["objectives"] if o["done"]}
    assert done == {"opening:permission"}


def test_phrase_detector_matches_objective_triggers_of_every_stage():
    detector = PhraseObjectiveDetector(default_stage_items())
    from app.services.coaching.text import normalize

    text = "Who else is involved in the decision, and what is the next step?"
    covered = detector.covered(utt(text, 1, 2), normalize(text))
    assert {"discovery:decision", "close:next-step"} <= covered


def test_a_team_without_a_stage_gets_a_neutral_focus_and_no_objectives():
    context = replace(_context(), stages=())
    coach, _ = _coach(context)
    brief = coach.start()
    assert brief["focus"]["what"] and brief["objectives"] == [] and brief["key_questions"] == []


def test_guidance_state_moves_with_the_call_to_a_new_coach():
    coach, _ = _coach()
    coach.start()
    coach.on_final(utt("Hi, this is Sam calling from Northwind.", 1, 3, source="rep"))
    coach.on_final(utt("I think your price is too expensive for us", 4, 6))
    document = coach.snapshot()
    revived, sink = _coach()
    assert "guidance" in revived.restore(document)
    payload = revived.start()
    assert payload["stage"] == "objection_handling"
    assert "Price objection" in payload["focus"]["what"]
    assert revived.guidance.tracker.state.done == coach.guidance.tracker.state.done
    assert revived.last_guidance == payload and sink.guidance_payloads == [payload]
