"""Finders of sensitive spans in one text; each returns ``(start, end, kind)`` triples.

Validation is by maintained libraries: python-stdnum (Luhn, IBAN mod 97, SSN/SIN/BSN
rules, ABA routing numbers) and phonenumbers (Google's libphonenumber metadata). The
only patterns written here find *candidates* (number runs, IBAN-shaped words, e-mail
shapes); nothing is redacted on a pattern alone except e-mail addresses and numbers the
bank-account rule finds next to the word "account" or "routing".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

import phonenumbers
from stdnum import iban, luhn
from stdnum.ca import sin
from stdnum.nl import bsn
from stdnum.us import ssn

from app.services.redaction.kinds import Kind
from app.services.redaction.numbers import NumberRun

Span = tuple[int, int, Kind]
CARD_LENGTHS = range(13, 20)
ACCOUNT_LENGTHS = range(6, 18)
PHONE_MIN_DIGITS = 7
UNDECIDED_MIN_DIGITS = 6
TRAILING_MIN_DIGITS = 3  # a run that ends a partial may be the first group of a longer one
_ID_CHECKS: dict[Kind, Callable[[str], bool]] = {
    Kind.US_SSN: ssn.is_valid,
    Kind.CA_SIN: sin.is_valid,
    Kind.NL_BSN: bsn.is_valid,
}
_ACCOUNT_CONTEXT = re.compile(r"\b(?:account|acct|routing|sort code)\b[^.?!]{0,30}$", re.I)
_IBAN = re.compile(r"\b[A-Z]{2} ?\d{2}(?:[ -]?[A-Z0-9]){11,32}", re.I)
_GROUP = re.compile(r"[A-Z0-9]+", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TLDS = "com|net|org|io|co|uk|de|fr|nl|ca|us|edu|gov|info|biz|ai|app|dev"
_SPOKEN_EMAIL = re.compile(
    rf"\b[\w.+-]+(?: dot [\w-]+)* at [\w-]+(?: dot [\w-]+)*? dot (?:{_TLDS})\b", re.I
)


def _luhn_window(digits: str) -> bool:
    """Some 13–19-digit stretch of ``digits`` passes the Luhn check (confirmed by stdnum).

    Prefix sums make each window's Luhn sum one subtraction: ``doubled[p][k]`` sums the
    first ``k`` digits with those at positions of parity ``p`` doubled, and a window
    ending before ``end`` doubles exactly the positions of parity ``end % 2``."""
    doubled: tuple[list[int], list[int]] = ([0], [0])
    for k, ch in enumerate(digits):
        value = ord(ch) - 48
        twice = value * 2 - 9 if value > 4 else value * 2
        for parity in (0, 1):
            doubled[parity].append(doubled[parity][-1] + (twice if k % 2 == parity else value))
    for end in range(CARD_LENGTHS.start, len(digits) + 1):
        sums = doubled[end % 2]
        for length in CARD_LENGTHS:
            start = end - length
            window_passes = start >= 0 and (sums[end] - sums[start]) % 10 == 0
            if window_passes and luhn.is_valid(digits[start:end]):
                return True
    return False


def card(run: NumberRun, text: str) -> bool:
    """Exactly a card number: 13–19 digits passing the Luhn check."""
    return len(run.digits) in CARD_LENGTHS and luhn.is_valid(run.digits)


def card_within(run: NumberRun, text: str) -> bool:
    """A run longer than any card holding a Luhn-valid stretch of card length:
    recognizers repeat and merge digit groups ("4,111,111,111,111,111,111,111"), and a
    card said with its expiry date is one run."""
    return len(run.digits) > CARD_LENGTHS.stop - 1 and _luhn_window(run.digits)


def bank_account(run: NumberRun, text: str) -> bool:
    """6–17 digits said right after "account", "routing" or "sort code"."""
    if len(run.digits) not in ACCOUNT_LENGTHS:
        return False
    return _ACCOUNT_CONTEXT.search(text, max(0, run.start - 60), run.start) is not None


def national_id(kind: Kind) -> Callable[[NumberRun, str], bool]:
    check = _ID_CHECKS[kind]
    return lambda run, text: len(run.digits) == 9 and check(run.digits)


def phone(region: str) -> Callable[[NumberRun, str], bool]:
    def is_phone(run: NumberRun, text: str) -> bool:
        if len(run.digits) < PHONE_MIN_DIGITS:
            return False
        try:
            number = phonenumbers.parse(("+" if run.plus else "") + run.digits, region)
        except phonenumbers.NumberParseException:
            return False
        return bool(phonenumbers.is_valid_number(number))

    return is_phone


def undecided(run: NumberRun, text: str) -> bool:
    """In an interim, a run that may be the start of a number still being said: a long
    one anywhere, or a shorter one the partial ends with ("my card number is 4111")."""
    if len(run.digits) >= UNDECIDED_MIN_DIGITS:
        return True
    trailing = not any(ch.isalnum() for ch in text[run.end :])
    return trailing and len(run.digits) >= TRAILING_MIN_DIGITS


def ibans(text: str) -> Iterator[Span]:
    """IBAN-shaped stretches, cut to the longest prefix ending with a written group that
    passes the IBAN checks (country format and mod 97)."""
    for match in _IBAN.finditer(text):
        raw = match.group()
        group_ends = [m.end() for m in _GROUP.finditer(raw)]
        for end in reversed(group_ends):
            if 15 <= sum(ch.isalnum() for ch in raw[:end]) <= 34 and iban.is_valid(raw[:end]):
                yield match.start(), match.start() + end, Kind.IBAN
                break


def emails(text: str) -> Iterator[Span]:
    for pattern in (_EMAIL, _SPOKEN_EMAIL):
        for match in pattern.finditer(text):
            yield match.start(), match.end(), Kind.EMAIL


def run_spans(
    runs: Iterable[NumberRun],
    text: str,
    checks: list[tuple[Kind, Callable[[NumberRun, str], bool]]],
) -> Iterator[Span]:
    """Each run gets the first kind whose check accepts it (checks in priority order)."""
    for run in runs:
        for kind, check in checks:
            if check(run, text):
                yield run.start, run.end, kind
                break
