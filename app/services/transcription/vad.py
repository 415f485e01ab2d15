"""Energy voice-activity detection and utterance segmentation (16 kHz mono float).

The detector compares each 30 ms frame's level with a noise floor tracked by minimum
statistics over a sliding window, so steady background noise is learned and ignored
while speech (which keeps dipping between syllables) stays well above it. No model,
no dependency beyond numpy, deterministic for tests.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

RATE = 16000
FRAME = 480  # 30 ms
FLOOR_DBFS = -100.0


@dataclass(frozen=True)
class VadConfig:
    silence_ms: int = 600
    speech_start_ms: int = 90
    pre_roll_ms: int = 200
    margin_db: float = 12.0
    min_speech_dbfs: float = -50.0
    noise_window_s: float = 3.0
    prior_noise_dbfs: float = -70.0  # assumed floor until the window has filled once
    max_utterance_s: float = 15.0


@dataclass(frozen=True)
class Utterance:
    """A closed utterance: samples and its first sample's index in the stream."""

    start: int
    audio: np.ndarray

    @property
    def end(self) -> int:
        return self.start + len(self.audio)


def frame_dbfs(frame: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(np.square(frame, dtype=np.float64))))
    return max(FLOOR_DBFS, 20.0 * math.log10(rms)) if rms > 0 else FLOOR_DBFS


class EnergyVad:
    """Classifies frames as voiced or not against an adaptive noise floor."""

    def __init__(self, config: VadConfig) -> None:
        self.config = config
        size = max(1, int(config.noise_window_s * RATE / FRAME))
        self._levels: deque[float] = deque(maxlen=size)
        self._filled = False

    def noise_floor(self) -> float:
        floor = min(self._levels) if self._levels else self.config.prior_noise_dbfs
        return floor if self._filled else min(floor, self.config.prior_noise_dbfs)

    def is_voiced(self, frame: np.ndarray) -> bool:
        level = frame_dbfs(frame)
        self._levels.append(level)
        self._filled = self._filled or len(self._levels) == self._levels.maxlen
        threshold = max(self.noise_floor() + self.config.margin_db, self.config.min_speech_dbfs)
        return level > threshold


class Segmenter:
    """Cuts a stream into utterances: opens on sustained voice, closes on a pause or length."""

    def __init__(self, config: VadConfig) -> None:
        self.config = config
        self._vad = EnergyVad(config)
        self._rest = np.zeros(0, dtype=np.float32)
        self._pos = 0  # stream index of the next frame to classify
        pre_frames = max(1, config.pre_roll_ms * RATE // 1000 // FRAME)
        self._pre: deque[np.ndarray] = deque(maxlen=pre_frames)
        self._onset: list[np.ndarray] = []  # voiced frames not yet enough to open
        self._open: list[np.ndarray] | None = None
        self._open_start = 0
        self._silent_frames = 0
        self._voiced = 0
        self._start_frames = max(1, config.speech_start_ms * RATE // 1000 // FRAME)
        self._close_frames = max(1, config.silence_ms * RATE // 1000 // FRAME)
        self._max_frames = max(1, int(config.max_utterance_s * RATE) // FRAME)
        self._keep_frames = max(1, 200 * RATE // 1000 // FRAME)  # closing pause kept

    @property
    def is_open(self) -> bool:
        return self._open is not None

    def open_audio(self) -> Utterance | None:
        """The utterance in progress so far (for partial hypotheses)."""
        if not self._open:
            return None
        return Utterance(self._open_start, np.concatenate(self._open))

    def settled_audio(self) -> Utterance | None:
        """The open utterance exactly as it will close if the pause now going on lasts
        (its speech plus the kept part of the pause), once that part has passed; None while
        voiced or idle. A final decoded from it early is the final of the closed one."""
        if not self._open or not self._voiced or self._silent_frames < self._keep_frames:
            return None
        frames = self._open[: len(self._open) - self._silent_frames + self._keep_frames]
        return Utterance(self._open_start, np.concatenate(frames))

    def feed(self, samples: np.ndarray) -> list[Utterance]:
        """Consume audio; return utterances closed by it, in order."""
        data = np.concatenate([self._rest, samples]) if len(self._rest) else samples
        whole = len(data) - len(data) % FRAME
        self._rest = data[whole:].astype(np.float32, copy=True)
        closed: list[Utterance] = []
        for i in range(0, whole, FRAME):
            done = self._step(data[i : i + FRAME].astype(np.float32, copy=False))
            if done is not None:
                closed.append(done)
        return closed

    def flush(self) -> Utterance | None:
        """Close the open utterance now (end of stream), including the unframed tail."""
        if self._open is None:
            return None
        if len(self._rest):
            self._open.append(self._rest)
            self._rest = np.zeros(0, dtype=np.float32)
        return self._close(trim=False)

    def _step(self, frame: np.ndarray) -> Utterance | None:
        voiced = self._vad.is_voiced(frame)
        self._pos += FRAME
        if self._open is None:
            self._idle_step(frame, voiced)
            return None
        self._open.append(frame)
        self._voiced += int(voiced)
        self._silent_frames = 0 if voiced else self._silent_frames + 1
        if self._silent_frames >= self._close_frames:
            return self._close(trim=True)
        if len(self._open) >= self._max_frames:
            return self._close(trim=False, reopen=True)
        return None

    def _idle_step(self, frame: np.ndarray, voiced: bool) -> None:
        if not voiced:
            self._pre.extend(self._onset)
            self._onset = []
            self._pre.append(frame)
            return
        self._onset.append(frame)
        if len(self._onset) >= self._start_frames:
            frames = list(self._pre) + self._onset
            self._open = frames
            self._open_start = self._pos - FRAME * len(frames)
            self._voiced = len(self._onset)
            self._pre.clear()
            self._onset = []
            self._silent_frames = 0

    def _close(self, trim: bool, reopen: bool = False) -> Utterance | None:
        """End the open utterance; with ``reopen`` a new one continues right after it."""
        frames = self._open or []
        if trim:  # keep ~200 ms of the closing pause, drop the rest
            keep_silence = min(self._silent_frames, self._keep_frames)
            frames = frames[: len(frames) - self._silent_frames + keep_silence]
        utterance = None
        if frames and self._voiced:
            utterance = Utterance(self._open_start, np.concatenate(frames))
        self._open = [] if reopen else None
        self._open_start = self._pos
        self._silent_frames = 0
        self._voiced = 0
        return utterance
