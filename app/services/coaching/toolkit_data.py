"""Toolkit entries as the coach sees them.

Entries are validated once, by ``ToolkitEntrySchema`` (through ``app.services.toolkit``),
whether they come from the API, an import or the default toolkit file; this module only
turns validated dicts into immutable :class:`ToolkitItem` objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.services.coaching.base import ToolkitItem
from app.services.toolkit import load_default_entries


def to_items(entries: Iterable[Mapping[str, Any]], id_prefix: str = "") -> tuple[ToolkitItem, ...]:
    """Validated entry dicts as ToolkitItems; ``entry_id`` is ``id_prefix + name``."""
    return tuple(
        ToolkitItem(
            entry_id=f"{id_prefix}{entry['name']}",
            kind=entry["kind"],
            name=entry["name"],
            title=entry["title"],
            talk_track=entry["talk_track"],
            triggers=tuple(entry["triggers"]),
            negative_triggers=tuple(entry["negative_triggers"]),
            speakers=tuple(entry["speakers"]),
            cooldown_s=float(entry["cooldown_s"]),
            max_per_call=int(entry["max_per_call"]),
            examples=tuple(entry.get("examples", ())),
            threshold=entry.get("threshold"),
        )
        for entry in entries
    )


def default_toolkit_items() -> tuple[ToolkitItem, ...]:
    """The default toolkit as ToolkitItems with ``entry_id`` ``default:<name>``."""
    return to_items(load_default_entries(), id_prefix="default:")
