"""Fixtures for the transcription providers: the Deepgram loopback fake, the local
recognizer's worker pool, synthetic speech and result collectors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.services.transcription.deepgram.transcriber import DeepgramTranscriber
from app.services.transcription.local.settings import LocalAsrSettings
from app.services.transcription.local.transcriber import LocalTranscriber
from tests.fakes.fake_deepgram import FakeDeepgram, FakeDeepgramConfig
from tests.speech import SENTENCE, synthesize
from tests.transcription.deepgram_helpers import Recorder, fast_settings


@pytest.fixture
def fake() -> Iterator[FakeDeepgram]:
    server = FakeDeepgram(FakeDeepgramConfig()).start()
    yield server
    server.stop()


@pytest.fixture
def make_transcriber() -> Iterator[Callable[..., DeepgramTranscriber]]:
    made: list[DeepgramTranscriber] = []

    def build(url: str, **overrides: Any) -> DeepgramTranscriber:
        transcriber = DeepgramTranscriber(fast_settings(url, **overrides))
        made.append(transcriber)
        return transcriber

    yield build
    for transcriber in made:
        transcriber.close()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return synthesize(SENTENCE, tmp_path_factory.mktemp("speech"))


@pytest.fixture(scope="module")
def transcriber() -> Iterator[LocalTranscriber]:
    asr = LocalTranscriber(LocalAsrSettings(workers=1, cpu_threads=2))
    assert asr.wait_ready(30), "the worker did not load the model"
    yield asr
    asr.close()
