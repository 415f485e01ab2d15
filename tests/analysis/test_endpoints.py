"""GET / POST (re-run) / PATCH scores of /api/v1/calls/{id}/analysis, with team scoping."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Team
from app.services.analysis import store
from tests.analysis.helpers import analysis_row, run_jobs, seed_call
from tests.factories import make_call
from tests.helpers import auth_header


@pytest.fixture
def team(app):
    team = Team(name="Sellers")
    db.session.add(team)
    db.session.commit()
    return team


@pytest.fixture
def people(tokens, team):
    return {role: tokens.user(role, team=team) for role in ("rep", "coach")}


def _url(call_id: str, tail: str = "") -> str:
    return f"/api/v1/calls/{call_id}/analysis{tail}"


def _analysed_call(people, jobs):
    call = seed_call(people["rep"]["user"])
    jobs.on_call_ended(call.id)
    run_jobs()
    return call


def test_an_unanalysed_call_says_not_started(client, people):
    call = make_call(people["rep"]["user"])
    body = client.get(_url(call.id), headers=auth_header(people["rep"]["token"])).json
    assert body["status"] == "not_started" and body["overrides"] == {}


def test_a_finished_analysis_shows_status_results_and_scores(client, people, jobs):
    call = _analysed_call(people, jobs)
    response = client.get(_url(call.id), headers=auth_header(people["coach"]["token"]))
    body = response.json
    assert response.status_code == 200 and body["status"] == "done"
    assert body["engine"] == "extractive" and body["summary"]
    assert body["metrics"]["checklist_coverage"] == 0.75
    assert {c["criterion"] for c in body["scorecard"]} == set(body["scores"])
    assert body["action_items"][0]["owner"] == "rep"


def test_rerun_answers_202_pending_then_completes(client, people, jobs):
    call = _analysed_call(people, jobs)
    response = client.post(_url(call.id), headers=auth_header(people["rep"]["token"]))
    assert response.status_code == 202 and response.json["status"] == "pending"
    run_jobs()
    row = analysis_row(call.id)
    assert row.status == "done" and row.attempts == 1


def test_rerun_of_a_never_analysed_call_creates_the_job(client, people, jobs):
    call = seed_call(people["rep"]["user"])
    response = client.post(_url(call.id), headers=auth_header(people["coach"]["token"]))
    assert response.status_code == 202
    assert run_jobs() == [call.id]


def test_rerun_is_refused_while_a_run_holds_the_lease(client, people):
    call = seed_call(people["rep"]["user"])
    store.ensure_pending(call.id)
    store.claim(call.id, "busy-worker", 60)
    response = client.post(_url(call.id), headers=auth_header(people["coach"]["token"]))
    assert response.status_code == 409 and response.json["error"]["code"] == "analysis_running"


def test_rerun_of_a_live_call_is_refused(client, people):
    call = make_call(people["rep"]["user"], state="live", ended_at=None)
    response = client.post(_url(call.id), headers=auth_header(people["rep"]["token"]))
    assert response.status_code == 409 and response.json["error"]["code"] == "call_not_ended"


def test_a_coach_override_is_stored_next_to_the_ai_score(client, people, jobs):
    call = _analysed_call(people, jobs)
    headers = auth_header(people["coach"]["token"])
    response = client.patch(_url(call.id, "/scores"), json={"rapport": 2}, headers=headers)
    body = response.json
    assert response.status_code == 200
    assert body["overrides"]["rapport"]["score"] == 2
    assert body["overrides"]["rapport"]["by"] == people["coach"]["id"]
    assert body["scores"]["rapport"] == 2
    ai = next(c for c in body["scorecard"] if c["criterion"] == "rapport")
    assert ai["score"] == 4  # the AI's score is kept
    cleared = client.patch(_url(call.id, "/scores"), json={"rapport": None}, headers=headers)
    assert cleared.json["overrides"] == {} and cleared.json["scores"]["rapport"] == 4


def test_overrides_survive_a_rerun(client, people, jobs):
    call = _analysed_call(people, jobs)
    headers = auth_header(people["coach"]["token"])
    client.patch(_url(call.id, "/scores"), json={"discovery": 1}, headers=headers)
    client.post(_url(call.id), headers=headers)
    run_jobs()
    assert client.get(_url(call.id), headers=headers).json["scores"]["discovery"] == 1


@pytest.mark.parametrize(
    "body",
    [{"rapport": 6}, {"rapport": 0}, {"rapport": "high"}, {"rapport": 2.5}, {"charm": 3}, {}],
)
def test_invalid_overrides_are_refused(client, people, jobs, body):
    call = _analysed_call(people, jobs)
    response = client.patch(
        _url(call.id, "/scores"), json=body, headers=auth_header(people["coach"]["token"])
    )
    assert response.status_code == 422 and response.json["error"]["code"] == "validation_error"


def test_a_rep_cannot_override_scores(client, people, jobs):
    call = _analysed_call(people, jobs)
    response = client.patch(
        _url(call.id, "/scores"), json={"rapport": 5}, headers=auth_header(people["rep"]["token"])
    )
    assert response.status_code == 403


def test_overriding_before_any_analysis_is_not_found(client, people):
    call = make_call(people["rep"]["user"])
    response = client.patch(
        _url(call.id, "/scores"), json={"rapport": 5}, headers=auth_header(people["coach"]["token"])
    )
    assert response.status_code == 404 and response.json["error"]["code"] == "analysis_not_found"


def test_another_teams_call_is_not_found_for_every_method(client, people, tokens, jobs):
    call = _analysed_call(people, jobs)
    outsider = auth_header(tokens.user("admin")["token"])
    answers = [
        client.get(_url(call.id), headers=outsider),
        client.post(_url(call.id), headers=outsider),
        client.patch(_url(call.id, "/scores"), json={"rapport": 1}, headers=outsider),
    ]
    assert [r.status_code for r in answers] == [404, 404, 404]
    assert {r.json["error"]["code"] for r in answers} == {"call_not_found"}
    assert analysis_row(call.id).overrides is None


def test_a_rep_cannot_read_another_reps_analysis(client, people, tokens, team, jobs):
    call = _analysed_call(people, jobs)
    other_rep = tokens.user("rep", team=team)
    response = client.get(_url(call.id), headers=auth_header(other_rep["token"]))
    assert response.status_code == 404


def test_the_analysis_needs_a_token(client, people):
    call = make_call(people["rep"]["user"])
    assert client.get(_url(call.id)).status_code == 401
