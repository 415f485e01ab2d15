"""The Deepgram provider works unchanged under eventlet and gevent monkey-patching."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_stream_survives_a_drop_and_finishes_under_monkey_patching(fake, mode):
    fake.config.speech_final_every = 1
    fake.config.drop_after_messages = 4
    fake.config.result_delay_s = 0.05
    done = subprocess.run(
        [sys.executable, "-m", "tests.transcription.deepgram_green_smoke", mode, fake.url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["finals"] == [f"segment {v}" for v in range(1, 5)]
    assert summary["states"] == ["live", "reconnecting", "live"]
    assert len(fake.connections) == 2
    assert fake.connections[1].keepalives >= 1
    assert fake.connections[1].controls[-2:] == ["Finalize", "CloseStream"]
