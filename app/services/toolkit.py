"""The team's toolkit: seeding the default, CRUD, import/export, and a versioned cache.

Each change bumps ``Team.toolkit_version``; the version is the ETag and the cache key,
so a cached toolkit is never served after a change, in any worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from marshmallow import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.models import Team, ToolkitEntry
from app.schemas.toolkit import ToolkitEntrySchema

DEFAULT_TOOLKIT = Path(__file__).resolve().parent.parent / "data" / "default_toolkit.yaml"
EDITABLE = (
    "kind",
    "name",
    "title",
    "talk_track",
    "talk_tracks",
    "triggers",
    "negative_triggers",
    "speakers",
    "cooldown_s",
    "max_per_call",
)
_cache: dict[tuple[str, int], list[dict[str, Any]]] = {}
_CACHE_LIMIT = 512


def parse_entries(raw: Any, source: str) -> list[dict[str, Any]]:
    """Validate a toolkit document (a list, or ``{entries: [...]}``) with the schema."""
    items = raw.get("entries") if isinstance(raw, dict) else raw
    if not isinstance(items, list):
        raise ValidationFailed(f"{source}: expected a list of entries.", code="invalid_toolkit")
    try:
        entries = ToolkitEntrySchema(many=True).load(items)
    except ValidationError as exc:
        raise ValidationFailed(
            f"{source}: invalid entries.", code="invalid_toolkit", fields={"entries": exc.messages}
        ) from exc
    names = [e["name"] for e in entries]
    if len(names) != len(set(names)):
        raise ValidationFailed(f"{source}: entry names must be unique.", code="invalid_toolkit")
    return list(entries)


def load_default_entries() -> list[dict[str, Any]]:
    return parse_entries(yaml.safe_load(DEFAULT_TOOLKIT.read_text()), DEFAULT_TOOLKIT.name)


def replace_entries(team: Team, entries: list[dict[str, Any]]) -> None:
    """Replace the team's whole toolkit (seeding, import); the caller commits."""
    db.session.execute(delete(ToolkitEntry).where(ToolkitEntry.team_id == team.id))
    for position, entry in enumerate(entries):
        db.session.add(ToolkitEntry(team_id=team.id, position=position, **entry))
    team.toolkit_version = (team.toolkit_version or 0) + 1


def _team(team_id: str) -> Team:
    team = db.session.get(Team, team_id)
    if team is None:
        raise NotFound("Team not found.", code="team_not_found")
    return team


def version(team_id: str) -> int:
    return _team(team_id).toolkit_version


def entries_for(team_id: str) -> list[dict[str, Any]]:
    """The team's entries as dicts, cached per (team, version)."""
    key = (team_id, version(team_id))
    if key not in _cache:
        rows = db.session.scalars(
            select(ToolkitEntry)
            .where(ToolkitEntry.team_id == team_id)
            .order_by(ToolkitEntry.position, ToolkitEntry.name)
        )
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[key] = ToolkitEntrySchema(many=True).dump(list(rows))
    return _cache[key]


def _get_entry(team_id: str, entry_id: str) -> ToolkitEntry:
    entry = db.session.get(ToolkitEntry, entry_id)
    if entry is None or entry.team_id != team_id:
        raise NotFound("Toolkit entry not found.", code="toolkit_entry_not_found")
    return entry


def _commit_change(team_id: str) -> None:
    """Flush the change (unique names are checked here), bump the version, commit."""
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict("An entry with this name exists.", code="toolkit_name_taken") from exc
    _team(team_id).toolkit_version += 1
    db.session.commit()


def create_entry(team_id: str, data: dict[str, Any]) -> ToolkitEntry:
    entry = ToolkitEntry(team_id=team_id, position=len(entries_for(team_id)), **data)
    db.session.add(entry)
    _commit_change(team_id)
    return entry


def update_entry(team_id: str, entry_id: str, data: dict[str, Any]) -> ToolkitEntry:
    entry = _get_entry(team_id, entry_id)
    for name in EDITABLE:
        if name in data:
            setattr(entry, name, data[name])
    _commit_change(team_id)
    return entry


def delete_entry(team_id: str, entry_id: str) -> None:
    db.session.delete(_get_entry(team_id, entry_id))
    _commit_change(team_id)
