from app.services.coaching.playbook import PlaybookMatcher

from .helpers import item, utt

PRICE = item("price", ["too expensive", "over our budget"], negative=["not too expensive"])


def names(items: list) -> list[str]:
    return [i.name for i in items]


def test_trigger_matches_regardless_of_case_punctuation_and_variants() -> None:
    matcher = PlaybookMatcher([item("price", ["prices seem too high"])])
    assert names(matcher.match(utt("Honestly, the PRICING seems TOO high.", 0, 2))) == ["price"]


def test_contraction_in_utterance_matches_expanded_trigger() -> None:
    matcher = PlaybookMatcher([item("noneed", ["we do not need"])])
    assert names(matcher.match(utt("We don't need it", 0, 2))) == ["noneed"]


def test_negative_phrase_suppresses_the_entry() -> None:
    matcher = PlaybookMatcher([PRICE])
    assert matcher.match(utt("It's not too expensive at all", 0, 2)) == []
    assert names(matcher.match(utt("It's too expensive", 3, 4))) == ["price"]


def test_speaker_filter_ignores_the_rep_for_prospect_entries() -> None:
    matcher = PlaybookMatcher([PRICE])
    assert matcher.match(utt("Some say it's too expensive", 0, 2, source="rep")) == []
    assert names(matcher.match(utt("it's too expensive", 3, 4, source="prospect"))) == ["price"]


def test_rep_entries_fire_only_for_the_rep() -> None:
    wrap = item("wrap", ["before we wrap up"], kind="closing", speakers=("rep",))
    matcher = PlaybookMatcher([wrap])
    assert matcher.match(utt("before we wrap up", 0, 2, source="prospect")) == []
    assert names(matcher.match(utt("Before we wrap up...", 3, 4, source="rep"))) == ["wrap"]


def test_cooldown_is_measured_in_call_time() -> None:
    matcher = PlaybookMatcher([item("price", ["too expensive"], cooldown_s=60)])
    assert matcher.match(utt("too expensive", 0, 10))  # fired at 10 s
    assert matcher.match(utt("too expensive", 30, 69.9)) == []  # 59.9 s later: cooling down
    assert matcher.match(utt("too expensive", 65, 70))  # 60 s later: fires again


def test_max_per_call_caps_the_cards_of_an_entry() -> None:
    matcher = PlaybookMatcher([item("price", ["too expensive"], cooldown_s=0, max_per_call=2)])
    fired = [matcher.match(utt("too expensive", t, t + 1)) for t in range(5)]
    assert [len(f) for f in fired] == [1, 1, 0, 0, 0]
    assert matcher.fired_counts() == {"id-price": 2}


def test_more_specific_entry_comes_first() -> None:
    generic = item("generic", ["budget"])
    specific = item("specific", ["over our budget"])
    matcher = PlaybookMatcher([generic, specific])
    assert names(matcher.match(utt("that's over our budget", 0, 2))) == ["specific", "generic"]


def test_equal_specificity_keeps_toolkit_order() -> None:
    a, b = item("a", ["price"]), item("b", ["budget"])
    matcher = PlaybookMatcher([b, a])
    assert names(matcher.match(utt("price and budget", 0, 2))) == ["b", "a"]


def test_limit_stops_matching_without_using_up_later_entries() -> None:
    a, b = item("a", ["price"]), item("b", ["budget"])
    matcher = PlaybookMatcher([a, b])
    assert names(matcher.match(utt("price and budget", 0, 2), limit=1)) == ["a"]
    assert names(matcher.match(utt("budget", 3, 4))) == ["b"]


def test_checklist_entries_never_become_cards() -> None:
    matcher = PlaybookMatcher([item("budget", ["budget"], kind="checklist")])
    assert matcher.match(utt("what is your budget", 0, 2)) == []


def test_cooldown_of_one_entry_does_not_block_another() -> None:
    matcher = PlaybookMatcher([item("a", ["price"]), item("b", ["budget"])])
    matcher.match(utt("price", 0, 1))
    assert names(matcher.match(utt("price and budget", 2, 3))) == ["b"]
