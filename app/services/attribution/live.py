"""Speaker attribution of one live call whose only source is the rep's microphone.

Both voices may reach that microphone (a speakerphone, a desk phone, a mobile on the
table), so every line of the ``rep`` stream is attributed to ``rep`` or ``prospect``:

- from its voice vector (local recognizer: computed in the worker process), with the
  call's :class:`~app.services.attribution.model.VoiceModel`;
- or from the provider's diarised speaker ids (Deepgram ``diarize=true``): the first
  speaker heard is taken as the rep, any other as the prospect;
- or, with neither, as the rep with no confidence (method ``none``).

Corrections flip a line and teach the model (or re-map the diarised speaker). Lines are
remembered (bounded) so a correction can find its vector. Thread-safe.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from typing import Any

import numpy as np

from app.services.attribution.model import Verdict, VoiceModel
from app.services.transcription.base import TranscriptResult

REMEMBERED_LINES = 2000
DIARISED_CONFIDENCE = 0.8  # the first-speaker rule before the rep confirmed it
CONFIRMED_CONFIDENCE = 0.95


def other(source: str) -> str:
    return "prospect" if source == "rep" else "rep"


class CallAttribution:
    STATE_VERSION = 1  # a coaching-state component (app/services/coaching/state.py)

    def __init__(self, profile: list[float] | None = None) -> None:
        self.model = VoiceModel.with_profile(profile)
        self._speakers: dict[int, str] = {}  # diarised speaker id -> source
        self._confirmed = self.model.anchored
        self._lines: OrderedDict[str, tuple[np.ndarray | None, int | None]] = OrderedDict()
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ results
    def final(self, utterance_id: str, result: TranscriptResult) -> Verdict:
        """Attribute a final and learn from it."""
        vector = _vector(result)
        speaker = _speaker(result)
        with self._lock:
            if vector is not None:
                verdict = self.model.observe(vector)
                if self._confirmed and verdict.method == "first_voice":
                    verdict = Verdict(verdict.source, "voice", verdict.confidence)
            else:
                verdict = self._diarised(result, speaker, learn=True)
            self._lines[utterance_id] = (vector, speaker)
            while len(self._lines) > REMEMBERED_LINES:
                self._lines.popitem(last=False)
        return verdict

    def interim(self, result: TranscriptResult) -> Verdict:
        """Attribute an interim without learning (it will be superseded by its final)."""
        vector = _vector(result)
        with self._lock:
            if vector is not None:
                return self.model.judge(vector)
            return self._diarised(result, _speaker(result), learn=False)

    def _diarised(self, result: TranscriptResult, speaker: int | None, learn: bool) -> Verdict:
        if speaker is None:
            return Verdict("rep", "none", 0.0)
        source = self._speakers.get(speaker)
        if source is None:
            source = "rep" if not self._speakers else "prospect"
            if learn:
                self._speakers[speaker] = source
        share = _majority_share(result)
        base = CONFIRMED_CONFIDENCE if self._confirmed else DIARISED_CONFIDENCE
        return Verdict(source, "diarization", round(base * share, 3))

    # ------------------------------------------------------------------ corrections
    def correct(self, utterance_id: str, old: str, new: str) -> None:
        """A person said line ``utterance_id`` was spoken by ``new`` (it was ``old``).

        A correction to the same speaker confirms the guess (the first-voice rule)."""
        with self._lock:
            self._confirmed = True
            vector, speaker = self._lines.get(utterance_id, (None, None))
            if vector is not None:
                self.model.correct(vector, old, new)
            if speaker is not None and old != new:
                self._speakers[speaker] = new
                if len(self._speakers) == 2:  # two voices: the other one is the other side
                    for other_id in self._speakers:
                        if other_id != speaker:
                            self._speakers[other_id] = other(new)

    def snapshot(self) -> dict[str, Any]:
        """The two voices and the diarised speaker map (a few vectors, no lines)."""
        with self._lock:
            return {
                "model": self.model.to_dict(),
                "speakers": {str(k): v for k, v in self._speakers.items()},
                "confirmed": self._confirmed,
            }

    def restore(self, data: dict[str, Any]) -> None:
        with self._lock:
            self.model = VoiceModel.from_dict(data["model"])
            self._speakers = {int(k): str(v) for k, v in data["speakers"].items()}
            self._confirmed = bool(data["confirmed"])


def _vector(result: TranscriptResult) -> np.ndarray | None:
    return np.asarray(result.voice, dtype=float) if result.voice else None


def _speaker(result: TranscriptResult) -> int | None:
    """The diarised speaker with most words in the result, if the provider diarised."""
    counts = Counter(w.speaker for w in result.words if w.speaker is not None)
    return counts.most_common(1)[0][0] if counts else None


def _majority_share(result: TranscriptResult) -> float:
    counts = Counter(w.speaker for w in result.words if w.speaker is not None)
    total = sum(counts.values())
    return counts.most_common(1)[0][1] / total if total else 0.0
