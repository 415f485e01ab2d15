"""Builds the coach of a live call: the team's toolkit, the playbook and, when the LLM
coach is configured, its session wired to the call."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from app.services import toolkit
from app.services.coaching.base import CallContext
from app.services.coaching.coach import LiveCallCoach
from app.services.coaching.toolkit_data import to_items
from app.services.live.call import LiveCall

log = logging.getLogger(__name__)
LlmFactory = Callable[[CallContext, Any, Any], Any]


class CoachAssembly:
    def __init__(self, llm_factory: LlmFactory | None) -> None:
        self._llm_factory = llm_factory

    def build(
        self, live: LiveCall, team_id: str, goal: str | None, state: dict[str, Any] | None = None
    ) -> LiveCallCoach:
        """The call's coach; with ``state`` (a snapshot from another worker) it continues."""
        items = to_items(toolkit.entries_for(team_id))
        context = CallContext(live.call_id, team_id, goal, items)
        coach = LiveCallCoach(context, live)
        if self._llm_factory is not None:
            coach.attach_llm(self._llm_factory(context, live, coach.set_stage))
        if live.attribution is not None:  # the two-voice model moves with the call too
            coach.add_component("attribution", live.attribution)
        if state is not None:
            restored = coach.restore(state)
            log.info(
                "coaching state restored",
                extra={"call_id": live.call_id, "components": ",".join(restored)},
            )
        return coach
