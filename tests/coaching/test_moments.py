"""Moments recognised by meaning: examples, thresholds, negatives, speakers, fallbacks."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from app.services.coaching import moments
from app.services.coaching.embedding import EmbeddingUnavailable
from app.services.coaching.playbook import PlaybookMatcher
from app.services.coaching.toolkit_data import default_toolkit_items

from .helpers import utt

DEFAULT = default_toolkit_items()


def fired(text: str, toolkit: tuple = DEFAULT, source: str = "prospect") -> list[str]:
    matcher = PlaybookMatcher(toolkit)
    return [i.name for i in matcher.match(utt(text, 0, 3, source=source))]  # type: ignore[arg-type]


def with_entry(name: str, **changes: object) -> tuple:
    return tuple(replace(i, **changes) if i.name == name else i for i in DEFAULT)


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("That's way beyond what we had set aside for this", "objection-price"),
        # as the local recognizer writes it from speech ("had" heard as "have")
        ("That's way beyond what we have set aside for this.", "objection-price"),
        ("My boss would have to sign off on something like this", "objection-authority"),
        ("Shoot me an email and I'll look at it when I get a chance", "objection-brush-off"),
    ],
)
def test_a_paraphrase_no_trigger_matches_fires_its_entry_by_meaning(text: str, entry: str) -> None:
    assert fired(text) == [entry]


def test_ordinary_talk_fires_nothing() -> None:
    assert fired("We have around two hundred people across three offices") == []


def test_one_word_turns_never_fire_by_meaning() -> None:
    assert fired("expensive") == []


def test_the_rep_saying_a_prospect_moment_fires_nothing() -> None:
    assert fired("That's way beyond what we had set aside for this", source="rep") == []


def test_a_negative_phrase_suppresses_a_match_by_meaning() -> None:
    toolkit = with_entry("objection-price", negative_triggers=("set aside",))
    assert "objection-price" not in fired("That's way beyond what we had set aside", toolkit)


def test_a_per_entry_threshold_overrides_the_default() -> None:
    text = "That's way beyond what we had set aside for this"
    assert fired(text, with_entry("objection-price", threshold=0.95)) == []


def test_changed_examples_build_a_new_index() -> None:
    changed = with_entry("objection-price", examples=("we can't pay for it",))
    assert moments.moment_index(changed) is not moments.moment_index(DEFAULT)
    assert moments.moment_index(DEFAULT) is moments.moment_index(tuple(DEFAULT))


def test_scores_name_every_entry_with_examples_best_first() -> None:
    index = moments.moment_index(DEFAULT)
    assert index is not None
    scores = index.scores("Is there a free trial we could start with")
    assert scores[0].item.name == "signal-trial" and scores[0].fires
    assert [s.score for s in scores] == sorted((s.score for s in scores), reverse=True)
    assert {s.item.name for s in scores} == {i.name for i in DEFAULT if i.examples}


def test_without_the_model_phrases_still_fire(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> None:
        raise EmbeddingUnavailable("not installed")

    monkeypatch.setattr(moments, "get_encoder", missing)
    toolkit = with_entry("objection-price", title="Price (no model)")  # a fresh cache key
    assert moments.moment_index(toolkit) is None
    assert fired("That's way beyond what we had set aside for this", toolkit) == []
    assert fired("it is too expensive", toolkit) == ["objection-price"]


def test_an_entry_fires_only_when_likelier_than_ordinary_talk() -> None:
    item = next(i for i in DEFAULT if i.name == "objection-price")
    assert moments.MomentScore(item, 0.5, neutral=0.2).fires
    assert not moments.MomentScore(item, 0.5, neutral=0.5).fires
    assert not moments.MomentScore(item, 0.2, neutral=0.1).fires  # below the threshold
    assert not moments.MomentScore(item, 0.5, neutral=0.1).fires_with(0.25)  # interim margin


def test_a_matched_entry_reports_its_confidence_against_ordinary_talk() -> None:
    index = moments.moment_index(DEFAULT)
    assert index is not None
    best = index.scores("We have around two hundred people across three offices")[0]
    assert best.neutral > best.score and not best.fires
    best = index.scores("That's way beyond what we had set aside for this")[0]
    assert best.score > best.neutral and best.fires


def test_the_words_of_an_utterance_count_once_and_only_when_training_lines_have_them() -> None:
    words = moments._Words(["We can't afford it", "price is fine"])
    assert words.columns("afford afford zebra") == [words.column["afford"]]
    assert words.columns("zebra giraffe") == []
    cells = words.matrix(["can not afford", "zebra"])
    assert cells.rows.tolist() == [0, 0, 0] and cells.width == len(words.column)
    assert [round(float(v), 4) for v in cells.values] == [0.5774] * 3  # unit length


def test_the_sparse_word_matrix_multiplies_as_its_dense_form() -> None:
    words = moments._Words(["a b c", "b d", "e"])
    cells = words.matrix(["a b", "zz", "d e c", "b"])
    dense = np.zeros((cells.height, cells.width), dtype=np.float32)
    dense[cells.rows, cells.cols] = cells.values
    right = np.arange(cells.width * 3, dtype=np.float32).reshape(cells.width, 3)
    left = np.arange(cells.height * 2, dtype=np.float32).reshape(cells.height, 2)
    assert np.allclose(cells.times(right), dense @ right)
    assert np.allclose(cells.transposed_times(left), dense.T @ left)


def test_every_entry_weighs_the_same_in_training_however_many_examples_it_has() -> None:
    labels = np.asarray([0, 0, 0, 0, 1, 2, 2])  # entry 0: four lines, entry 1: one, 2: neutral
    weights = moments._line_weights(labels, classes=3)
    assert weights.sum() == pytest.approx(1.0)
    assert weights[:4].sum() == pytest.approx(weights[4])  # the two entries count alike
    assert weights[5] == pytest.approx(weights[6])  # neutral lines count one each


def test_toolkits_with_the_same_examples_share_one_training() -> None:
    moments.moment_index(DEFAULT)
    trained = moments._classifiers.computed
    renamed = tuple(replace(item, entry_id=f"team-b-{item.entry_id}") for item in DEFAULT)
    index = moments.moment_index(renamed)
    assert index is not None and index is not moments.moment_index(DEFAULT)
    assert moments._classifiers.computed == trained
    text = "That's way beyond what we had set aside for this"
    assert index.scores(text)[0].item.entry_id == "team-b-" + (
        moments.moment_index(DEFAULT).scores(text)[0].item.entry_id  # type: ignore[union-attr]
    )
