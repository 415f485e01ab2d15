"""When the LLM coach asks the model: which finals deserve a request.

Each request costs money and a few seconds, so only prospect turns qualify: those that
matched the playbook, asked a question or carry a buying or objection signal, plus (rate
limited to one per ``min_interval_s``) any other long enough turn.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence

from app.services.coaching.base import ToolkitItem, Utterance
from app.services.coaching.llm_client import LlmSettings

_SIGNAL = re.compile(
    r"\b(but|however|expensive|price|pricing|cost|budget|afford|not sure|concern\w*|worried|"
    r"competitor|already (use|have|using)|contract|discount|how (much|long|does|do)|"
    r"when can|can you|do you|what if|trial|next steps?|send (me|over)|interested|"
    r"sign|decision|approve|timeline)\b",
    re.IGNORECASE,
)


class TriggerPolicy:
    """Which finals deserve an LLM request (each one costs money and a few seconds)."""

    def __init__(self, settings: LlmSettings, clock: Callable[[], float] = time.monotonic) -> None:
        self._settings = settings
        self._clock = clock
        self._last = clock()  # the first unprompted request comes min_interval_s into the call

    def should_respond(self, utterance: Utterance, matched: Sequence[ToolkitItem]) -> bool:
        """Prospect turns that matched the playbook or look like a signal; else rate-limited."""
        if utterance.source != "prospect":
            return False
        text = utterance.text
        long_enough = len(text.split()) >= self._settings.min_words
        now = self._clock()
        respond = bool(matched) or (long_enough and ("?" in text or bool(_SIGNAL.search(text))))
        if not respond and long_enough and now - self._last >= self._settings.min_interval_s:
            respond = True
        if respond:
            self._last = now
        return respond
