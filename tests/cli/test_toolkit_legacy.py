"""`flask toolkit import-legacy`: the MVP's toolkit JSON into entries with talk tracks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from app.extensions import db
from app.models import Team, ToolkitEntry
from app.services.coaching.playbook import PlaybookMatcher
from app.services.coaching.toolkit_data import to_items
from app.services.toolkit import entries_for
from tests.coaching.helpers import utt

FIXTURE = Path(__file__).parent.parent / "fixtures" / "legacy-toolkit" / "mvp_toolkit.json"


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["toolkit", *args])


def _legacy() -> dict[str, ToolkitEntry]:
    rows = db.session.scalars(select(ToolkitEntry).where(ToolkitEntry.name.like("legacy-%")))
    return {row.name: row for row in rows}


def test_every_script_becomes_a_talk_track_of_its_categorys_entry(app, admin):
    result = _run(app, "import-legacy", str(FIXTURE))
    assert result.exit_code == 0, result.output
    assert "7 talk tracks" in result.output and "4 entries created" in result.output
    entries = _legacy()
    source = json.loads(FIXTURE.read_text())
    for category, body in source.items():
        entry = entries[f"legacy-{category.replace('_', '-')}"]
        assert [t["text"] for t in entry.talk_tracks] == [s["text"] for s in body["scripts"]]
        assert [t["when_to_use"] for t in entry.talk_tracks] == [
            s["when_to_use"] for s in body["scripts"]
        ]
        assert entry.talk_track == body["scripts"][0]["text"] and entry.title == body["title"]
    assert len(entries["legacy-price"].talk_tracks) == 3
    kinds = {name: row.kind for name, row in entries.items()}
    assert kinds == {
        "legacy-openers": "opener",
        "legacy-price": "objection",
        "legacy-not-interested": "objection",
        "legacy-voicemail": "reference",
    }


def test_a_known_category_fires_cards_and_an_unknown_one_never_does(app, admin):
    _run(app, "import-legacy", str(FIXTURE))
    team_id = db.session.scalar(select(Team.id))
    items = [i for i in to_items(entries_for(team_id)) if i.name.startswith("legacy-")]
    fired = PlaybookMatcher(items).match(utt("Honestly it is too expensive for us", 1, 2))
    assert [i.name for i in fired] == ["legacy-price"]
    assert not next(i for i in items if i.name == "legacy-voicemail").triggers


def test_re_running_the_same_file_changes_nothing(app, admin):
    _run(app, "import-legacy", str(FIXTURE))
    team = db.session.scalar(select(Team))
    version, count = team.toolkit_version, len(entries_for(team.id))
    again = _run(app, "import-legacy", str(FIXTURE))
    assert again.exit_code == 0 and "0 entries created, 0 updated, 4 unchanged" in again.output
    db.session.refresh(team)
    assert team.toolkit_version == version and len(entries_for(team.id)) == count


def test_a_dry_run_reports_and_changes_nothing(app, admin):
    result = _run(app, "import-legacy", str(FIXTURE), "--dry-run")
    assert result.exit_code == 0 and "Would import 7 talk tracks" in result.output
    assert _legacy() == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object of categories"),
        ('{"price": "cheap"}', "expected an object with 'title' and 'scripts'"),
        ('{"price": {"title": "Price", "scripts": []}}', "'scripts' must be a non-empty list"),
        ('{"price": {"scripts": [{"name": "x"}]}}', "script 1: needs a 'text' string"),
    ],
)
def test_a_malformed_file_is_refused_with_a_clear_error(app, admin, tmp_path, content, message):
    path = tmp_path / "toolkit.json"
    path.write_text(content)
    result = _run(app, "import-legacy", str(path))
    assert result.exit_code != 0 and message in result.output
    assert _legacy() == {}


def test_export_then_import_round_trips_talk_tracks_and_stages(app, admin, tmp_path):
    _run(app, "import-legacy", str(FIXTURE))
    exported = _run(app, "export")
    doc = yaml.safe_load(exported.output)
    doc["stages"][0]["focus"]["what"] = "Edited opening focus"
    path = tmp_path / "toolkit.yaml"
    path.write_text(yaml.safe_dump(doc))
    assert _run(app, "import", str(path)).exit_code == 0
    again = yaml.safe_load(_run(app, "export").output)
    assert again == doc
    assert len(_legacy()["legacy-price"].talk_tracks) == 3
