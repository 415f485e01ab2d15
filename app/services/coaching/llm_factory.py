"""The LLM coach's per-process parts: one SDK client and one spend-limit gate, and the
factory that gives each call its LLM card and guidance coaches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.services.coaching.base import CallContext, CoachingSink, Utterance
from app.services.coaching.guidance_llm import GuidanceHost, LlmGuidanceCoach
from app.services.coaching.llm import LlmCallCoach
from app.services.coaching.llm_client import LlmClient, LlmFailure, LlmSettings, build_anthropic
from app.services.coaching.llm_gate import TeamLlmGate
from app.services.coaching.llm_stream import CancelScope, PartialCallback
from app.services.coaching.prompt import Prompt
from app.services.provider_health import ProviderHealth


class ObservedLlmClient(LlmClient):
    """Records every turn's outcome in the LLM's :class:`ProviderHealth`."""

    def __init__(self, settings: LlmSettings, sdk: Any, health: ProviderHealth) -> None:
        super().__init__(settings, sdk)
        self.health = health

    def suggest(
        self, prompt: Prompt, scope: CancelScope, on_partial: PartialCallback
    ) -> dict[str, Any]:
        try:
            result = super().suggest(prompt, scope, on_partial)
        except LlmFailure as failure:
            self.health.failure(failure.reason)
            raise
        self.health.success()
        return result


class LlmCoachFactory:
    """One SDK client and one spend-limit gate per process; one coach per call."""

    def __init__(self, settings: LlmSettings, health: ProviderHealth | None = None) -> None:
        self.settings = settings
        self.gate = TeamLlmGate(reset_after_s=settings.spend_limit_reset_s)
        self.health = health or ProviderHealth()
        self.client = ObservedLlmClient(settings, build_anthropic(settings), self.health)

    def __call__(
        self,
        context: CallContext,
        sink: CoachingSink,
        on_stage: Callable[[str, Utterance], None] | None = None,
    ) -> Any:
        """The call's LLM coach; it consults the gate on every turn, so a team whose
        spend limit is reset mid-call gets suggestions again."""
        return LlmCallCoach(context, sink, self.client, self.settings, self.gate, on_stage)

    def guidance(
        self, context: CallContext, sink: CoachingSink, host: GuidanceHost
    ) -> LlmGuidanceCoach:
        """The call's LLM guidance coach (same client and gate as its cards)."""
        return LlmGuidanceCoach(context, sink, host, self.client, self.settings, self.gate)
