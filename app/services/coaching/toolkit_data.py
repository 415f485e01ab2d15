"""Toolkit entries as the coach sees them.

Entries are validated once, by ``ToolkitEntrySchema`` (through ``app.services.toolkit``),
whether they come from the API, an import or the default toolkit file; this module only
turns validated dicts into immutable :class:`ToolkitItem` objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.services.coaching.base import (
    KeyQuestion,
    Objective,
    StagePlaybook,
    TalkTrack,
    ToolkitItem,
)
from app.services.toolkit import load_default_entries
from app.services.toolkit_stages import default_stages


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
            talk_tracks=tuple(
                TalkTrack(t["text"], t.get("when_to_use", "")) for t in entry.get("talk_tracks", [])
            ),
        )
        for entry in entries
    )


def default_toolkit_items() -> tuple[ToolkitItem, ...]:
    """The default toolkit as ToolkitItems with ``entry_id`` ``default:<name>``."""
    return to_items(load_default_entries(), id_prefix="default:")


def to_stages(stages: Iterable[Mapping[str, Any]]) -> tuple[StagePlaybook, ...]:
    """Validated stage dicts (``toolkit_stages.stages_for``) as StagePlaybooks."""
    return tuple(
        StagePlaybook(
            stage=s["stage"],
            what=s["focus"]["what"],
            why=s["focus"].get("why", ""),
            urgency=s["focus"].get("urgency", "medium"),
            objectives=tuple(
                Objective(o["id"], o["text"], tuple(o.get("triggers", ())))
                for o in s.get("objectives", [])
            ),
            key_questions=tuple(
                KeyQuestion(q["primary"], tuple(q.get("alternatives", ())), q.get("context", ""))
                for q in s.get("key_questions", [])
            ),
            talking_points=tuple(s.get("talking_points", [])),
        )
        for s in stages
    )


def default_stage_items() -> tuple[StagePlaybook, ...]:
    """The default guidance of every stage."""
    return to_stages(default_stages())
