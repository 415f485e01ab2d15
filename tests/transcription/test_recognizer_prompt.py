"""LOCAL_ASR_PROMPT: the decoder gets a previous-text context, and short speech still
comes out whole (the generation length counts the prompt's tokens)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.services.transcription.local.recognizer import Recognizer
from app.services.transcription.local.settings import LocalAsrSettings
from tests.speech import synthesize

PROMPT = (
    "Sales call. Pricing, budget, contract, my boss, my manager, decision maker, competitor, "
    "vendor, pilot, free trial, onboarding, implementation, integration, CRM, references."
)


def _audio(text: str, tmp: Path) -> np.ndarray:
    return np.frombuffer(synthesize(text, tmp), dtype=np.int16).astype(np.float32) / 32768


def test_a_prompted_recognizer_still_writes_the_whole_sentence(tmp_path: Path) -> None:
    recognizer = Recognizer(LocalAsrSettings(prompt=PROMPT, cpu_threads=1))
    final = recognizer.transcribe(
        _audio("I think your price is too expensive for us", tmp_path), True
    )
    partial = recognizer.transcribe(_audio("okay", tmp_path), False)
    assert "expensive for us" in final.text.lower()
    assert "okay" in partial.text.lower()


def test_the_prompt_travels_to_the_worker() -> None:
    settings = LocalAsrSettings(prompt=PROMPT, partial_interval_s=0.5)
    assert LocalAsrSettings.from_json(settings.to_json()) == settings
