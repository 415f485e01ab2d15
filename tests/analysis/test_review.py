"""The coaching review without a model: what worked, missed opportunities, tips, outcome."""

from __future__ import annotations

from app.extensions import db
from app.models import Suggestion, Utterance
from app.services.analysis import content
from app.services.analysis.rubric import DEFAULT_RUBRIC
from tests.analysis.helpers import seed_call
from tests.factories import make_call


def _review(call):
    utterances = db.session.query(Utterance).filter_by(call_id=call.id).order_by("start_ms").all()
    suggestions = db.session.query(Suggestion).filter_by(call_id=call.id).all()
    return content.offline_results(call, utterances, suggestions, DEFAULT_RUBRIC)["review"]


def test_the_rules_review_names_what_worked_what_was_missed_and_the_outcome(app, tokens):
    review = _review(seed_call(tokens.user()["user"]))
    assert review["origin"] == "rules"
    assert any("Budget" in w and "Pain" in w for w in review["what_worked"])
    missed = review["missed_opportunities"]
    assert {
        "moment": "Timeline never came up.",
        "instead": "Ask about timeline before you close.",
    } in missed
    assert all(m["moment"] and m["instead"] for m in missed)
    assert review["outcome"]["label"] == "follow_up"
    assert "Tuesday" in review["outcome"]["reason"] or "demo" in review["outcome"]["reason"]
    assert review["tips"]


def test_an_objection_answered_without_a_question_is_a_missed_opportunity(app, tokens):
    call = make_call(
        tokens.user()["user"],
        texts=[
            ("prospect", "This is too expensive for us."),
            ("rep", "Well it is the best product on the market."),
        ],
    )
    first = min(call.utterances, key=lambda u: u.start_ms)
    db.session.add(
        Suggestion(
            call_id=call.id,
            trigger_utterance_id=first.id,
            kind="objection",
            title="Price objection",
            body="Ask what they compare the price with.",
            origin="playbook",
        )
    )
    db.session.commit()
    missed = _review(call)["missed_opportunities"]
    assert missed[0]["instead"] == "Ask what they compare the price with."
    assert "too expensive" in missed[0]["moment"]


def test_a_declined_call_is_lost_and_the_reps_own_outcome_wins(app, tokens):
    user = tokens.user()["user"]
    declined = make_call(user, texts=[("prospect", "No thanks, we are not interested.")])
    assert _review(declined)["outcome"]["label"] == "lost"
    marked = make_call(user, texts=[("prospect", "No thanks.")], outcome="won")
    assert _review(marked)["outcome"] == {"label": "won", "reason": "Set by the rep."}


def test_a_rep_who_talks_most_of_the_time_gets_a_tip_about_it(app, tokens):
    call = make_call(
        tokens.user()["user"],
        texts=[("rep", "Let me tell you all about our platform and everything it does " * 3)],
    )
    tips = _review(call)["tips"]
    assert any("spoke 100% of the time" in t for t in tips)


def test_the_analysis_endpoint_returns_the_review(app, tokens, client):
    user = tokens.user()
    call = seed_call(user["user"])
    from app.container import get_services
    from tests.analysis.helpers import run_jobs

    get_services().analysis.on_call_ended(call.id)
    run_jobs()
    body = client.get(
        f"/api/v1/calls/{call.id}/analysis", headers={"Authorization": f"Bearer {user['token']}"}
    ).get_json()
    assert set(body["review"]) == {
        "what_worked",
        "missed_opportunities",
        "tips",
        "outcome",
        "origin",
    }
