"""Redaction of numbers as recognizers and people write them (app/services/redaction)."""

from __future__ import annotations

import pytest

from app.services.redaction import ALL_KINDS, Kind, Redactor
from app.services.redaction.numbers import number_runs
from app.services.redaction.transcript import redact_result
from app.services.transcription.base import TranscriptResult, Word

EVERYTHING = Redactor(ALL_KINDS)
DEFAULT = Redactor()


@pytest.mark.parametrize(
    "written",
    [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4111111111111111",
        "4,111,111,111,111,111,111,111",  # the local recognizer, digits repeated
        "4-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1",
        "four one one one one one one one one one one one one one one one",
        "four one one one, double one one one, one one one one, one one one one",
        "forty one eleven, eleven eleven, eleven eleven, eleven eleven",
        "5500 0000 0000 0004",
        "3782 822463 10005",
    ],
)
def test_card_numbers_as_recognizers_write_them_become_a_placeholder(written: str) -> None:
    redacted = DEFAULT.text(f"sure, my card is {written} and it expires soon")
    assert redacted == "sure, my card is [card number] and it expires soon"


def test_a_sixteen_digit_number_failing_the_luhn_check_is_kept() -> None:
    assert DEFAULT.text("order 1234 5678 9012 3456") == "order 1234 5678 9012 3456"


@pytest.mark.parametrize(
    "written",
    ["123-45-6789", "123 45 6789", "123456789", "one two three four five six seven eight nine"],
)
def test_us_social_security_numbers_are_redacted_by_default(written: str) -> None:
    assert DEFAULT.text(f"my social is {written}.") == "my social is [ssn]."


def test_numbers_that_cannot_be_an_ssn_are_kept() -> None:
    assert (
        DEFAULT.text("ticket 000-12-3456 and 666-12-3456") == "ticket 000-12-3456 and 666-12-3456"
    )


def test_ordinary_numbers_of_a_sales_call_are_kept() -> None:
    said = "we have 20 users, 300 seats, a budget of $45,000 in 2025 and forty two sites"
    assert EVERYTHING.text(said) == said


def test_kinds_not_chosen_by_the_team_are_left_alone() -> None:
    said = "call me on +44 20 7946 0958 or write to jo@example.com"
    assert DEFAULT.text(said) == said
    assert EVERYTHING.text(said) == "call me on [phone number] or write to [email]"


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("call (415) 555-2671 today", "call [phone number] today"),
        ("call four one five, five five five, two six seven one", "call [phone number]"),
        ("IBAN GB82 WEST 1234 5698 7654 32 thanks", "IBAN [iban] thanks"),
        ("iban DE89370400440532013000.", "iban [iban]."),
        ("the account number is 12345678", "the account number is [bank account]"),
        ("routing number 021000021", "routing number [bank account]"),
        ("jane dot doe at acme dot com", "[email]"),
    ],
)
def test_each_optional_kind_gets_its_typed_placeholder(said: str, expected: str) -> None:
    assert EVERYTHING.text(said) == expected


def test_other_national_identifiers_are_redacted_when_chosen() -> None:
    said = "my SIN is 130 692 544"
    assert Redactor([Kind.CA_SIN]).text(said) == "my SIN is [national id]"
    assert Redactor([Kind.CA_SIN]).text("SIN 130 692 545") == "SIN 130 692 545"


def test_an_iban_with_a_wrong_check_digit_is_kept() -> None:
    assert EVERYTHING.text("GB83 WEST 1234 5698 7654 32") == "GB83 WEST 1234 5698 7654 32"


def test_no_kinds_means_no_redaction() -> None:
    assert Redactor([]).text("4111 1111 1111 1111") == "4111 1111 1111 1111"


def test_spoken_digit_words_spell_their_digits() -> None:
    runs = list(number_runs("Oh, double four triple nine, four hundred fifteen, twenty"))
    assert [r.digits for r in runs] == ["44999415" + "20"]
    assert runs[0].start == 4  # the leading "Oh," is not part of the number


