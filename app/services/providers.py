"""Builders that turn :class:`~app.config.Settings` into provider objects.

The registry (``app.services.registry``) picks one by name; the providers themselves
never read configuration.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.config import Settings
from app.services.coaching.base import CallContext, CoachingSink, Utterance
from app.services.coaching.guidance_llm import GuidanceHost, LlmGuidanceCoach
from app.services.coaching.llm import LlmCallCoach
from app.services.coaching.llm_client import LlmClient, LlmFailure, LlmSettings, build_anthropic
from app.services.coaching.llm_gate import TeamLlmGate
from app.services.coaching.llm_stream import CancelScope, PartialCallback
from app.services.coaching.prompt import Prompt
from app.services.provider_health import ProviderHealth
from app.services.transcription.deepgram.settings import DeepgramSettings
from app.services.transcription.deepgram.transcriber import DeepgramTranscriber
from app.services.transcription.local.settings import LocalAsrSettings
from app.services.transcription.local.transcriber import LocalTranscriber


def build_deepgram(settings: Settings) -> DeepgramTranscriber:
    return DeepgramTranscriber(
        DeepgramSettings(
            api_key=settings.deepgram_api_key,
            base_url=settings.deepgram_url,
            model=settings.deepgram_model,
            language=settings.deepgram_language,
            max_streams=settings.deepgram_max_streams,
        )
    )


def llm_settings(settings: Settings) -> LlmSettings:
    return LlmSettings(
        api_key=settings.anthropic_api_key,
        base_url=settings.anthropic_base_url or None,
        model=settings.anthropic_model,
        deadline_s=settings.llm_deadline_s,
        max_retries=settings.llm_max_retries,
        context_token_budget=settings.llm_context_token_budget,
        guidance_interval_s=settings.guidance_llm_interval_s,
    )


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


def build_local(settings: Settings) -> LocalTranscriber:
    """The embedded recognizer; worker processes start on the first stream."""
    return LocalTranscriber(
        LocalAsrSettings(
            model_path=settings.local_asr_model_path or None,
            workers=settings.local_asr_workers,
            cpu_threads=max(1, 2 // settings.local_asr_workers),
            partial_interval_s=settings.local_asr_partial_interval_s,
            prompt=settings.local_asr_prompt,
        )
    )
