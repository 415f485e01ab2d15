"""Synthetic one-microphone sales dialogues: two espeak-ng voices taking turns in one channel.

The prospect is heard the way a speakerphone hears the far end: through a telephone band
(300-3400 Hz) and quieter; the rep speaks straight into the microphone. Pauses between
turns vary. :func:`build_dialogue` returns 16 kHz mono PCM16 and the true turns, so a test
can score the attributed speaker of each final and the talk ratio. Shared by the tests
and bench/attribution.py.
"""

from __future__ import annotations

import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

RATE = 16000

SCRIPT: tuple[tuple[str, str], ...] = (
    ("rep", "Hi, this is Sam from Acme. Thanks for taking the time to talk today."),
    ("prospect", "Sure, happy to. I have about fifteen minutes."),
    ("rep", "Great. What made you look at tools for your sales team this quarter?"),
    ("prospect", "Our reps spend too much time writing notes after every call."),
    ("rep", "How many people are on the team right now?"),
    ("prospect", "We have twelve reps and two managers."),
    ("rep", "Our coach listens to the call and suggests what to say next."),
    ("prospect", "Honestly, your product is too expensive for us."),
    ("rep", "I understand. What budget did you have in mind for this?"),
    ("prospect", "Maybe half of what you quoted last week."),
    ("rep", "Could we start with a smaller pilot for one team?"),
    ("prospect", "That could work. Send me a proposal by Friday."),
)


@dataclass(frozen=True)
class Voices:
    """Who speaks how; tests and the bench vary these so nothing is tuned to one pair."""

    rep: str = "en-us+m3"
    prospect: str = "en-gb+f2"
    rep_speed: int = 160
    prospect_speed: int = 150
    prospect_gain_db: float = -9.0
    telephone_band: bool = True
    pauses_s: tuple[float, ...] = (0.9, 1.2, 0.8, 1.5, 1.0)


VARIANTS: dict[str, Voices] = {
    "m3_vs_gb_f2": Voices(),
    "f4_vs_us_m1": Voices(rep="en-us+f4", prospect="en-us+m1", prospect_gain_db=-6.0),
    "gb_m4_vs_us_f3": Voices(rep="en-gb+m4", prospect="en-us+f3", prospect_gain_db=-12.0),
    "m7_vs_m2_same_sex": Voices(rep="en-us+m7", prospect="en-gb-x-rp+m2", prospect_gain_db=-7.0),
}


@dataclass(frozen=True)
class Turn:
    speaker: str
    text: str
    start_ms: int
    end_ms: int


def _require_tools() -> None:
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        pytest.skip("espeak-ng and sox are needed to synthesise test speech (apt install them)")


def _speak(text: str, voice: str, speed: int, band: bool, gain_db: float, out: Path) -> np.ndarray:
    raw, wav = out / "raw.wav", out / "turn.wav"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True, timeout=30
    )
    effects = ["sinc", "300-3400"] if band else []
    subprocess.run(
        [
            "sox",
            str(raw),
            "-r",
            str(RATE),
            "-c",
            "1",
            "-b",
            "16",
            str(wav),
            *effects,
            "gain",
            str(gain_db),
        ],
        check=True,
        timeout=30,
    )
    with wave.open(str(wav)) as reader:
        return np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").copy()


def build_dialogue(out_dir: Path, voices: Voices | None = None) -> tuple[bytes, list[Turn]]:
    """The whole dialogue as PCM16 bytes plus its turns (times in ms)."""
    _require_tools()
    voices = voices or Voices()
    rng = np.random.default_rng(13)
    pieces = [np.zeros(RATE // 2, dtype=np.int16)]
    position = len(pieces[0])
    turns: list[Turn] = []
    for index, (speaker, text) in enumerate(SCRIPT):
        rep = speaker == "rep"
        audio = _speak(
            text,
            voices.rep if rep else voices.prospect,
            voices.rep_speed if rep else voices.prospect_speed,
            band=voices.telephone_band and not rep,
            gain_db=-1.0 if rep else voices.prospect_gain_db,
            out=out_dir,
        )
        turns.append(
            Turn(speaker, text, position * 1000 // RATE, (position + len(audio)) * 1000 // RATE)
        )
        pause = np.zeros(int(RATE * voices.pauses_s[index % len(voices.pauses_s)]), dtype=np.int16)
        pieces += [audio, pause]
        position += len(audio) + len(pause)
    mixed = np.concatenate(pieces).astype(np.float64)
    mixed += rng.normal(0.0, 20.0, len(mixed))  # a quiet room, not digital silence
    return np.clip(mixed, -32768, 32767).astype("<i2").tobytes(), turns


def true_speaker(turns: list[Turn], start_ms: int, end_ms: int) -> str | None:
    """The speaker of the turn that overlaps [start_ms, end_ms) most."""
    best, best_overlap = None, 0
    for turn in turns:
        overlap = min(end_ms, turn.end_ms) - max(start_ms, turn.start_ms)
        if overlap > best_overlap:
            best, best_overlap = turn.speaker, overlap
    return best


def true_talk_ratio(turns: list[Turn]) -> float:
    rep = sum(t.end_ms - t.start_ms for t in turns if t.speaker == "rep")
    return rep / sum(t.end_ms - t.start_ms for t in turns)
