"""The live checklist: toolkit entries of kind ``checklist`` ticked off as the call covers them.

An item is ticked the first time either speaker says one of its triggers (negative
triggers apply; the entry's ``speakers`` field is ignored: a checklist item is covered
whoever raises it). The ticking utterance is recorded so the call can show where.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from app.services.coaching.base import ToolkitItem, Utterance
from app.services.coaching.playbook import checklist_items, compile_toolkit


@dataclass
class ChecklistState:
    name: str
    title: str
    done: bool = False
    utterance_id: str | None = None
    source: str | None = None
    at_ms: int | None = None


class Checklist:
    STATE_VERSION = 1

    def __init__(self, toolkit: Sequence[ToolkitItem]) -> None:
        self._compiled = compile_toolkit(checklist_items(toolkit))
        self._items: dict[str, ChecklistState] = {
            item.entry_id: ChecklistState(item.name, item.title) for item in self._compiled.items
        }

    def __len__(self) -> int:
        return len(self._items)

    def observe(self, utterance: Utterance, tokens: Sequence[str]) -> list[str]:
        """Tick items this utterance covers; returns the names newly ticked."""
        ticked: list[str] = []
        for item, _ in self._compiled.find(tokens):
            state = self._items[item.entry_id]
            if not state.done:
                state.done = True
                state.utterance_id = utterance.utterance_id
                state.source = utterance.source
                state.at_ms = utterance.end_ms
                ticked.append(state.name)
        return ticked

    def live(self) -> list[dict[str, Any]]:
        """The compact form sent with every ``metrics`` event."""
        return [{"name": s.name, "title": s.title, "done": s.done} for s in self._items.values()]

    def snapshot(self) -> dict[str, Any]:
        """The ticked items by entry id (an item since removed from the toolkit is dropped
        on restore)."""
        return {
            entry_id: [s.utterance_id, s.source, s.at_ms]
            for entry_id, s in self._items.items()
            if s.done
        }

    def restore(self, data: dict[str, Any]) -> None:
        for entry_id, (utterance_id, source, at_ms) in data.items():
            if (state := self._items.get(entry_id)) is not None:
                state.done, state.utterance_id = True, utterance_id
                state.source, state.at_ms = source, at_ms

    def stored(self) -> list[dict[str, Any]]:
        """The full form stored with the call (which utterance ticked each item)."""
        return [asdict(state) for state in self._items.values()]
