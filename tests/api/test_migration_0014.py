"""Migration 0014 gives existing toolkit entries their talk track as their only track."""

from __future__ import annotations

import json

from flask_migrate import upgrade
from sqlalchemy import text

from app.extensions import db
from tests.api.test_migrations import _fresh_url
from tests.helpers import make_app


def test_existing_entries_get_their_talk_track_as_the_only_talk_track(tmp_path):
    app = make_app(_fresh_url(tmp_path))
    with app.app_context():
        upgrade(revision="0012")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO teams (id, name, toolkit_version, created_at) "
                    "VALUES ('t1', 'Team', 1, CURRENT_TIMESTAMP)"
                )
            )
            for name, track in (("price", "Reframe on value."), ("budget", "")):
                conn.execute(
                    text(
                        "INSERT INTO toolkit_entries (id, team_id, kind, name, title, talk_track,"
                        " triggers, negative_triggers, speakers, cooldown_s, max_per_call,"
                        " position, updated_at) VALUES (:id, 't1', 'objection', :name, 'T',"
                        " :track, '[]', '[]', '[]', 60, 3, 0, CURRENT_TIMESTAMP)"
                    ),
                    {"id": name, "name": name, "track": track},
                )
        upgrade()
        with db.engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT name, talk_tracks FROM toolkit_entries")).all())
        tracks = {k: v if isinstance(v, list) else json.loads(v) for k, v in rows.items()}
        assert tracks == {"price": [{"text": "Reframe on value.", "when_to_use": ""}], "budget": []}
        db.engine.dispose()
