"""Redaction of sensitive numbers and addresses in transcripts and typed text.

One :class:`Redactor` per call (or per team setting) replaces every span of an enabled
kind with its typed placeholder (``[card number]``, ``[ssn]``, …). The live pipeline
calls it once per recognizer result, before anything is stored, emitted, coached or
indexed (:mod:`app.services.redaction.transcript`); typed call titles, goals, notes and
whispers go through :meth:`Redactor.text`. docs/security.md lists what is found and the
known limits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from app.services.redaction import detectors
from app.services.redaction.detectors import Span
from app.services.redaction.kinds import (
    ALL_KINDS,
    DEFAULT_KINDS,
    NATIONAL_IDS,
    NUMBER_KINDS,
    PLACEHOLDERS,
    Kind,
)
from app.services.redaction.numbers import NumberRun, number_runs

DEFAULT_PHONE_REGION = "US"
RunCheck = Callable[[NumberRun, str], bool]


class Redactor:
    """Redacts the kinds it was built with; cheap to build, safe to share between threads."""

    def __init__(
        self, kinds: Iterable[Kind | str] = DEFAULT_KINDS, phone_region: str = DEFAULT_PHONE_REGION
    ) -> None:
        self.kinds = frozenset(Kind(k) for k in kinds) - {Kind.NUMBER}
        self._checks = self._run_checks(phone_region)
        self._interim_checks = self._checks + (
            [(Kind.NUMBER, detectors.undecided)] if self.kinds & NUMBER_KINDS else []
        )

    def _run_checks(self, phone_region: str) -> list[tuple[Kind, RunCheck]]:
        """Number-run checks in priority order (a run gets the first kind that fits)."""
        ordered: list[tuple[Kind, RunCheck]] = [
            (Kind.CARD, detectors.card),
            (Kind.BANK_ACCOUNT, detectors.bank_account),
            (Kind.CARD, detectors.card_within),
            *((kind, detectors.national_id(kind)) for kind in NATIONAL_IDS),
            (Kind.PHONE, detectors.phone(phone_region)),
        ]
        return [(kind, check) for kind, check in ordered if kind in self.kinds]

    def spans(self, text: str, interim: bool = False) -> list[Span]:
        """Non-overlapping sensitive spans of ``text``, in order. An ``interim`` (a
        hypothesis still growing) also hides long runs no kind claims yet as ``[number]``:
        the first digits of a card number are not a card number yet."""
        checks = self._interim_checks if interim else self._checks
        found: list[Span] = []
        if Kind.IBAN in self.kinds:
            found.extend(detectors.ibans(text))
        if Kind.EMAIL in self.kinds:
            found.extend(detectors.emails(text))
        if checks:
            found.extend(detectors.run_spans(number_runs(text), text, checks))
        return _without_overlaps(found)

    def text(self, text: str) -> str:
        """``text`` with each sensitive span replaced by its placeholder."""
        if not text or not self.kinds:
            return text
        return apply(text, self.spans(text))


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """Earliest first; of overlapping spans the one starting first (then longest) wins."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def apply(text: str, spans: list[Span]) -> str:
    if not spans:
        return text
    out, cursor = [], 0
    for start, end, kind in spans:
        out.append(text[cursor:start])
        out.append(PLACEHOLDERS[kind])
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


__all__ = ["ALL_KINDS", "DEFAULT_KINDS", "PLACEHOLDERS", "Kind", "Redactor", "apply"]
