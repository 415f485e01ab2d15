"""Coaching state that moves with a call: the snapshot protocol.

A call's coach is rebuilt on whichever worker revives the call (after a SIGTERM drain,
a crash, or a resume routed elsewhere). So that coaching continues instead of starting
from zero, every stateful coaching component offers

- ``STATE_VERSION``: an int, bumped whenever the shape of its snapshot changes;
- ``snapshot() -> dict``: its state as JSON-ready values (compact, bounded);
- ``restore(dict)``: load such a snapshot into a freshly built component.

:class:`~app.services.coaching.coach.LiveCallCoach` names its components (``metrics``,
``stages``, ``checklist``, ``playbook``, ``nudges``, ``llm``, and any added with
``add_component``) in a :class:`ComponentSet`, and :func:`dump` / :func:`restore` turn
them into one document
``{"format": 1, "components": {name: {"v": version, "state": {...}}}}``. A component
whose stored version differs from its own (a deploy changed it), or that is missing
from the document, simply starts fresh; the others are restored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol

log = logging.getLogger(__name__)
FORMAT = 1


class StatefulComponent(Protocol):
    STATE_VERSION: int

    def snapshot(self) -> dict[str, Any]: ...

    def restore(self, data: dict[str, Any]) -> None: ...


def dump(components: Mapping[str, StatefulComponent]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "components": {
            name: {"v": component.STATE_VERSION, "state": component.snapshot()}
            for name, component in components.items()
        },
    }


def restore(components: Mapping[str, StatefulComponent], document: dict[str, Any]) -> list[str]:
    """Restore every component whose stored version matches; returns their names."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return []
    stored = document.get("components") or {}
    restored = []
    for name, component in components.items():
        entry = stored.get(name)
        if not isinstance(entry, dict) or entry.get("v") != component.STATE_VERSION:
            continue
        try:
            component.restore(entry["state"])
        except (KeyError, TypeError, ValueError) as exc:  # a damaged entry: start fresh
            log.warning(
                "coaching state not restored",
                extra={"component": name, "error_type": type(exc).__name__},
            )
            continue
        restored.append(name)
    return restored


Components = Callable[[], Mapping[str, StatefulComponent]]


def _none() -> Mapping[str, StatefulComponent]:
    return {}


class ComponentSet:
    """A coach's named stateful components: its own, read afresh on every use (a coach may
    replace one), then any added with :meth:`add`, then the optional ``late`` ones."""

    def __init__(self, own: Components, late: Components = _none) -> None:
        self._own = own
        self._late = late
        self._added: dict[str, StatefulComponent] = {}

    def add(self, name: str, component: StatefulComponent) -> None:
        """Another component whose state moves with the call."""
        self._added[name] = component

    def all(self) -> dict[str, StatefulComponent]:
        """Every component by name, in order (a later name wins)."""
        return {**self._own(), **self._added, **self._late()}

    def dump(self) -> dict[str, Any]:
        """The snapshot document of every component (see :func:`dump`)."""
        return dump(self.all())

    def restore(self, document: dict[str, Any]) -> list[str]:
        """Restore every component the document holds (see :func:`restore`)."""
        return restore(self.all(), document)
