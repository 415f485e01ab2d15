"""Cards on interim transcripts: fire early, never twice for one utterance, link to its final.

An interim is matched once it is *stable enough*: at least :attr:`InterimSettings.min_words`
words and grown since the last interim matched for the same utterance (so a recognizer
repeating the same partial costs nothing). A card fired on an interim is emitted at once
as ``pending``; when the final of that utterance arrives (the next final of the same
source) the card is stored and sent again with the final's ``utterance_id``, and the
final does not card the same entry again. A card the final does not confirm (the final
is another moment, or none) is withdrawn instead: stored as withdrawn, and clients are
told to drop it. A final that fires nothing but still *leans* to the card's entry (its
closest entry by meaning, below the threshold yet above ``keep_floor``) keeps the card: the
recognizer's final often rewrites a word of the partial, and that is no contradiction.
State is per source and small: the current utterance's interim id, the last matched word
count and the pending cards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from app.events import WithdrawReason
from app.services.coaching.base import SuggestionEvent, ToolkitItem, Utterance


@dataclass(frozen=True)
class InterimSettings:
    enabled: bool = True
    min_words: int = 4  # shorter partials are too ambiguous to card
    margin: float = 0.3  # a match by meaning on an interim needs threshold + margin (0.1: more
    # wrong early cards, which also put the right entry on cooldown; docs/coaching.md)
    keep_floor: float = 0.1  # a final that is no moment still keeps the interim's card when
    # its own closest entry is that card's with at least this confidence (docs/coaching.md)


@dataclass(frozen=True)
class Withdrawal:
    """An interim's card its final did not confirm (linked to the final, to store)."""

    card: SuggestionEvent
    reason: WithdrawReason


@dataclass
class _Open:
    interim_id: str
    words: int = 0
    cards: list[SuggestionEvent] = field(default_factory=list)


class InterimCards:
    """Per-call bookkeeping of cards fired on interims, by source."""

    def __init__(self, settings: InterimSettings) -> None:
        self.settings = settings
        self._open: dict[str, _Open] = {}

    def should_match(self, utterance: Utterance) -> bool:
        """Whether this interim is worth matching (and remember that it was)."""
        if not self.settings.enabled:
            return False
        words = len(utterance.text.split())
        current = self._open.get(utterance.source)
        if current is None or current.interim_id != utterance.utterance_id:
            current = self._open[utterance.source] = _Open(utterance.utterance_id)
        if words < self.settings.min_words or words <= current.words:
            return False
        current.words = words
        return True

    def add(self, utterance: Utterance, card: SuggestionEvent) -> None:
        self._open[utterance.source].cards.append(card)

    def carded_entries(self, source: str) -> set[str]:
        current = self._open.get(source)
        return {c.entry_id for c in current.cards if c.entry_id} if current else set()

    def settle(
        self, final: Utterance, found: Sequence[ToolkitItem] | None, leaning: str | None = None
    ) -> tuple[list[SuggestionEvent], list[Withdrawal]]:
        """The cards fired on this final's interims, linked to the final: those ``found``
        in the final confirms (kept) and the others (withdrawn). ``found`` None: the final
        could not be judged (phrases only, no hit), so every card is kept. ``leaning``: the
        entry id a final that found nothing still leans to; its card is kept."""
        current = self._open.pop(final.source, None)
        if current is None:
            return [], []
        if found is None:
            confirmed = None
        else:
            confirmed = {item.entry_id for item in found} or ({leaning} if leaning else set())
        kept: list[SuggestionEvent] = []
        withdrawn: list[Withdrawal] = []
        for card in current.cards:
            linked = replace(card, trigger_utterance_id=final.utterance_id, pending=False)
            if confirmed is None or card.entry_id in confirmed:
                kept.append(linked)
            else:
                withdrawn.append(Withdrawal(linked, _reason(bool(confirmed))))
        return kept, withdrawn

    def unsettled(self) -> list[SuggestionEvent]:
        """Cards whose final never came (the call ended mid-utterance), to store as they are."""
        cards = [card for current in self._open.values() for card in current.cards]
        self._open.clear()
        return [replace(card, pending=False) for card in cards]


def _reason(final_matched: bool) -> WithdrawReason:
    return WithdrawReason.FINAL_DIFFERS if final_matched else WithdrawReason.FINAL_UNMATCHED
