"""Recognition must not stall a monkey-patched server process (eventlet / gevent)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import sys
MODE = sys.argv[1]
if MODE == "eventlet":
    import eventlet
    eventlet.monkey_patch()
else:
    from gevent import monkey
    monkey.patch_all()
import json, time
from app.services.concurrency import spawn
from app.services.transcription.base import AudioFormat
from app.services.transcription.local.transcriber import LocalTranscriber

gaps, finals, running = [], [], [True]

def tick():
    last = time.monotonic()
    while running[0]:
        time.sleep(0.01)
        now = time.monotonic()
        gaps.append(now - last)
        last = now

spawn(tick)
asr = LocalTranscriber()
ready = asr.wait_ready(30)
pcm = open(sys.argv[2], "rb").read()
stream = asr.open_stream(AudioFormat(), lambda r: r.is_final and finals.append(r.text),
                         lambda s: None)
for i in range(0, len(pcm), 3200):
    stream.send(pcm[i:i + 3200])
    time.sleep(0.01)
stream.finish(15)
running[0] = False
asr.close()
print(json.dumps({"ready": ready, "max_gap": max(gaps), "ticks": len(gaps), "finals": finals}))
"""


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_background_task_keeps_ticking_while_recognition_runs(
    mode: str, speech: bytes, tmp_path: Path
) -> None:
    audio = tmp_path / "speech.pcm"
    audio.write_bytes(b"\x00\x00" * 16000 + speech + b"\x00\x00" * 16000)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode, str(audio)],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["ready"]
    assert any("expensive" in text.lower() for text in report["finals"])
    assert report["ticks"] > 50
    assert report["max_gap"] < 0.5, f"event loop stalled {report['max_gap']:.3f} s"
