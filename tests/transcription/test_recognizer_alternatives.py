"""Finals carry the next-best readings of their beam (LOCAL_ASR_ALTERNATIVES); partials,
decoded greedily, carry none. The best reading is the one a single-reading beam gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.services.transcription.local.recognizer import Recognizer
from app.services.transcription.local.settings import LocalAsrSettings
from tests.speech import synthesize

SAID = "where do I sign the agreement for next month"


@pytest.fixture(scope="module")
def audio(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    pcm = synthesize(SAID, Path(tmp_path_factory.mktemp("speech")))
    return np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768


def test_a_final_carries_distinct_next_best_readings(audio: np.ndarray) -> None:
    final = Recognizer(LocalAsrSettings(cpu_threads=1)).transcribe(audio, True)
    assert "agreement" in final.text.lower()
    assert 1 <= len(final.alternatives) <= 4
    assert final.text not in final.alternatives
    assert len(set(final.alternatives)) == len(final.alternatives)
    assert final.words  # the timings still come with the best reading


def test_the_best_reading_does_not_change_and_partials_have_none(audio: np.ndarray) -> None:
    none = Recognizer(LocalAsrSettings(cpu_threads=1, alternatives=0))
    some = Recognizer(LocalAsrSettings(cpu_threads=1, alternatives=2))
    alone, with_readings = none.transcribe(audio, True), some.transcribe(audio, True)
    assert alone.alternatives == () and alone.text == with_readings.text
    assert 1 <= len(with_readings.alternatives) <= 2
    assert some.transcribe(audio, False).alternatives == ()


def test_the_readings_are_capped_by_the_beam(audio: np.ndarray) -> None:
    narrow = Recognizer(LocalAsrSettings(cpu_threads=1, beam_size=2, alternatives=4))
    assert len(narrow.transcribe(audio, True).alternatives) <= 1
