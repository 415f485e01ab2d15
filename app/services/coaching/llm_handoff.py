"""The live coach's guarded hand-off to the optional LLM coach.

Whatever the LLM coach does (raise on a final, raise on close), the playbook path goes on:
the failure is logged without content and the call is marked degraded once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from app.services.coaching.base import CoachingSink, ToolkitItem, Utterance
from app.services.coaching.coach_parts import LlmHook
from app.services.coaching.state import StatefulComponent

logger = logging.getLogger(__name__)


class LlmHandoff:
    """Holds the call's LLM coach (if any) and shields the caller from its failures."""

    def __init__(self, call_id: str, sink: CoachingSink, hook: LlmHook | None) -> None:
        self._call_id = call_id
        self._sink = sink
        self.hook = hook
        self._failed = False

    def on_final(self, utterance: Utterance, matched: Sequence[ToolkitItem]) -> None:
        """Hand over to the LLM coach; its failures never reach the playbook path."""
        if self.hook is None:
            return
        try:
            self.hook.on_final(utterance, matched)
        except Exception as exc:  # noqa: BLE001 - any LLM bug must not stop the playbook
            self._log("llm_coach_error", exc)
            if not self._failed:
                self._failed = True
                self._sink.degraded("llm_coach_error")

    def close(self) -> None:
        """Close the LLM coach; closing always completes."""
        if self.hook is None:
            return
        try:
            self.hook.close()
        except Exception as exc:  # noqa: BLE001 - closing must always complete
            self._log("llm_coach_close_error", exc)

    def components(self) -> dict[str, StatefulComponent]:
        """``{"llm": coach}`` when the LLM coach has state that moves, else nothing."""
        if self.hook is not None and hasattr(self.hook, "snapshot"):
            return {"llm": self.hook}  # type: ignore[dict-item]
        return {}

    def _log(self, event: str, exc: Exception) -> None:
        logger.warning(
            event,
            extra={
                "call_id": self._call_id,
                "code": "llm_coach_error",
                "error_type": type(exc).__name__,
            },
        )
