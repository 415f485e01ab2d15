"""Loading and validating toolkit entries (the default toolkit file, imports, the API).

Validation returns clean dicts with every optional field filled in, or raises
:class:`ToolkitDataError` naming the first bad entry and field. Nothing is read at
import time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from app.services.coaching.base import ToolkitItem
from app.services.coaching.text import normalize

DEFAULT_TOOLKIT_PATH = Path(__file__).resolve().parents[2] / "data" / "default_toolkit.yaml"
KINDS = ("objection", "discovery", "signal", "closing", "checklist")
SPEAKERS = ("rep", "prospect")
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_TITLE = 120
MAX_PHRASE = 200
MAX_PHRASES = 100
MAX_TALK_TRACK = 2000
DEFAULTS: dict[str, Any] = {
    "negative_triggers": [],
    "speakers": ["prospect"],
    "cooldown_s": 60.0,
    "max_per_call": 3,
    "talk_track": "",
}
FIELDS = frozenset({"kind", "name", "title", "triggers", "talk_track"}) | DEFAULTS.keys()


class ToolkitDataError(ValueError):
    """A toolkit entry is invalid; ``code`` is stable, ``entry`` and ``field`` locate it."""

    code = "toolkit_invalid"

    def __init__(self, entry: str, field: str, problem: str) -> None:
        super().__init__(f"toolkit entry {entry!r}: {field} {problem}")
        self.entry = entry
        self.field = field
        self.problem = problem


def load_toolkit_file(path: Path = DEFAULT_TOOLKIT_PATH) -> list[dict[str, Any]]:
    """Read and validate a toolkit YAML file (``entries:`` list or a bare list)."""
    with path.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    entries = raw.get("entries") if isinstance(raw, dict) else raw
    if not isinstance(entries, list):
        raise ToolkitDataError("<file>", "entries", "must be a list")
    return validate_entries(entries)


def load_default_toolkit() -> list[dict[str, Any]]:
    """The default toolkit seeded for each new team, validated."""
    return load_toolkit_file(DEFAULT_TOOLKIT_PATH)


def validate_entries(entries: Iterable[Any]) -> list[dict[str, Any]]:
    """Validate every entry and that names are unique; returns normalised dicts."""
    clean: list[dict[str, Any]] = []
    seen: set[str] = set()
    for pos, raw in enumerate(entries):
        entry = validate_entry(raw, label=f"#{pos}")
        if entry["name"] in seen:
            raise ToolkitDataError(entry["name"], "name", "is not unique")
        seen.add(entry["name"])
        clean.append(entry)
    return clean


def validate_entry(raw: Any, label: str = "?") -> dict[str, Any]:
    """One entry; ``label`` names it in errors until its own name is known."""
    if not isinstance(raw, Mapping):
        raise ToolkitDataError(label, "entry", "must be a mapping")
    name = raw.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise ToolkitDataError(label, "name", "must be a slug of a-z, 0-9, - or _")
    unknown = sorted(set(raw) - FIELDS)
    if unknown:
        raise ToolkitDataError(name, unknown[0], "is not a known field")
    entry = {**DEFAULTS, **raw}
    _check_choice(name, "kind", entry["kind"], KINDS)
    _check_text(name, "title", entry["title"], MAX_TITLE, required=True)
    _check_text(
        name,
        "talk_track",
        entry["talk_track"],
        MAX_TALK_TRACK,
        required=entry["kind"] != "checklist",
    )
    entry["triggers"] = _check_phrases(name, "triggers", entry["triggers"], required=True)
    entry["negative_triggers"] = _check_phrases(
        name, "negative_triggers", entry["negative_triggers"], required=False
    )
    entry["speakers"] = _check_speakers(name, entry["speakers"])
    entry["cooldown_s"] = _check_number(name, "cooldown_s", entry["cooldown_s"], 0, 86_400)
    entry["max_per_call"] = int(_check_number(name, "max_per_call", entry["max_per_call"], 1, 1000))
    if isinstance(raw.get("max_per_call"), float):
        raise ToolkitDataError(name, "max_per_call", "must be a whole number")
    return entry


def _check_choice(name: str, field: str, value: Any, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ToolkitDataError(name, field, f"must be one of {', '.join(choices)}")


def _check_text(name: str, field: str, value: Any, limit: int, *, required: bool) -> None:
    if not isinstance(value, str):
        raise ToolkitDataError(name, field, "must be text")
    if required and not value.strip():
        raise ToolkitDataError(name, field, "must not be empty")
    if len(value) > limit:
        raise ToolkitDataError(name, field, f"must be at most {limit} characters")


def _check_phrases(name: str, field: str, value: Any, *, required: bool) -> list[str]:
    if not isinstance(value, list) or (required and not value):
        raise ToolkitDataError(
            name, field, "must be a non-empty list" if required else "must be a list"
        )
    if len(value) > MAX_PHRASES:
        raise ToolkitDataError(name, field, f"must have at most {MAX_PHRASES} phrases")
    for phrase in value:
        if not isinstance(phrase, str) or len(phrase) > MAX_PHRASE:
            raise ToolkitDataError(name, field, f"must hold text of at most {MAX_PHRASE} chars")
        if not normalize(phrase):
            raise ToolkitDataError(name, field, "has a phrase with no words")
    return [phrase.strip() for phrase in value]


def _check_speakers(name: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ToolkitDataError(name, "speakers", "must be a non-empty list")
    for speaker in value:
        _check_choice(name, "speakers", speaker, SPEAKERS)
    return list(dict.fromkeys(value))


def _check_number(name: str, field: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ToolkitDataError(name, field, "must be a number")
    if not low <= value <= high:
        raise ToolkitDataError(name, field, f"must be between {low:g} and {high:g}")
    return float(value)


def to_items(entries: Iterable[Mapping[str, Any]], id_prefix: str = "") -> tuple[ToolkitItem, ...]:
    """Validated entry dicts as ToolkitItems; ``entry_id`` is ``id_prefix + name``
    unless the dict carries an ``entry_id`` (database rows do)."""
    items = []
    for entry in entries:
        items.append(
            ToolkitItem(
                entry_id=str(entry.get("entry_id") or f"{id_prefix}{entry['name']}"),
                kind=entry["kind"],
                name=entry["name"],
                title=entry["title"],
                talk_track=entry["talk_track"],
                triggers=tuple(entry["triggers"]),
                negative_triggers=tuple(entry["negative_triggers"]),
                speakers=tuple(entry["speakers"]),
                cooldown_s=float(entry["cooldown_s"]),
                max_per_call=int(entry["max_per_call"]),
            )
        )
    return tuple(items)


def default_toolkit_items() -> tuple[ToolkitItem, ...]:
    """The default toolkit as ToolkitItems with ``entry_id`` ``default:<name>``."""
    return to_items(load_default_toolkit(), id_prefix="default:")
