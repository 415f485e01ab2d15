"""The kinds of sensitive text a team can redact, and the placeholder each becomes."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    CARD = "card"  # payment card numbers (Luhn-checked)
    US_SSN = "us_ssn"  # national identifiers: the supported list is the NATIONAL_IDS keys
    CA_SIN = "ca_sin"
    NL_BSN = "nl_bsn"
    IBAN = "iban"
    BANK_ACCOUNT = "bank_account"
    PHONE = "phone"
    EMAIL = "email"
    NUMBER = "number"  # interims only: a long run not classified yet (never a team setting)


PLACEHOLDERS: dict[Kind, str] = {
    Kind.CARD: "[card number]",
    Kind.US_SSN: "[ssn]",
    Kind.CA_SIN: "[national id]",
    Kind.NL_BSN: "[national id]",
    Kind.IBAN: "[iban]",
    Kind.BANK_ACCOUNT: "[bank account]",
    Kind.PHONE: "[phone number]",
    Kind.EMAIL: "[email]",
    Kind.NUMBER: "[number]",
}
NATIONAL_IDS = (Kind.US_SSN, Kind.CA_SIN, Kind.NL_BSN)
DEFAULT_KINDS: frozenset[Kind] = frozenset((Kind.CARD, Kind.US_SSN))
ALL_KINDS = tuple(k for k in Kind if k is not Kind.NUMBER)  # what a team can choose
NUMBER_KINDS = frozenset(ALL_KINDS) - {Kind.EMAIL}
