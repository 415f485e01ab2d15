"""The per-call model of the two voices on one microphone: two centroids and a scale.

Each voice is the running mean of the voice vectors attributed to it (see features.py).
Distances are root-mean-square differences in units of a per-dimension scale: a fixed
prior of how much voices differ, blended with the spread seen in this call, so the first
lines are judged on sensible units and later ones on the call's own.

- With the rep's voice profile, the rep's centroid starts there (method ``profile``).
- Without one, the first voice of the call is taken as the rep (method ``first_voice``,
  shown as uncertain until confirmed), and the first line that sounds clearly unlike it
  starts the prospect's centroid.
- A correction moves the line's vector to the other voice, with extra weight.

State is a few vectors (``to_dict``/``from_dict``), small enough to snapshot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.services.attribution.features import DIM, N_CEPS

# How much each dimension typically differs between voices (cepstral means and spreads,
# log-F0 median and spread, low / high band share in dB, centroid kHz, level dB).
PRIOR_SCALE = np.array([5.0] * N_CEPS + [1.5] * N_CEPS + [0.3, 0.5, 4.0, 4.0, 0.4, 6.0])
PRIOR_WEIGHT = 8.0  # the prior scale counts as this many lines of the call
NEW_VOICE_DISTANCE = 1.0  # a line this far from the only voice known starts the other one
MAX_WEIGHT = 30.0  # centroids keep adapting: older lines fade beyond this many
CORRECTION_WEIGHT = 3.0  # a corrected line counts this much more than a guessed one
PROFILE_WEIGHT = 4.0
UNCERTAIN_BELOW = 0.7  # confidence under this is shown as uncertain


@dataclass(frozen=True)
class Verdict:
    source: str  # rep | prospect
    method: str  # profile | first_voice | voice | correction | diarization
    confidence: float

    @property
    def uncertain(self) -> bool:
        return self.confidence < UNCERTAIN_BELOW

    def as_dict(self) -> dict[str, Any]:
        return {"method": self.method, "confidence": round(self.confidence, 3)}


@dataclass
class Centroid:
    mean: np.ndarray
    weight: float

    def add(self, vector: np.ndarray, weight: float = 1.0) -> None:
        total = min(MAX_WEIGHT, self.weight + weight)
        step = weight / total if total > 0 else 1.0
        self.mean = self.mean + step * (vector - self.mean)
        self.weight = total

    def remove(self, vector: np.ndarray, weight: float = 1.0) -> None:
        if self.weight - weight <= 0.5:
            return  # never forget a voice entirely
        self.mean = (self.mean * self.weight - vector * weight) / (self.weight - weight)
        self.weight -= weight


@dataclass
class VoiceModel:
    """Attribution state of one call (see module doc); not thread-safe: callers lock."""

    voices: dict[str, Centroid] = field(default_factory=dict)
    anchored: bool = False  # the rep's centroid came from the voice profile
    count: int = 0
    sum_sq: np.ndarray = field(default_factory=lambda: np.zeros(DIM))

    @classmethod
    def with_profile(cls, profile: tuple[float, ...] | list[float] | None) -> VoiceModel:
        model = cls()
        if profile is not None and len(profile) == DIM:
            model.voices["rep"] = Centroid(np.asarray(profile, dtype=float), PROFILE_WEIGHT)
            model.anchored = True
        return model

    # ------------------------------------------------------------------ scoring
    def _scale(self) -> np.ndarray:
        variance = (PRIOR_WEIGHT * PRIOR_SCALE**2 + self.sum_sq) / (PRIOR_WEIGHT + self.count)
        return np.sqrt(variance)

    def distance(self, vector: np.ndarray, source: str) -> float:
        diff = (vector - self.voices[source].mean) / self._scale()
        return float(np.sqrt(np.mean(diff**2)))

    def judge(self, vector: np.ndarray) -> Verdict:
        """Attribute a line without learning from it (interims, and the first step of
        :meth:`observe`)."""
        rep, prospect = self.voices.get("rep"), self.voices.get("prospect")
        if rep is None:
            return Verdict("rep", "first_voice", 0.5)
        if prospect is None:
            far = self.distance(vector, "rep")
            method = "profile" if self.anchored else "first_voice"
            if far >= NEW_VOICE_DISTANCE:
                return Verdict("prospect", method, _confidence(far - NEW_VOICE_DISTANCE + 0.3))
            return Verdict("rep", method, _confidence(NEW_VOICE_DISTANCE - far))
        margin = self.distance(vector, "prospect") - self.distance(vector, "rep")
        source = "rep" if margin >= 0 else "prospect"
        return Verdict(source, "profile" if self.anchored else "voice", _confidence(abs(margin)))

    # ------------------------------------------------------------------ learning
    def observe(self, vector: np.ndarray) -> Verdict:
        """Attribute a final line and learn from it."""
        verdict = self.judge(vector)
        self._learn(vector, verdict.source, 1.0)
        self._track_spread(vector)
        return verdict

    def correct(self, vector: np.ndarray | None, old: str, new: str) -> None:
        """The rep (or a coach) says a line was ``new``, not ``old``."""
        if vector is None or old == new:
            return
        if old in self.voices:
            self.voices[old].remove(vector)
        self._learn(vector, new, CORRECTION_WEIGHT)

    def _learn(self, vector: np.ndarray, source: str, weight: float) -> None:
        if source in self.voices:
            self.voices[source].add(vector, weight)
        else:
            self.voices[source] = Centroid(vector.copy(), weight)

    def _track_spread(self, vector: np.ndarray) -> None:
        """Within-voice spread: the distance of each line to its own voice's centroid."""
        self.count += 1
        nearest = min(self.voices.values(), key=lambda c: float(np.sum((vector - c.mean) ** 2)))
        self.sum_sq = self.sum_sq + (vector - nearest.mean) ** 2

    # ------------------------------------------------------------------ state
    def to_dict(self) -> dict[str, Any]:
        return {
            "voices": {
                name: {"mean": [round(float(x), 4) for x in c.mean], "weight": c.weight}
                for name, c in self.voices.items()
            },
            "anchored": self.anchored,
            "count": self.count,
            "sum_sq": [round(float(x), 4) for x in self.sum_sq],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VoiceModel:
        model = cls(anchored=bool(data.get("anchored")), count=int(data.get("count", 0)))
        model.sum_sq = np.asarray(data.get("sum_sq") or np.zeros(DIM), dtype=float)
        for name, value in (data.get("voices") or {}).items():
            model.voices[name] = Centroid(np.asarray(value["mean"], dtype=float), value["weight"])
        return model


def _confidence(margin: float) -> float:
    """0.5 at no margin, towards 1 as the line sits clearly nearer one voice."""
    return 0.5 + 0.5 * math.tanh(2.0 * max(0.0, margin))
