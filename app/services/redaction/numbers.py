"""Runs of numbers as speech recognition writes them, with their spans in the text.

Recognizers write a spoken card number as digit groups ("4111 1111 1111 1111"), with
thousands commas ("4,111,111,111,111,111"), with dashes ("4-1-1-1"), or in words
("four one one one", "double four", "forty one"). A *run* is a stretch of such tokens
joined only by separators; :func:`number_runs` yields each with the digits it spells.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 2, "thirty": 3, "forty": 4, "fifty": 5,
    "sixty": 6, "seventy": 7, "eighty": 8, "ninety": 9,
}  # fmt: skip
REPEATS = {"double": 2, "triple": 3}
_WORDS = "|".join(sorted([*UNITS, *TEENS, *TENS, *REPEATS, "hundred"], key=len, reverse=True))
_TOKEN = rf"(?:\d+|\b(?:{_WORDS})\b)"
_SEPARATOR = r"[\s,.\-/()]+"
RUN = re.compile(rf"[+(]?{_TOKEN}(?:{_SEPARATOR}{_TOKEN})*", re.IGNORECASE)
_PIECE = re.compile(rf"\d+|{_WORDS}", re.IGNORECASE)
_NOT_A_START = frozenset(("oh", "hundred"))


@dataclass(frozen=True)
class NumberRun:
    start: int
    end: int
    digits: str
    plus: bool  # written with a leading "+" (an international phone number)


def _two_digit(tokens: list[str], i: int) -> tuple[str, int] | None:
    """A spoken one- or two-digit value at ``tokens[i]`` ("fifteen", "forty two")."""
    word = tokens[i]
    if word in TEENS:
        return str(TEENS[word]), i + 1
    if word in TENS:
        if i + 1 < len(tokens) and tokens[i + 1] in UNITS:
            return f"{TENS[word]}{UNITS[tokens[i + 1]]}", i + 2
        return f"{TENS[word]}0", i + 1
    if word in UNITS:
        return str(UNITS[word]), i + 1
    return None


def spell_digits(tokens: list[str]) -> str:
    """The digits that lower-cased run tokens spell ("double", "hundred" included)."""
    out: list[str] = []
    repeat, i = 1, 0
    while i < len(tokens):
        word = tokens[i]
        if word in REPEATS:
            repeat, i = REPEATS[word], i + 1
            continue
        if word == "hundred":
            value = _two_digit(tokens, i + 1) if i + 1 < len(tokens) else None
            out.append(value[0].zfill(2) if value else "00")
            i = value[1] if value else i + 1
        elif word.isdigit():
            out.append(word[0] * (repeat - 1) + word)
            i += 1
        else:
            value = _two_digit(tokens, i)
            assert value is not None  # every word token is in the tables above
            out.append(value[0][0] * (repeat - 1) + value[0])
            i = value[1]
        repeat = 1
    return "".join(out)


def number_runs(text: str) -> Iterator[NumberRun]:
    for match in RUN.finditer(text):
        pieces = list(_PIECE.finditer(match.group()))
        skipped = 0
        while skipped < len(pieces) and pieces[skipped].group().lower() in _NOT_A_START:
            skipped += 1  # "Oh, one more thing": a run starts on a value
        digits = spell_digits([p.group().lower() for p in pieces[skipped:]])
        if not digits:
            continue
        start = match.start() + (pieces[skipped].start() if skipped else 0)
        yield NumberRun(start, match.end(), digits, match.group().startswith("+"))
