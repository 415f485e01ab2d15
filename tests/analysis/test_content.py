"""Analysis content without an LLM: metrics, extractive summary, rule-based scorecard."""

from __future__ import annotations

from app.extensions import db
from app.models import Suggestion, Utterance
from app.services.analysis import content, rules
from app.services.analysis.rubric import DEFAULT_RUBRIC
from app.services.analysis.transcript import lines_of
from tests.analysis.helpers import seed_call


def _offline(call):
    utterances = db.session.query(Utterance).filter_by(call_id=call.id).order_by("start_ms").all()
    suggestions = db.session.query(Suggestion).filter_by(call_id=call.id).all()
    return content.offline_results(call, utterances, suggestions, DEFAULT_RUBRIC)


def test_metrics_match_hand_computed_values(app, tokens):
    call = seed_call(tokens.user()["user"])
    metrics = _offline(call)["metrics"]
    # 5 rep and 4 prospect utterances of 2.5 s each
    assert metrics["rep_talk_s"] == 12.5 and metrics["prospect_talk_s"] == 10.0
    assert metrics["talk_ratio"] == round(12.5 / 22.5, 3)
    assert metrics["rep_questions"] == 5 and metrics["prospect_questions"] == 0
    assert metrics["filler_words"] == 3  # um, basically, you know
    assert metrics["longest_monologue_s"] == 5.5  # the last two rep turns, back to back
    assert metrics["objections"] == [{"type": "objection-price", "count": 1, "used": 1}]
    assert (metrics["suggestions_shown"], metrics["suggestions_used"]) == (2, 1)
    assert metrics["suggestions_dismissed"] == 1
    assert metrics["checklist_coverage"] == 0.75 and len(metrics["checklist"]) == 4
    assert metrics["rep_wpm"] == round(metrics["rep_words"] * 60 / 12.5)


def test_extractive_summary_keeps_the_business_sentences_in_call_order(app, tokens):
    results = _offline(seed_call(tokens.user()["user"]))
    assert results["engine"] == "extractive"
    summary_lines = results["summary"].splitlines()
    assert 1 <= len(summary_lines) <= 4
    assert any("price is too high" in line for line in summary_lines)
    assert summary_lines[0].startswith("[00:")
    assert [m["at_ms"] for m in results["key_moments"]] == sorted(
        m["at_ms"] for m in results["key_moments"]
    )


def test_commitments_become_action_items_and_scheduling_a_next_step(app, tokens):
    results = _offline(seed_call(tokens.user()["user"]))
    assert [(i["text"], i["owner"]) for i in results["action_items"]] == [
        ("I'll send you the ROI summary today.", "rep")
    ]
    assert results["next_steps"][-1]["text"] == "Can we schedule a demo next Tuesday?"
    assert results["next_steps"][-1]["at"] == "00:21"


def test_rule_based_scorecard_scores_every_criterion_with_evidence(app, tokens):
    results = _offline(seed_call(tokens.user()["user"]))
    scores = {c["criterion"]: c["score"] for c in results["scorecard"]}
    assert scores == {
        "discovery": 4,  # five questions
        "objection_handling": 5,  # the price objection got a question back
        "next_step": 5,  # a demo proposed at the end and accepted
        "talk_ratio": 5,  # 56 %
        "rapport": 4,  # prospect warm and talkative, but asked nothing
    }
    next_step = next(c for c in results["scorecard"] if c["criterion"] == "next_step")
    assert next_step["evidence"][0]["quote"] == "Can we schedule a demo next Tuesday?"
    assert next_step["evidence"][0]["at_ms"] == 21000


def test_a_silent_call_scores_low_and_summarises_to_nothing(app, tokens):
    from tests.factories import make_call

    call = make_call(tokens.user()["user"])
    results = _offline(call)
    assert results["summary"] == "" and results["action_items"] == []
    scores = {c["criterion"]: c["score"] for c in results["scorecard"]}
    assert scores["discovery"] == 1 and scores["talk_ratio"] == 1 and scores["next_step"] == 1
    assert results["metrics"]["checklist_coverage"] is None


def test_unknown_rubric_criteria_get_a_neutral_score():
    from app.services.analysis.rubric import Criterion

    cards = rules.scorecard([Criterion("empathy", "Empathy", "")], [], {}, [])
    assert cards[0]["score"] == 3 and cards[0]["criterion"] == "empathy"


def test_lines_skip_blank_utterances(app, tokens):
    call = seed_call(tokens.user()["user"])
    db.session.add(Utterance(call_id=call.id, source="rep", text="  ", start_ms=99000, end_ms=1))
    db.session.commit()
    assert len(lines_of(call.utterances)) == 9
