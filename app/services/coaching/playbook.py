"""Playbook matching: which toolkit entries an utterance triggers, with per-call limits.

A :class:`CompiledToolkit` (phrase index over every entry's triggers) is immutable and
cached per toolkit, so many calls of the same team share it. A :class:`PlaybookMatcher`
adds one call's state: the speaker filter, the cooldown per entry (on the call's own
timeline, so it is deterministic and unaffected by server load) and ``max_per_call``.
Entries of kind ``checklist`` never produce cards; they feed the live checklist.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from app.services.coaching.base import ToolkitItem, Utterance
from app.services.coaching.moments import (
    MomentIndex,
    MomentScore,
    moment_index,
    too_short_for_meaning,
)
from app.services.coaching.text import PhraseHits, PhraseIndex, normalize
from app.services.coaching.toolkit_data import default_toolkit_items
from app.services.concurrency import offload

logger = logging.getLogger(__name__)

CHECKLIST_KIND = "checklist"
# A match by meaning on one of the recognizer's next-best readings needs the entry's
# threshold plus this: the recognizer itself thought that reading less likely.
ALTERNATIVE_MARGIN = 0.6


class CompiledToolkit:
    """The triggers and negative triggers of a set of entries, compiled for matching."""

    def __init__(self, items: Sequence[ToolkitItem]) -> None:
        self.items: tuple[ToolkitItem, ...] = tuple(items)
        self._index: PhraseIndex[int] = PhraseIndex(self._phrases())

    def _phrases(self) -> list[tuple[int, str, bool]]:
        phrases: list[tuple[int, str, bool]] = []
        for pos, item in enumerate(self.items):
            phrases.extend((pos, phrase, False) for phrase in item.triggers)
            phrases.extend((pos, phrase, True) for phrase in item.negative_triggers)
        return phrases

    def hits(self, tokens: Sequence[str]) -> PhraseHits[int]:
        return self._index.find(tokens)

    def negated(self, tokens: Sequence[str]) -> set[str]:
        """Entry ids a negative phrase in ``tokens`` suppresses."""
        return {self.items[pos].entry_id for pos in self.hits(tokens).negated}

    def find(self, tokens: Sequence[str]) -> list[tuple[ToolkitItem, int]]:
        """Entries matched by ``tokens`` (negatives applied), most specific first.

        Specificity is the token length of the longest matching trigger; ties keep
        the toolkit's order.
        """
        matched = self.hits(tokens).matched()
        ranked = sorted(matched.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(self.items[pos], length) for pos, length in ranked]


@lru_cache(maxsize=256)
def compile_toolkit(items: tuple[ToolkitItem, ...]) -> CompiledToolkit:
    """A shared compiled toolkit; ToolkitItem is frozen, so the tuple is a safe cache key."""
    return CompiledToolkit(items)


def card_items(toolkit: Sequence[ToolkitItem]) -> tuple[ToolkitItem, ...]:
    return tuple(item for item in toolkit if item.kind != CHECKLIST_KIND)


def checklist_items(toolkit: Sequence[ToolkitItem]) -> tuple[ToolkitItem, ...]:
    return tuple(item for item in toolkit if item.kind == CHECKLIST_KIND)


class PlaybookMatcher:
    """Per-call matcher of card entries (every kind but ``checklist``).

    Trigger phrases are tried first; only an utterance that no phrase of an entry its
    speaker may trigger matches is compared by meaning with the entries' examples.
    """

    STATE_VERSION = 1

    def __init__(self, toolkit: Sequence[ToolkitItem]) -> None:
        self._last_fired_ms: dict[str, int] = {}
        self._count: dict[str, int] = {}
        self._before: dict[str, int | None] = {}  # last fired before the latest firing
        self.use(toolkit)

    def use(self, toolkit: Sequence[ToolkitItem]) -> None:
        """Match against ``toolkit`` from now on (cooldowns and counts are kept by entry id)."""
        self._compiled = compile_toolkit(card_items(toolkit))
        # A new toolkit's classifier is trained here (seconds): never on the event loop.
        self._moments: MomentIndex | None = offload(moment_index, self._compiled.items)

    def match(
        self,
        utterance: Utterance,
        tokens: Sequence[str] | None = None,
        limit: int | None = None,
        *,
        margin: float = 0.0,
        exclude: frozenset[str] = frozenset(),
        meaning: bool = True,
    ) -> list[ToolkitItem]:
        """Entries this utterance triggers now, most specific first; records them as fired.

        ``tokens`` lets the caller pass ``normalize(utterance.text)`` it already has;
        ``limit`` caps the cards per utterance (entries past it are not recorded);
        ``margin`` raises the thresholds by meaning (interims); ``exclude`` names entry
        ids already carded for this utterance; ``meaning=False`` tries phrases only.
        """
        if tokens is None:
            tokens = normalize(utterance.text)
        found = self.detect(utterance, tokens, margin=margin, meaning=meaning) or []
        return self.fire(utterance, found, limit, exclude)

    def detect(
        self,
        utterance: Utterance,
        tokens: Sequence[str],
        *,
        margin: float = 0.0,
        meaning: bool = True,
    ) -> list[ToolkitItem] | None:
        """The moments this utterance is, before cooldowns and caps, most specific first;
        None when only meaning could tell and ``meaning`` is False (no verdict)."""
        return self.judge(utterance, tokens, margin=margin, meaning=meaning)[0]

    def judge(
        self,
        utterance: Utterance,
        tokens: Sequence[str],
        *,
        margin: float = 0.0,
        meaning: bool = True,
    ) -> tuple[list[ToolkitItem] | None, MomentScore | None]:
        """:meth:`detect`'s verdict, plus the closest entry by meaning when it was compared
        by meaning (whether that entry fires or not). Phrases decide first, then the
        text's meaning, then the recognizer's next-best readings (:meth:`_alternative`)."""
        found = [
            item
            for item, _length in self._compiled.find(tokens)
            if utterance.source in item.speakers
        ]
        if found:
            return found, None
        if not meaning:
            return (None if self.wants_meaning(utterance, tokens) else []), None
        scored = self.by_meaning(utterance, tokens)
        if scored is None:  # too short, or no entry this speaker may trigger by meaning
            return [], None
        if scored.fires_with(margin):
            return [scored.item], scored
        return self._alternative(utterance, tokens, margin), scored

    def _alternative(
        self, utterance: Utterance, tokens: Sequence[str], margin: float
    ) -> list[ToolkitItem]:
        """What the first of :meth:`readings` that is a moment triggers: its phrases, or
        its meaning above the threshold plus :data:`ALTERNATIVE_MARGIN`."""
        readings = self.readings(utterance, tokens)
        if readings and self._moments is not None:
            self._moments.prepare([text for text, _ in readings])  # one pass, if not cached
        for text, words in readings:
            reading = replace(utterance, text=text, alternatives=())
            found = [i for i, _ in self._compiled.find(words) if utterance.source in i.speakers]
            if found:
                return found
            scored = self.by_meaning(reading, words)
            if scored is not None and scored.fires_with(margin + ALTERNATIVE_MARGIN):
                return [scored.item]
        return []

    def fire(
        self,
        utterance: Utterance,
        found: Sequence[ToolkitItem],
        limit: int | None = None,
        exclude: frozenset[str] = frozenset(),
    ) -> list[ToolkitItem]:
        """The detected entries that may card now (cooldown, cap, ``limit``), recorded."""
        fired: list[ToolkitItem] = []
        for item in (i for i in found if i.entry_id not in exclude):
            if limit is not None and len(fired) >= limit:
                break
            if self._allowed(item, utterance):
                self._record(item, utterance.end_ms)
                fired.append(item)
        return fired

    def readings(
        self, utterance: Utterance, tokens: Sequence[str]
    ) -> list[tuple[str, tuple[str, ...]]]:
        """The next-best readings worth trying, with their normalised words: each once,
        none with the same words as the best reading or an earlier one."""
        tried = {tuple(tokens)}
        out: list[tuple[str, tuple[str, ...]]] = []
        for text in utterance.alternatives:
            words = tuple(normalize(text))
            if words not in tried:
                tried.add(words)
                out.append((text, words))
        return out

    def wants_meaning(self, utterance: Utterance, tokens: Sequence[str]) -> bool:
        """Whether :meth:`match` would compare this utterance by meaning (no phrase of an
        entry its speaker may trigger matches, and it is long enough)."""
        if self._moments is None or too_short_for_meaning(tokens):
            return False
        return not any(utterance.source in i.speakers for i, _ in self._compiled.find(tokens))

    def by_meaning(self, utterance: Utterance, tokens: Sequence[str]) -> MomentScore | None:
        """The closest entry by meaning that this speaker may trigger (not yet thresholded)."""
        if self._moments is None or too_short_for_meaning(tokens):
            return None
        negated = self._compiled.negated(tokens)
        allowed = {
            item.entry_id
            for item in self._moments.items
            if utterance.source in item.speakers and item.entry_id not in negated
        }
        if not allowed:
            return None
        return self._moments.closest(utterance.text, allowed)

    def _allowed(self, item: ToolkitItem, utterance: Utterance) -> bool:
        if utterance.source not in item.speakers:
            return False
        if self._count.get(item.entry_id, 0) >= item.max_per_call:
            return False
        last = self._last_fired_ms.get(item.entry_id)
        return last is None or utterance.end_ms - last >= item.cooldown_s * 1000

    def _record(self, item: ToolkitItem, at_ms: int) -> None:
        self._before[item.entry_id] = self._last_fired_ms.get(item.entry_id)
        self._last_fired_ms[item.entry_id] = at_ms
        self._count[item.entry_id] = self._count.get(item.entry_id, 0) + 1

    def release(self, entry_id: str) -> None:
        """Undo the entry's last firing (its card was withdrawn): cooldown and cap as before."""
        if self._count.get(entry_id, 0) <= 0:
            return
        self._count[entry_id] -= 1
        if not self._count[entry_id]:
            del self._count[entry_id]
        before = self._before.pop(entry_id, None)
        if before is None:
            self._last_fired_ms.pop(entry_id, None)
        else:
            self._last_fired_ms[entry_id] = before

    def fired_counts(self) -> dict[str, int]:
        """How many cards each entry produced in this call (entry_id -> count)."""
        return dict(self._count)

    def snapshot(self) -> dict[str, Any]:
        """Cooldowns (last fired, call time) and per-call caps (count) by entry id."""
        return {"last_fired_ms": dict(self._last_fired_ms), "count": dict(self._count)}

    def restore(self, data: dict[str, Any]) -> None:
        self._last_fired_ms = {k: int(v) for k, v in data["last_fired_ms"].items()}
        self._count = {k: int(v) for k, v in data["count"].items()}


def warm_up() -> None:
    """Load the encoder and build the default toolkit's index (server start-up)."""
    started = time.monotonic()
    index = moment_index(card_items(default_toolkit_items()))
    logger.info(
        "moment_detector_ready",
        extra={"ready": index is not None, "seconds": round(time.monotonic() - started, 2)},
    )
