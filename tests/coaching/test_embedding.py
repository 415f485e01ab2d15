"""The sentence encoder: unit vectors, padding that changes nothing, meaning over wording."""

from __future__ import annotations

import numpy as np

from app.services.coaching.embedding import DIM, get_encoder


def test_an_embedding_is_a_unit_vector_of_the_model_size() -> None:
    vector = get_encoder().encode("We already use another vendor for this")
    assert vector.shape == (DIM,) and vector.dtype == np.float32
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5


def test_a_padded_batch_gives_each_sentence_its_own_embedding() -> None:
    encoder = get_encoder()
    texts = ["Too expensive", "Our board has to approve any contract over ten thousand dollars"]
    fresh = [t + " today" for t in texts]  # not in the encoder's cache yet
    batch = encoder.encode_many(fresh)
    single = np.stack([encoder._forward(encoder._tokenizer.encode(t).ids) for t in fresh])
    assert np.allclose(batch, single, atol=1e-5)  # the short one was padded in the batch


def test_paraphrases_are_closer_than_a_sentence_on_another_subject() -> None:
    encoder = get_encoder()
    price = encoder.encode("That is way more than we budgeted for this")
    paraphrase = encoder.encode("Honestly the price is beyond what we set aside")
    weather = encoder.encode("The weather in Denver was lovely last weekend")
    assert float(price @ paraphrase) > float(price @ weather) + 0.2
