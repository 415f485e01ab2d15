"""The live coach's playbook cards: stable interims carded early, finals, re-matches.

A card shown for a stable interim is ``pending`` until its final arrives: then it is sent
again as stored if the final is the same moment (or, firing nothing, still leans to it),
else withdrawn (its firing undone, so the entry's cooldown and cap are as if it never
fired). A final gets at most
``max_cards_per_utterance`` cards in all, its interims' confirmed cards included. The
caller (:class:`~app.services.coaching.coach.LiveCallCoach`) holds the lock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from app.services.coaching.base import CoachingSink, SuggestionEvent, ToolkitItem, Utterance
from app.services.coaching.coach_parts import CoachSettings, playbook_card
from app.services.coaching.interim import InterimCards
from app.services.coaching.moments import MomentScore
from app.services.coaching.playbook import PlaybookMatcher


class PlaybookCards:
    """Matches transcripts against the toolkit and sends their cards through ``sink``."""

    def __init__(
        self,
        call_id: str,
        toolkit: tuple[ToolkitItem, ...],
        sink: CoachingSink,
        settings: CoachSettings,
        clock: Callable[[], float],
    ) -> None:
        self._call_id = call_id
        self._toolkit = toolkit
        self._sink = sink
        self._settings = settings
        self._clock = clock
        self.matcher = PlaybookMatcher(toolkit)
        self._interim = InterimCards(settings.interim)

    def use(self, toolkit: tuple[ToolkitItem, ...]) -> None:
        """Follow a changed toolkit from now on."""
        self._toolkit = toolkit
        self.matcher.use(toolkit)

    def on_interim(self, utterance: Utterance, meaning: bool) -> bool:
        """Card a stable interim (pending); True when cards were sent."""
        if not self._interim.should_match(utterance):
            return False
        carded = self._interim.carded_entries(utterance.source)
        room = self._settings.max_cards_per_utterance - len(carded)
        if room <= 0:
            return False
        matched = self.matcher.match(
            utterance,
            limit=room,
            margin=self._settings.interim.margin,
            exclude=frozenset(carded),
            meaning=meaning,
        )
        for item in matched:
            card = replace(self._card(utterance, item), pending=True)
            self._interim.add(utterance, card)
            self._sink.suggestion(card)
        return bool(matched)

    def on_final(
        self, utterance: Utterance, tokens: Sequence[str], meaning: bool
    ) -> tuple[list[ToolkitItem], list[ToolkitItem]]:
        """Settle the interim's cards, card the final; returns (newly matched, all carded)."""
        found, closest = self.matcher.judge(utterance, tokens, meaning=meaning)
        early, withdrawn = self._interim.settle(utterance, found, self._leaning(found, closest))
        for gone in withdrawn:
            if gone.card.entry_id:
                self.matcher.release(gone.card.entry_id)
            self._sink.withdrawn(gone.card, gone.reason)
        for card in early:
            self._sink.suggestion(card)
        carded = frozenset(card.entry_id for card in early if card.entry_id)
        matched = self.matcher.fire(
            utterance,
            found or [],
            limit=self._settings.max_cards_per_utterance - len(carded),
            exclude=carded,
        )
        for item in matched:
            self._sink.suggestion(self._card(utterance, item))
        known = {item.entry_id: item for item in self._toolkit}
        return matched, [known[e] for e in carded if e in known] + matched

    def _leaning(self, found: list[ToolkitItem] | None, closest: MomentScore | None) -> str | None:
        """The entry a final that fired nothing is still closest to, when its pending card
        should stay (the final's own score: it is not compared a second time)."""
        if found != [] or closest is None:
            return None
        return closest.item.entry_id if closest.score >= self._settings.interim.keep_floor else None

    def rematch(self, line: Utterance, tokens: Sequence[str]) -> None:
        """Match a line again (its speaker was corrected) and send its cards."""
        for item in self.matcher.match(line, tokens, limit=self._settings.max_cards_per_utterance):
            self._sink.suggestion(self._card(line, item))

    def flush(self) -> None:
        """At the end: send the interims' cards whose final never came."""
        for card in self._interim.unsettled():
            self._sink.suggestion(card)

    def _card(self, utterance: Utterance, item: ToolkitItem) -> SuggestionEvent:
        return playbook_card(self._call_id, utterance, item, self._clock())
