"""Delivery nudges: short, friendly prompts when the rep's delivery crosses a threshold.

Each kind is edge-triggered: it fires when its condition becomes true, at most once per
``cooldown_s`` of call time, and re-arms only once the condition has been false again.
A crossing that happens during the cooldown fires as soon as the cooldown is over if
the condition still holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.services.coaching.live_metrics import LiveMetrics

NUDGE_MESSAGES: dict[str, str] = {
    "talk_ratio": "You're doing most of the talking. Ask a question and let them speak.",
    "monologue": "You've been talking for over a minute. Pause and check in with them.",
    "pace": "You're speaking quickly. Slow down a little and let it land.",
    "no_questions": "No question in a while. Ask an open question to re-engage them.",
}


@dataclass(frozen=True)
class NudgeSettings:
    talk_ratio_max: float = 0.65  # rep share of talk time over the recent window
    talk_ratio_window_s: float = 180.0
    talk_ratio_min_elapsed_s: float = 60.0  # no talk-ratio nudge in the first minute
    monologue_max_s: float = 60.0
    pace_max_wpm: float = 180.0
    pace_min_talk_s: float = 20.0  # rep talk needed in the pace window before judging pace
    no_question_s: float = 600.0  # call time since the rep's last question (or the start)
    cooldown_s: float = 120.0  # per nudge kind, in call time


class NudgePolicy:
    """Evaluates the nudge conditions after each utterance; returns the kinds to send."""

    STATE_VERSION = 1

    def __init__(self, settings: NudgeSettings | None = None) -> None:
        self.settings = settings or NudgeSettings()
        self._armed: dict[str, bool] = dict.fromkeys(NUDGE_MESSAGES, True)
        self._last_fired_ms: dict[str, int] = {}

    def evaluate(self, metrics: LiveMetrics, now_ms: int) -> list[str]:
        fired: list[str] = []
        for kind, check in _CHECKS:
            if not check(self, metrics, now_ms):
                self._armed[kind] = True
            elif self._armed[kind] and self._cooled_down(kind, now_ms):
                self._armed[kind] = False
                self._last_fired_ms[kind] = now_ms
                fired.append(kind)
        return fired

    def snapshot(self) -> dict[str, Any]:
        return {"armed": dict(self._armed), "last_fired_ms": dict(self._last_fired_ms)}

    def restore(self, data: dict[str, Any]) -> None:
        self._armed.update({k: bool(v) for k, v in data["armed"].items() if k in self._armed})
        self._last_fired_ms = {k: int(v) for k, v in data["last_fired_ms"].items()}

    def _cooled_down(self, kind: str, now_ms: int) -> bool:
        last = self._last_fired_ms.get(kind)
        return last is None or now_ms - last >= self.settings.cooldown_s * 1000

    def _talk_ratio_high(self, metrics: LiveMetrics, now_ms: int) -> bool:
        # Without prospect audio the ratio is always 1.0 and says nothing.
        s = self.settings
        if metrics.prospect.talk_ms == 0 or now_ms < s.talk_ratio_min_elapsed_s * 1000:
            return False
        return metrics.recent_talk_ratio(now_ms, s.talk_ratio_window_s) > s.talk_ratio_max

    def _monologue_long(self, metrics: LiveMetrics, now_ms: int) -> bool:
        return metrics.current_monologue_s(now_ms) > self.settings.monologue_max_s

    def _pace_high(self, metrics: LiveMetrics, now_ms: int) -> bool:
        if metrics.rep_talk_recent_s(now_ms) < self.settings.pace_min_talk_s:
            return False
        return metrics.rep_wpm(now_ms) > self.settings.pace_max_wpm

    def _no_questions(self, metrics: LiveMetrics, now_ms: int) -> bool:
        since = metrics.last_rep_question_ms or 0
        return metrics.rep.talk_ms > 0 and now_ms - since >= self.settings.no_question_s * 1000


def nudge_message(kind: str) -> str:
    return NUDGE_MESSAGES[kind]


# The checks by kind, as plain functions of the class (bound methods kept on each instance
# would make every policy a reference cycle, freed only by the cyclic collector).
_CHECKS: tuple[tuple[str, Callable[[NudgePolicy, LiveMetrics, int], bool]], ...] = (
    ("talk_ratio", NudgePolicy._talk_ratio_high),
    ("monologue", NudgePolicy._monologue_long),
    ("pace", NudgePolicy._pace_high),
    ("no_questions", NudgePolicy._no_questions),
)
