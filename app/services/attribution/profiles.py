"""Reps' voice profiles: recorded once on the settings page, or learned from two-source calls.

Only the voice vector is stored (see features.py), never the recording. A recorded
profile is never overwritten by a learned one; deleting the profile (or the user, or
deactivating the user) removes it.
"""

from __future__ import annotations

import logging

import numpy as np
from sqlalchemy.exc import SQLAlchemyError

from app.errors import AppError
from app.extensions import db
from app.models.base import utcnow
from app.models.voice import VoiceProfile
from app.services.attribution.features import DIM, RATE, voice_features
from app.services.transcription.vad import Segmenter, VadConfig

log = logging.getLogger(__name__)
MIN_SPEECH_S = 3.0  # less voiced audio than this cannot describe a voice
MAX_SAMPLE_S = 30.0
MIN_LEARNED_LINES = 5  # lines of a two-source call needed before learning from it


def vector_of(user_id: str) -> list[float] | None:
    profile = db.session.get(VoiceProfile, user_id)
    if profile is None or len(profile.vector) != DIM:
        return None
    return [float(x) for x in profile.vector]


def get(user_id: str) -> VoiceProfile | None:
    return db.session.get(VoiceProfile, user_id)


def speech_of(pcm: bytes) -> np.ndarray:
    """The voiced parts of a PCM16 16 kHz mono sample, joined (pauses cut out)."""
    if len(pcm) % 2:
        raise AppError("Audio must be 16-bit PCM.", code="invalid_audio", status=422)
    if len(pcm) > MAX_SAMPLE_S * RATE * 2:
        raise AppError("The sample is too long.", code="sample_too_long", status=413)
    audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    segmenter = Segmenter(VadConfig())
    utterances = segmenter.feed(audio)
    last = segmenter.flush()
    parts = [u.audio for u in [*utterances, *([last] if last else [])]]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


def record(user_id: str, pcm: bytes) -> VoiceProfile:
    """Replace the user's profile with one computed from a recorded sample."""
    speech = speech_of(pcm)
    vector = voice_features(speech) if len(speech) >= MIN_SPEECH_S * RATE else None
    if vector is None:
        raise AppError(
            "Not enough speech in the sample: read the text aloud for about 10 seconds.",
            code="not_enough_speech",
            status=422,
        )
    return _save(user_id, list(vector), "recorded", 1, len(speech) / RATE)


def learn(user_id: str, vectors: list[tuple[float, ...]]) -> None:
    """Blend the rep's lines of a two-source call into a learned profile (never a recorded one)."""
    if len(vectors) < MIN_LEARNED_LINES:
        return
    profile = db.session.get(VoiceProfile, user_id)
    if profile is not None and profile.method == "recorded":
        return
    mean = np.mean(np.asarray(vectors, dtype=float), axis=0)
    samples, seconds = len(vectors), 0.0
    if profile is not None and len(profile.vector) == DIM:
        old = np.asarray(profile.vector, dtype=float)
        mean = (old * profile.samples + mean * samples) / (profile.samples + samples)
        samples += profile.samples
        seconds += profile.seconds
    _save(user_id, [round(float(x), 4) for x in mean], "learned", samples, seconds)


def learn_from_call(user_id: str, vectors: list[tuple[float, ...]], call_id: str) -> None:
    """:func:`learn` at the end of a call; a failure is logged and never stops the call."""
    if not vectors:
        return
    try:
        learn(user_id, vectors)
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("learning the rep's voice failed", extra={"call_id": call_id})


def delete(user_id: str, commit: bool = True) -> bool:
    profile = db.session.get(VoiceProfile, user_id)
    if profile is None:
        return False
    db.session.delete(profile)
    if commit:
        db.session.commit()
    return True


def _save(
    user_id: str, vector: list[float], method: str, samples: int, seconds: float
) -> VoiceProfile:
    profile = db.session.get(VoiceProfile, user_id) or VoiceProfile(user_id=user_id)
    profile.vector, profile.method = vector, method
    profile.samples, profile.seconds, profile.updated_at = samples, round(seconds, 1), utcnow()
    db.session.add(profile)
    db.session.commit()
    return profile
