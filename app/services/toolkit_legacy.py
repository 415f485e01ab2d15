"""Import the previous MVP's toolkit: the JSON its ``GET /api/toolkit`` served.

The file is an object of categories, each ``{title, scripts: [{name, text, when_to_use}]}``.
Every category becomes one entry named ``legacy-<category>`` whose talk tracks are its
scripts, in order. Known categories map to a kind and borrow the trigger phrases of the
matching default entry, so they also fire cards; any other category is kept as a
``reference`` entry (toolkit panel only). Entries are created or updated by name, so
re-importing the same file changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.errors import ValidationFailed
from app.extensions import db
from app.models import Team, ToolkitEntry
from app.services.toolkit import EDITABLE, entries_for, load_default_entries, parse_entries

# MVP category -> (kind, default entry whose triggers it borrows, or None)
KNOWN: dict[str, tuple[str, str | None]] = {
    "openers": ("opener", None),
    "opening": ("opener", None),
    "price": ("objection", "objection-price"),
    "pricing": ("objection", "objection-price"),
    "not_interested": ("objection", "objection-no-need"),
    "competitor": ("objection", "objection-competitor"),
    "competition": ("objection", "objection-competitor"),
    "callback": ("objection", "objection-timing"),
    "call_back": ("objection", "objection-timing"),
    "timing": ("objection", "objection-timing"),
    "authority": ("objection", "objection-authority"),
    "closing": ("closing", "closing-commitment"),
    "closing_lines": ("closing", "closing-commitment"),
    "discovery": ("discovery", "discovery-pain"),
    "discovery_questions": ("discovery", "discovery-pain"),
}


@dataclass
class LegacyToolkitReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    talk_tracks: int = 0


def _slug(category: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", category.lower()).strip("-")[:60] or "category"


def _key(category: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", category.lower()).strip("_")


def _fail(message: str) -> ValidationFailed:
    return ValidationFailed(message, code="invalid_legacy_toolkit")


def _tracks(category: str, scripts: Any) -> list[dict[str, str]]:
    if not isinstance(scripts, list) or not scripts:
        raise _fail(f"category {category!r}: 'scripts' must be a non-empty list.")
    tracks = []
    for n, script in enumerate(scripts, 1):
        if not isinstance(script, dict) or not isinstance(script.get("text"), str):
            raise _fail(f"category {category!r}, script {n}: needs a 'text' string.")
        when = script.get("when_to_use") or script.get("name") or ""
        if not isinstance(when, str):
            raise _fail(f"category {category!r}, script {n}: 'when_to_use' must be a string.")
        tracks.append({"text": script["text"].strip(), "when_to_use": when.strip()[:500]})
    return tracks


def legacy_entries(raw: Any) -> list[dict[str, Any]]:
    """The entries a legacy toolkit document describes, validated like any entry."""
    if not isinstance(raw, dict) or not raw:
        raise _fail("expected a JSON object of categories.")
    triggers = {e["name"]: e["triggers"] for e in load_default_entries()}
    entries = []
    for category, body in raw.items():
        if not isinstance(body, dict):
            raise _fail(f"category {category!r}: expected an object with 'title' and 'scripts'.")
        kind, borrowed = KNOWN.get(_key(category), ("reference", None))
        title = body["title"] if isinstance(body.get("title"), str) else str(category)
        entries.append(
            {
                "kind": kind,
                "name": f"legacy-{_slug(category)}",
                "title": title.strip()[:200] or str(category),
                "talk_tracks": _tracks(category, body.get("scripts")),
                "triggers": triggers.get(borrowed or "", []),
                "speakers": ["rep"] if kind in ("opener", "reference") else ["prospect"],
            }
        )
    return parse_entries(entries, "legacy toolkit")


def import_legacy(team: Team, raw: Any, dry_run: bool = False) -> LegacyToolkitReport:
    """Create or update the ``legacy-*`` entries; commits unless ``dry_run``."""
    report = LegacyToolkitReport()
    current = {e["name"]: e for e in entries_for(team.id)}
    position = len(current)
    for entry in legacy_entries(raw):
        report.talk_tracks += len(entry["talk_tracks"])
        existing = current.get(entry["name"])
        if existing is not None and all(existing.get(k) == entry[k] for k in EDITABLE):
            report.unchanged.append(entry["name"])
            continue
        (report.updated if existing else report.created).append(entry["name"])
        if dry_run:
            continue
        if existing is None:
            db.session.add(ToolkitEntry(team_id=team.id, position=position, **entry))
            position += 1
        else:
            row = db.session.get(ToolkitEntry, existing["id"])
            for name in EDITABLE:
                setattr(row, name, entry[name])
    if (report.created or report.updated) and not dry_run:
        team.toolkit_version += 1
        db.session.commit()
    else:
        db.session.rollback()
    return report
