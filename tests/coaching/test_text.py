from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.coaching.text import PhraseIndex, normalize, stem


def test_case_and_punctuation_do_not_matter() -> None:
    assert normalize("Too EXPENSIVE!!!") == normalize("too expensive")


def test_contractions_are_expanded() -> None:
    assert normalize("isn't we're can't") == ("is", "not", "we", "are", "can", "not")
    assert normalize("cannot") == normalize("can't") == normalize("can not")
    assert normalize("won't") == ("will", "not")


def test_curly_apostrophes_count_as_apostrophes() -> None:
    assert normalize("we\u2019re") == normalize("we're")


def test_possessive_s_is_dropped_but_its_means_it_is() -> None:
    assert normalize("the company's budget") == normalize("the company budget")
    assert normalize("it's") == ("it", "is")


def test_simple_word_variants_share_a_stem() -> None:
    assert len({stem(w) for w in ("price", "prices", "pricing", "priced")}) == 1
    assert len({stem(w) for w in ("call", "calls", "calling", "called")}) == 1
    assert stem("companies") == stem("company")
    assert stem("stopped") == stem("stop")


def test_short_words_are_left_alone() -> None:
    assert stem("is") == "is"
    assert stem("bus") == "bus"


def test_hyphenated_words_split_into_tokens() -> None:
    assert normalize("follow-up") == ("follow", "up")


def test_phrase_matches_only_contiguous_tokens() -> None:
    index = PhraseIndex([("price", "too expensive", False)])
    assert index.find(normalize("it is way too expensive")).matched() == {"price": 2}
    assert index.find(normalize("too much and expensive")).matched() == {}


def test_phrase_at_end_of_utterance_is_not_read_past_the_end() -> None:
    index = PhraseIndex([("k", "next step please", False)])
    assert index.find(normalize("what is the next step")).matched() == {}


def test_negative_phrase_removes_the_key_from_matches() -> None:
    index = PhraseIndex([("price", "too expensive", False), ("price", "not too expensive", True)])
    hits = index.find(normalize("it isn't too expensive"))
    assert hits.best == {"price": 2}
    assert hits.negated == {"price"}
    assert hits.matched() == {}


def test_longest_matching_phrase_is_reported_per_key() -> None:
    index = PhraseIndex([("k", "budget", False), ("k", "over our budget", False)])
    assert index.find(normalize("that's over our budget")).matched() == {"k": 3}


def test_phrases_without_words_are_ignored() -> None:
    assert len(PhraseIndex([("k", "?!", False), ("k", "ok", False)])) == 1


WORD = st.sampled_from(
    [
        "we",
        "are",
        "not",
        "sure",
        "the",
        "price",
        "pricing",
        "isn't",
        "can't",
        "budget",
        "too",
        "expensive",
        "next",
        "steps",
        "it's",
        "our",
        "team",
        "calls",
        "calling",
        "called,",
        "well.",
        "um?",
        "really!",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    before=st.lists(WORD, max_size=8),
    phrase=st.lists(WORD, min_size=1, max_size=4),
    after=st.lists(WORD, max_size=8),
)
def test_a_phrase_embedded_anywhere_in_an_utterance_matches(
    before: list[str], phrase: list[str], after: list[str]
) -> None:
    text = " ".join(phrase)
    index = PhraseIndex([("k", text, False)])
    utterance = " ".join([*before, text.upper(), *after])
    if normalize(text):
        assert "k" in index.find(normalize(utterance)).matched()
