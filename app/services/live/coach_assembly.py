"""Builds the coach of a live call: the team's toolkit and stage guidance, the call setup,
the playbook and, when the LLM coach is configured, its card and guidance sessions wired
to the call."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from app.models import Call
from app.services import toolkit, toolkit_stages
from app.services.coaching.base import CallContext, CallSetup
from app.services.coaching.coach import CoachSettings, LiveCallCoach
from app.services.coaching.guidance_session import GuidanceSession
from app.services.coaching.toolkit_data import to_items, to_stages
from app.services.concurrency import green_mode
from app.services.live.call import LiveCall

log = logging.getLogger(__name__)


class LlmFactory(Protocol):
    """Builds a call's LLM coaches (app/services/coaching/llm_factory.py)."""

    def __call__(self, context: CallContext, sink: Any, on_stage: Any) -> Any: ...

    def guidance(self, context: CallContext, sink: Any, host: GuidanceSession) -> Any: ...


class CoachAssembly:
    def __init__(self, llm_factory: LlmFactory | None) -> None:
        self._llm_factory = llm_factory

    def build(
        self, live: LiveCall, call: Call, state: dict[str, Any] | None = None
    ) -> LiveCallCoach:
        """The call's coach; with ``state`` (a snapshot from another worker) it continues."""
        items = to_items(toolkit.entries_for(call.team_id))
        stages = to_stages(toolkit_stages.stages_for(call.team_id))
        setup = CallSetup(call.prospect_name, call.prospect_company, call.notes)
        context = CallContext(live.call_id, call.team_id, call.goal, items, setup, stages)
        # Under eventlet/gevent the sentence encoder runs off the loop (coaching/lane.py).
        settings = CoachSettings(offload_detection=green_mode() is not None)
        coach = LiveCallCoach(context, live, settings=settings)
        if self._llm_factory is not None:
            coach.attach_llm(self._llm_factory(context, live, coach.set_stage))
            coach.attach_guide(self._llm_factory.guidance(context, live, coach.guidance))
        if live.attribution is not None:  # the two-voice model moves with the call too
            coach.add_component("attribution", live.attribution)
        if state is not None:
            restored = coach.restore(state)
            log.info(
                "coaching state restored",
                extra={"call_id": live.call_id, "components": ",".join(restored)},
            )
        return coach
