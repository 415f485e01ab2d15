"""Toolkit edits reach live calls: each call's coach follows its team's current toolkit.

Run by the live-call janitor (every lease heartbeat) inside an app context. The toolkit
is cached per team and version (``app.services.toolkit``), so an unchanged toolkit costs
one version query per team; a changed one rebuilds the compiled toolkit and, for
examples, the moment classifier, shared by every call of the team.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from app.services import toolkit
from app.services.coaching.toolkit_data import to_items

log = logging.getLogger(__name__)


def refresh_toolkits(calls: Iterable[Any]) -> int:
    """Hand each live call's coach its team's current toolkit; how many coaches changed."""
    by_team: dict[str, list[Any]] = {}
    for live in calls:
        coach = getattr(live, "coach", None)
        if coach is not None and hasattr(coach, "use_toolkit"):
            by_team.setdefault(live.identity.team_id, []).append(coach)
    changed = 0
    for team_id, coaches in by_team.items():
        items = to_items(toolkit.entries_for(team_id))
        for coach in coaches:
            if coach.context.toolkit != items:
                coach.use_toolkit(items)
                changed += 1
    if changed:
        log.info("toolkit refreshed on live calls", extra={"calls": changed})
    return changed
