"""Fixtures for the Deepgram provider tests: a loopback fake and a recording consumer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.services.transcription.deepgram import DeepgramTranscriber
from tests.fakes.fake_deepgram import FakeDeepgram, FakeDeepgramConfig
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
