"""The per-call voice model and the call attribution built on it."""

from __future__ import annotations

import numpy as np
import pytest

from app.services.attribution.features import DIM, voice_features
from app.services.attribution.live import CallAttribution
from app.services.attribution.model import VoiceModel
from app.services.transcription.base import TranscriptResult, Word
from app.services.transcription.vad import Segmenter, VadConfig
from tests.dialogue import VARIANTS, build_dialogue, true_speaker

RNG = np.random.default_rng(7)
REP, PROSPECT = RNG.normal(0, 6, DIM), RNG.normal(0, 6, DIM)


def line(voice: np.ndarray) -> np.ndarray:
    return voice + RNG.normal(0, 0.5, DIM)


def test_without_a_profile_the_first_voice_is_the_rep_and_a_different_one_the_prospect():
    model = VoiceModel()
    first = model.observe(line(REP))
    assert (first.source, first.method, first.uncertain) == ("rep", "first_voice", True)
    assert model.observe(line(PROSPECT)).source == "prospect"
    verdicts = [model.observe(line(v)) for v in (REP, PROSPECT, PROSPECT, REP)]
    assert [v.source for v in verdicts] == ["rep", "prospect", "prospect", "rep"]
    assert all(not v.uncertain and v.method == "voice" for v in verdicts)


def test_with_a_profile_a_prospect_who_speaks_first_is_still_the_prospect():
    model = VoiceModel.with_profile(list(REP))
    first = model.observe(line(PROSPECT))
    assert (first.source, first.method) == ("prospect", "profile")
    assert model.observe(line(REP)).source == "rep"


def test_a_correction_moves_the_line_and_later_lines_like_it_follow():
    model = VoiceModel()
    model.observe(line(PROSPECT))  # the prospect spoke first: taken as the rep
    wrong = line(PROSPECT)
    assert model.observe(wrong).source == "rep"
    model.correct(wrong, "rep", "prospect")
    assert model.judge(line(PROSPECT)).source == "prospect"


def test_the_model_survives_a_round_trip_through_its_dict():
    model = VoiceModel()
    for voice in (REP, PROSPECT, REP):
        model.observe(line(voice))
    copy = VoiceModel.from_dict(model.to_dict())
    probe = line(PROSPECT)
    original, restored = model.judge(probe), copy.judge(probe)
    assert restored.source == original.source == "prospect"
    assert restored.confidence == pytest.approx(original.confidence, abs=1e-3)


def test_too_little_audio_has_no_voice():
    assert voice_features(np.zeros(16000, dtype=np.float32)) is None
    assert voice_features(np.ones(1000, dtype=np.float32) * 0.1) is None


def _diarised(text: str, speaker: int) -> TranscriptResult:
    words = tuple(Word(w, i * 100, i * 100 + 90, 0.9, speaker) for i, w in enumerate(text.split()))
    return TranscriptResult(text, True, 0, 1000, 0.9, words)


def test_diarised_speakers_map_to_rep_first_and_a_correction_swaps_both():
    attribution = CallAttribution()
    assert attribution.final("a", _diarised("hello there", 3)).source == "rep"
    assert attribution.final("b", _diarised("hi", 5)).source == "prospect"
    attribution.correct("a", "rep", "prospect")
    assert attribution.final("c", _diarised("again", 3)).source == "prospect"
    confirmed = attribution.final("d", _diarised("me now", 5))
    assert confirmed.source == "rep" and confirmed.confidence == pytest.approx(0.95)


def test_a_line_with_neither_voice_nor_speakers_is_the_rep_with_no_confidence():
    verdict = CallAttribution().final("x", TranscriptResult("hi", True, 0, 500, 0.9))
    assert (verdict.source, verdict.method, verdict.confidence) == ("rep", "none", 0.0)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_voices_of_a_synthetic_dialogue_are_told_apart(tmp_path, variant):
    pcm, turns = build_dialogue(tmp_path, VARIANTS[variant])
    audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768
    segmenter = Segmenter(VadConfig())
    utterances = [*segmenter.feed(audio), segmenter.flush()]
    model = VoiceModel()
    right = [
        model.observe(np.asarray(voice_features(u.audio))).source
        == true_speaker(turns, u.start // 16, u.end // 16)
        for u in utterances
        if u is not None
    ]
    assert sum(right) / len(right) >= 0.9


def test_the_call_attribution_moves_with_a_snapshot():
    attribution = CallAttribution()
    for index, voice in enumerate((REP, PROSPECT, REP)):
        attribution.final(
            str(index), TranscriptResult("x", True, 0, 900, 0.9, (), tuple(line(voice)))
        )
    attribution.final("d", _diarised("hello", 4))
    moved = CallAttribution()
    moved.restore(attribution.snapshot())
    probe = TranscriptResult("y", True, 0, 900, 0.9, (), tuple(line(PROSPECT)))
    assert moved.interim(probe).source == "prospect"
    assert moved.final("e", _diarised("again", 4)).source == "rep"
