from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import yaml
from sqlalchemy import func, select

from app.extensions import db
from app.models import Call, Suggestion, Team, ToolkitEntry, User, Utterance
from app.models.base import utcnow
from tests.factories import make_call


def _run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_users_create_makes_a_team_with_the_default_toolkit(app):
    result = _run(
        app,
        "users",
        "create",
        "--email",
        "Boss@Acme.test",
        "--name",
        "Boss",
        "--role",
        "admin",
        "--team",
        "Acme",
        "--password",
        "long-enough-pw",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.email == "boss@acme.test" and user.role == "admin" and user.team.name == "Acme"
    assert _count(ToolkitEntry) > 0


def test_users_create_refuses_a_duplicate_email(app):
    args = ["users", "create", "--email", "a@b.test", "--name", "A", "--password", "long-enough-pw"]
    assert _run(app, *args).exit_code == 0
    result = _run(app, *args)
    assert result.exit_code != 0 and "exists" in result.output


def test_toolkit_export_then_import_round_trips(app, admin, tmp_path):
    exported = _run(app, "toolkit", "export")
    assert exported.exit_code == 0
    doc = yaml.safe_load(exported.output)
    doc["entries"][0]["title"] = "Edited title"
    path = tmp_path / "toolkit.yaml"
    path.write_text(yaml.safe_dump(doc))
    assert _run(app, "toolkit", "import", str(path)).exit_code == 0
    titles = db.session.scalars(select(ToolkitEntry.title)).all()
    assert "Edited title" in titles and len(titles) == len(doc["entries"])


def test_toolkit_import_rejects_an_invalid_file_and_changes_nothing(app, admin, tmp_path):
    before = _count(ToolkitEntry)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"entries": [{"kind": "nonsense", "name": "Bad Name"}]}))
    result = _run(app, "toolkit", "import", str(path))
    assert result.exit_code != 0 and "invalid entries" in result.output
    assert _count(ToolkitEntry) == before


def test_calls_export_writes_csv_and_json_since_a_date(app, tokens, tmp_path):
    rep = tokens.user()
    make_call(rep["user"], texts=[("rep", "Hello, Ann"), ("prospect", 'Hi, "quoted", text')])
    make_call(rep["user"], started_at=utcnow() - timedelta(days=30), texts=[("rep", "old")])
    since = (utcnow() - timedelta(days=1)).strftime("%Y-%m-%d")
    out = tmp_path / "calls.csv"
    assert (
        _run(
            app, "calls", "export", "--format", "csv", "--since", since, "--out", str(out)
        ).exit_code
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [r["text"] for r in rows] == ["Hello, Ann", 'Hi, "quoted", text']
    result = _run(app, "calls", "export", "--format", "json")
    assert len(json.loads(result.output)) == 2


def test_calls_prune_deletes_old_calls_with_all_their_rows(app, tokens):
    rep = tokens.user()
    old = make_call(rep["user"], started_at=utcnow() - timedelta(days=400), texts=[("rep", "x")])
    db.session.add(
        Suggestion(call_id=old.id, kind="objection", title="t", body="b", origin="playbook")
    )
    db.session.commit()
    recent = make_call(rep["user"], texts=[("rep", "y")])
    result = _run(app, "calls", "prune", "--older-than", "365")
    assert result.exit_code == 0 and "Deleted 1 calls" in result.output
    assert db.session.scalars(select(Call.id)).all() == [recent.id]
    assert _count(Suggestion) == 0 and _count(Utterance) == 1


def test_import_legacy_imports_the_three_sample_files_once(app, admin, fixtures_dir):
    directory = str(fixtures_dir / "mvp-call-logs")
    first = _run(app, "calls", "import-legacy", directory)
    assert first.exit_code == 0, first.output
    assert "Imported 3 calls (9 utterances" in first.output
    calls = db.session.scalars(select(Call).order_by(Call.started_at)).all()
    counts = [len(c.utterances) for c in calls]
    assert counts == [0, 4, 5]
    sources = {u.source for u in calls[2].utterances}
    assert sources == {"rep", "prospect"}
    assert {u.source for u in calls[1].utterances} == {"unknown"}
    assert calls[2].utterances[0].text == "Hello, brother. How are you doing today?"
    second = _run(app, "calls", "import-legacy", directory)
    assert "Imported 0 calls" in second.output and "skipped 3" in second.output
    assert _count(Call) == 3 and _count(Utterance) == 9


def test_import_legacy_reports_a_malformed_file_and_imports_the_rest(
    app, admin, fixtures_dir, tmp_path
):
    for path in (fixtures_dir / "mvp-call-logs").glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text())
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "wrong.json").write_text(json.dumps({"id": "x", "start_time": "soon"}))
    result = _run(app, "calls", "import-legacy", str(tmp_path))
    assert result.exit_code == 1
    assert "broken.json: not valid JSON" in result.output
    assert "wrong.json: invalid fields: start_time" in result.output
    assert _count(Call) == 3


def test_import_legacy_reports_text_that_cannot_be_stored(app, admin, tmp_path):
    bad = {"id": "x1", "start_time": "2026-01-01T10:00:00", "transcripts": [{"text": "\ud800"}]}
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    result = _run(app, "calls", "import-legacy", str(tmp_path))
    assert result.exit_code == 1
    assert "bad.json: invalid fields: transcripts" in result.output
    assert _count(Call) == 0


def test_cli_group_help_lists_the_admin_commands(app):
    assert {"export", "prune", "import-legacy"} <= set(
        line.split()[0]
        for line in _run(app, "calls", "--help").output.splitlines()
        if line.startswith("  ") and line.split()
    )
    assert _count(Team) == 0
