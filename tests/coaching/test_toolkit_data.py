from pathlib import Path
from typing import Any

import pytest
import yaml

from app.errors import ValidationFailed
from app.services.coaching.playbook import PlaybookMatcher
from app.services.coaching.toolkit_data import default_toolkit_items, to_items
from app.services.toolkit import load_default_entries, parse_entries

from .helpers import utt


def good(**changes: Any) -> dict[str, Any]:
    entry = {
        "kind": "objection",
        "name": "price",
        "title": "Price",
        "triggers": ["too expensive"],
        "talk_track": "Reframe on value.",
    }
    entry.update(changes)
    return entry


def load_default_toolkit() -> list[dict[str, Any]]:
    return load_default_entries()


def validate_entry(entry: dict[str, Any]) -> dict[str, Any]:
    return parse_entries([entry], "test")[0]


def test_default_toolkit_loads_and_validates() -> None:
    entries = load_default_toolkit()
    kinds = {entry["kind"] for entry in entries}
    assert kinds == {"opener", "objection", "discovery", "signal", "closing", "checklist"}
    assert len({entry["name"] for entry in entries}) == len(entries)


def test_default_toolkit_has_the_expected_objections_and_checklist() -> None:
    names = {entry["name"] for entry in load_default_toolkit()}
    for objection in ("price", "competitor", "timing", "authority", "no-need", "trust"):
        assert f"objection-{objection}" in names
    assert {"budget", "authority", "need", "timeline", "next-step"} <= names


def test_default_toolkit_matches_the_price_sentence_from_the_prospect() -> None:
    matcher = PlaybookMatcher(default_toolkit_items())
    matched = matcher.match(utt("I think your price is too expensive for us", 0, 3, "prospect"))
    assert [item.name for item in matched][:1] == ["objection-price"]


def test_default_toolkit_does_not_fire_price_for_a_negated_sentence() -> None:
    matcher = PlaybookMatcher(default_toolkit_items())
    matched = matcher.match(utt("To be fair it's not too expensive", 0, 3, "prospect"))
    assert "objection-price" not in [item.name for item in matched]


def test_default_items_get_stable_ids() -> None:
    assert default_toolkit_items()[0].entry_id.startswith("default:")


def test_optional_fields_get_defaults() -> None:
    entry = validate_entry(good())
    assert entry["speakers"] == ["prospect"]
    assert entry["negative_triggers"] == []
    assert entry["cooldown_s"] == 60.0
    assert entry["max_per_call"] == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "rumour"}, "kind"),
        ({"triggers": []}, "triggers"),
        ({"triggers": ["?!"]}, "triggers"),
        ({"speakers": ["coach"]}, "speakers"),
        ({"cooldown_s": -1}, "cooldown_s"),
        ({"max_per_call": 0}, "max_per_call"),
        ({"max_per_call": 1.5}, "max_per_call"),
        ({"talk_track": ""}, "talk_tracks"),
        ({"talk_tracks": [{"when_to_use": "always"}]}, "talk_tracks"),
        ({"title": 5}, "title"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_entry_is_refused_naming_the_entry_and_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationFailed) as err:
        validate_entry(good(**changes))
    assert err.value.code == "invalid_toolkit"
    assert list(err.value.fields["entries"][0]) == [field]


def test_entry_without_a_slug_name_is_named_by_position() -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_entries([good(), good(name="Not A Slug")], "test")
    assert list(err.value.fields["entries"]) == [1]


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_entries([good(), good()], "test")
    assert "unique" in err.value.message


def test_checklist_entries_may_omit_the_talk_track() -> None:
    entry = validate_entry(
        {"kind": "checklist", "name": "budget", "title": "Budget", "triggers": ["budget"]}
    )
    assert entry["talk_track"] == ""


def test_file_that_is_not_a_list_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed):
        parse_entries(yaml.safe_load("entries: nope\n"), "toolkit.yaml")


def test_a_single_talk_track_becomes_the_only_track_and_talk_track_mirrors_the_first() -> None:
    legacy = validate_entry(good(talk_track="Say this."))
    assert legacy["talk_tracks"] == [{"text": "Say this.", "when_to_use": ""}]
    several = validate_entry(
        good(
            talk_track="ignored",
            talk_tracks=[
                {"text": "First.", "when_to_use": "Early on"},
                {"text": "Second."},
            ],
        )
    )
    assert several["talk_track"] == "First."
    assert [t["when_to_use"] for t in several["talk_tracks"]] == ["Early on", ""]


def test_panel_kinds_need_no_triggers_but_card_kinds_do() -> None:
    assert validate_entry(good(kind="reference", triggers=[]))["triggers"] == []
    with pytest.raises(ValidationFailed):
        validate_entry(good(kind="closing", triggers=[]))


def test_items_carry_every_talk_track_in_order() -> None:
    [item] = to_items([validate_entry(good(talk_tracks=[{"text": "A"}, {"text": "B"}]))])
    assert [t.text for t in item.talk_tracks] == ["A", "B"] and item.talk_track == "A"
