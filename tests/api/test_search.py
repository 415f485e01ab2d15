"""Full-text search through GET /api/v1/calls?q= (runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, select, text

from app.extensions import db
from app.models import Call, User
from app.models.base import utcnow
from app.services.search import fts5_query, parse_query, ranked, search_snippets
from tests.factories import make_call
from tests.helpers import auth_header, make_app


def _search(client, token, q, **params):
    response = client.get(
        "/api/v1/calls", query_string={"q": q, **params}, headers=auth_header(token)
    )
    assert response.status_code == 200, response.json
    return response.json


def _ids(body):
    return [item["id"] for item in body["items"]]


@pytest.fixture
def coach(tokens):
    return tokens.user(role="coach")


def _ago(days: float):
    return utcnow() - timedelta(days=days)


def test_a_call_is_found_by_a_word_said_in_it_including_other_word_forms(client, coach):
    said = make_call(coach["user"], texts=[("prospect", "We are comparing vendors on pricing")])
    make_call(coach["user"], texts=[("rep", "Thanks for joining today")])
    assert _ids(_search(client, coach["token"], "pricing")) == [said.id]
    assert _ids(_search(client, coach["token"], "price")) == [said.id]  # stemmed
    assert _ids(_search(client, coach["token"], "VENDOR")) == [said.id]


def test_a_term_from_another_teams_call_finds_nothing(client, tokens, coach):
    other = tokens.user(role="admin")
    make_call(other["user"], title="Acquisition", texts=[("prospect", "confidential merger talk")])
    for q in ("merger", "acquisition", "confidential OR merger"):
        assert _search(client, coach["token"], q)["total"] == 0
    assert _search(client, other["token"], "merger")["total"] == 1


@pytest.mark.postgres_only
def test_postgres_indexes_each_utterance_under_its_calls_team(client, tokens, coach):
    other = tokens.user(role="admin")
    mine = make_call(coach["user"], texts=[("prospect", "pricing matters to us")])
    theirs = make_call(other["user"], texts=[("prospect", "pricing matters to us too")])
    rows = db.session.execute(
        text("SELECT call_id, search_team_id FROM utterances ORDER BY call_id")
    ).all()
    assert {(r.call_id, r.search_team_id) for r in rows} == {
        (mine.id, mine.team_id),
        (theirs.id, theirs.team_id),
    }
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = db.session.execute(
        text(
            "EXPLAIN SELECT call_id FROM utterances WHERE search_team_id = :t "
            "AND search_vector @@ websearch_to_tsquery('english', 'pricing')"
        ),
        {"t": mine.team_id},
    ).scalars()
    assert "ix_utterances_team_search" in "\n".join(plan)
    db.session.rollback()


def test_a_rep_finds_only_their_own_calls_within_the_team(client, tokens, coach):
    team = db.session.get(User, coach["id"]).team
    rep = tokens.user(role="rep", team=team)
    mine = make_call(rep["user"], texts=[("rep", "the budget question")])
    make_call(coach["user"], texts=[("rep", "the budget question")])
    assert _ids(_search(client, rep["token"], "budget")) == [mine.id]
    assert _search(client, coach["token"], "budget")["total"] == 2


def test_results_rank_by_relevance_then_recency(client, coach):
    filler = "we talked about the weather and the weekend and many other unrelated things " * 3
    weak = make_call(coach["user"], started_at=_ago(1), texts=[("rep", filler + "renewal")])
    strong = make_call(
        coach["user"],
        title="Renewal review",
        started_at=_ago(5),
        texts=[("prospect", "The renewal, the renewal terms")],
    )
    older_twin = make_call(coach["user"], started_at=_ago(9), texts=[("rep", "discount")])
    newer_twin = make_call(coach["user"], started_at=_ago(8), texts=[("rep", "discount")])
    assert _ids(_search(client, coach["token"], "renewal")) == [strong.id, weak.id]
    assert _ids(_search(client, coach["token"], "discount")) == [newer_twin.id, older_twin.id]


def test_ranked_results_page_and_count_correctly(client, coach):
    for day in range(5):
        make_call(coach["user"], started_at=_ago(day + 1), texts=[("rep", "integration")])
    first = _search(client, coach["token"], "integration", per_page=2, page=1)
    last = _search(client, coach["token"], "integration", per_page=2, page=3)
    assert first["total"] == last["total"] == 5
    assert len(first["items"]) == 2 and len(last["items"]) == 1
    beyond = _search(client, coach["token"], "integration", per_page=2, page=4)
    assert beyond["items"] == [] and beyond["total"] == 5
    assert _search(client, coach["token"], "nowhere")["total"] == 0


def test_snippets_mark_the_matches_in_the_best_utterance_or_the_title(client, coach):
    said = make_call(
        coach["user"],
        texts=[("rep", "hello there"), ("prospect", "Honestly the contract length worries us")],
    )
    titled = make_call(coach["user"], title="Contract negotiation with Initech")
    items = {i["id"]: i for i in _search(client, coach["token"], "contract")["items"]}
    assert "«contract»" in items[said.id]["snippet"].lower()
    assert "worries" in items[said.id]["snippet"]
    assert items[titled.id]["snippet"] == "«Contract» negotiation with Initech"


def test_each_snippet_comes_from_its_own_calls_utterances(client, tokens, coach):
    other = tokens.user(role="admin")
    make_call(other["user"], texts=[("rep", "renewal renewal renewal from another team")])
    first = make_call(coach["user"], texts=[("rep", "March renewal date confirmed")])
    second = make_call(
        coach["user"], texts=[("rep", "nothing here"), ("prospect", "renewal pricing looks high")]
    )
    body = _search(client, coach["token"], "renewal", per_page=1)
    assert body["total"] == 2 and len(body["items"]) == 1
    snippets = {i["id"]: i["snippet"] for i in _search(client, coach["token"], "renewal")["items"]}
    assert snippets == {
        first.id: "March «renewal» date confirmed",
        second.id: "«renewal» pricing looks high",
    }


def test_phrases_or_and_exclusions_follow_web_search_syntax(client, coach):
    both = make_call(coach["user"], texts=[("prospect", "send the security review today")])
    one = make_call(coach["user"], texts=[("prospect", "security questionnaire first")])
    h = coach["token"]
    assert _ids(_search(client, h, '"security review"')) == [both.id]
    assert set(_ids(_search(client, h, "review OR questionnaire"))) == {both.id, one.id}
    assert _ids(_search(client, h, "security -review")) == [one.id]
    assert _search(client, h, "-security")["total"] == 0


@pytest.mark.parametrize("q", ['"unbalanced', "NEAR(a b)", "a:b", "*", "AND", "()", "'; drop"])
def test_query_syntax_characters_never_cause_errors(client, coach, q):
    make_call(coach["user"], texts=[("rep", "a b c")])
    assert isinstance(_search(client, coach["token"], q)["total"], int)


def test_the_index_follows_renamed_and_deleted_calls(client, coach):
    call = make_call(coach["user"], title="Kickoff", texts=[("rep", "kickoff agenda")])
    h = auth_header(coach["token"])
    client.patch(f"/api/v1/calls/{call.id}", json={"title": "Quarterly review"}, headers=h)
    assert _ids(_search(client, coach["token"], "quarterly")) == [call.id]
    assert _search(client, coach["token"], "kickoff")["items"][0]["snippet"] == "«kickoff» agenda"
    assert client.delete(f"/api/v1/calls/{call.id}", headers=h).status_code == 204
    assert _search(client, coach["token"], "agenda")["total"] == 0


def test_parsed_queries_quote_every_term_for_fts5():
    parsed = parse_query('price OR cost "next step" -legal NEAR')
    assert parsed.groups == [["price", "cost"], ["next step"], ["NEAR"]]
    assert fts5_query(parsed) == (
        'text : ((("price" OR "cost") AND ("next step") AND ("NEAR")) NOT ("legal"))'
    )
    assert fts5_query(parse_query("a"), "title", "t1") == 'team_id : "t1" AND title : (("a"))'
    assert parse_query("-only -negative").empty


def _fresh_url(tmp_path) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS search_migration CASCADE"))
            conn.execute(text("CREATE SCHEMA search_migration"))
        engine.dispose()
        return url + ("&" if "?" in url else "?") + "options=-csearch_path%3Dsearch_migration"
    return f"sqlite:///{tmp_path / 'search-migrated.db'}"


_ROWS = (
    "INSERT INTO teams (id, name, toolkit_version, created_at) VALUES ('t1', 'T', 1, :now)",
    "INSERT INTO users (id, team_id, email, name, role, password_hash, active, created_at) "
    "VALUES ('u1', 't1', 'm@x.test', 'M', 'admin', 'x', true, :now)",
    "INSERT INTO calls (id, team_id, user_id, title, state, transcriber, coach, started_at, "
    "last_activity_at) VALUES ('c1', 't1', 'u1', 'Old call', 'ended', 'local', 'playbook', "
    ":now, :now)",
    "INSERT INTO utterances (id, call_id, source, text, start_ms, end_ms, confidence, "
    "created_at) VALUES ('x1', 'c1', 'prospect', 'procurement needs a quote', 0, 900, 1, :now)",
)


def test_the_migration_indexes_existing_rows_and_search_works_after_it(tmp_path):
    app = make_app(_fresh_url(tmp_path))
    with app.app_context():
        upgrade(revision="26dfafbd3a8d")
        for statement in _ROWS:
            db.session.execute(text(statement), {"now": utcnow()})
        db.session.commit()
        upgrade()
        found = db.session.scalars(ranked(select(Call.id), "t1", "procurement")).all()
        assert found == ["c1"]
        assert search_snippets(["c1"], "procurement") == {"c1": "«procurement» needs a quote"}
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()


def test_reindex_command_rebuilds_the_index_from_the_stored_calls(app, client, coach):
    call = make_call(coach["user"], texts=[("rep", "onboarding plan")])
    if db.engine.dialect.name == "sqlite":  # lose the index (PostgreSQL's cannot drift)
        db.session.execute(text("DELETE FROM utterances_fts"))
        db.session.commit()
        assert _search(client, coach["token"], "onboarding")["total"] == 0
    result = app.test_cli_runner().invoke(args=["calls", "reindex-search"])
    assert result.exit_code == 0, result.output
    assert _ids(_search(client, coach["token"], "onboarding")) == [call.id]