def test_a_result_is_redacted_in_its_text_and_its_timed_words() -> None:
    said = "my card is 4111 1111 1111 1111 thanks"
    words = tuple(Word(t, i * 100, i * 100 + 90) for i, t in enumerate(said.split()))
    result = redact_result(DEFAULT, TranscriptResult(said, True, 0, 900, 0.9, words))
    assert result.text == "my card is [card number] thanks"
    assert [w.text for w in result.words] == ["my", "card", "is", "[card number]", "thanks"]
    assert (result.words[3].start_ms, result.words[3].end_ms) == (300, 690)


def test_the_next_best_readings_are_redacted_like_the_text() -> None:
    said = "my card is 4111 1111 1111 1111 thanks"
    readings = ("my car is 4111 1111 1111 1111 thanks", "my card is for one one thanks")
    redacted = redact_result(
        DEFAULT, TranscriptResult(said, True, 0, 900, 0.9, alternatives=readings)
    )
    assert redacted.alternatives == ("my car is [card number] thanks", readings[1])
    clean = TranscriptResult(
        "hello there", True, 0, 900, 0.9, alternatives=("my social is 123-45-6789",)
    )
    assert "6789" not in redact_result(DEFAULT, clean).alternatives[0]


def test_a_result_without_sensitive_text_is_returned_unchanged() -> None:
    result = TranscriptResult("hello there", False, 0, 100, 0.5)
    assert redact_result(DEFAULT, result) is result


def test_an_interim_hides_a_number_still_being_said() -> None:
    interim = TranscriptResult("My card number is 4,111,111,111", False, 0, 900, 0.5)
    assert redact_result(DEFAULT, interim).text == "My card number is [number]"
    final = TranscriptResult("Order 4,111,111,111 shipped", True, 0, 900, 0.5)
    assert redact_result(DEFAULT, final).text == "Order 4,111,111,111 shipped"
    short = TranscriptResult("about 20,000 seats", False, 0, 900, 0.5)
    assert redact_result(DEFAULT, short).text == "about 20,000 seats"
    assert redact_result(Redactor([Kind.EMAIL]), interim).text == interim.text


def test_an_interim_that_ends_on_digits_hides_them_until_the_number_is_complete() -> None:
    # A partial can stop after the first group of a card number read out group by group.
    first_group = TranscriptResult("My card number is 4111", False, 0, 900, 0.5)
    assert redact_result(DEFAULT, first_group).text == "My card number is [number]"
    spelled = TranscriptResult("the number is 4-1-1.", False, 0, 900, 0.5)
    assert redact_result(DEFAULT, spelled).text == "the number is [number]."
    # The final is judged as a whole: four digits alone are no card number.
    final = TranscriptResult("My card number is 4111", True, 0, 900, 0.5)
    assert redact_result(DEFAULT, final).text == final.text
    # Short numbers inside a partial, or two digits at its end, stay readable.
    assert redact_result(DEFAULT, TranscriptResult("we have 250 reps", False, 0, 1, 0.5)).text == (
        "we have 250 reps"
    )
    tail = TranscriptResult("we have about 12", False, 0, 900, 0.5)
    assert redact_result(DEFAULT, tail).text == tail.text


def test_kind_names_are_the_documented_settings_values() -> None:
    assert {k.value for k in ALL_KINDS} == {
        "card", "us_ssn", "ca_sin", "nl_bsn", "iban", "bank_account", "phone", "email"
    }  # fmt: skip


def test_a_redactor_failure_keeps_the_utterance_with_its_digits_masked(monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise RuntimeError("4111 1111 1111 1111")

    monkeypatch.setattr(DEFAULT, "spans", broken)
    said = TranscriptResult(
        "card 4111 1111 1111 1111 and call me", True, 0, 900, 0.9, alternatives=("card 4111",)
    )
    result = redact_result(DEFAULT, said)
    assert result.text == "card [number] and call me" and result.is_final
    assert result.alternatives == ()  # readings that could not be redacted are dropped
    assert "4111" not in caplog.text
