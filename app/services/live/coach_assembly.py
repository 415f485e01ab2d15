"""Builds the coach of a live call: the team's toolkit, the playbook and, when the LLM
coach is configured, its session wired to the call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.services import toolkit
from app.services.coaching.base import CallContext
from app.services.coaching.coach import LiveCallCoach
from app.services.coaching.toolkit_data import to_items
from app.services.live.call import LiveCall

LlmFactory = Callable[[CallContext, Any, Any], Any]


class CoachAssembly:
    def __init__(self, llm_factory: LlmFactory | None) -> None:
        self._llm_factory = llm_factory

    def build(self, live: LiveCall, team_id: str, goal: str | None) -> LiveCallCoach:
        items = to_items(toolkit.entries_for(team_id))
        context = CallContext(live.call_id, team_id, goal, items)
        coach = LiveCallCoach(context, live)
        if self._llm_factory is not None:
            coach.attach_llm(self._llm_factory(context, live, coach.set_stage))
        return coach
