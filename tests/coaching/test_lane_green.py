"""Under eventlet and gevent the sentence encoder runs on an OS thread, not the loop's."""

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
if sys.argv[1] == "eventlet":
    import eventlet
    eventlet.monkey_patch()
    from eventlet.patcher import original
    os_ident = original("_thread").get_ident
else:
    from gevent import monkey
    monkey.patch_all()
    os_ident = monkey.get_original("_thread", "get_ident")
import json, time
from app.services.coaching.base import CallContext, Utterance
from app.services.coaching.coach import CoachSettings, LiveCallCoach
from app.services.coaching.embedding import get_encoder
from app.services.coaching.encode_pump import get_pump
from app.services.coaching.toolkit_data import default_toolkit_items

class Sink:
    def __init__(self): self.cards = []
    def suggestion(self, e): self.cards.append((e.trigger_utterance_id, e.entry_id))
    def withdrawn(self, e, r): pass
    def metrics(self, p): pass
    def nudge(self, e): pass
    def guidance(self, p): pass
    def degraded(self, r): pass
    def recovered(self): pass

encoder = get_encoder()
threads = set()
forward = encoder._forward_batch
def spy(batch):
    threads.add(os_ident())
    return forward(batch)
encoder._forward_batch = spy
sink = Sink()
ctx = CallContext("c", "t", None, default_toolkit_items())
coach = LiveCallCoach(ctx, sink, settings=CoachSettings(offload_detection=True))
lines = ["That's way beyond what we had set aside for this",
         "My boss would have to sign off on something like this",
         "Shoot me an email and I will look at it when I get a chance"]
for n, text in enumerate(lines):
    coach.on_final(Utterance(f"f{n}", "prospect", text, n * 4000, n * 4000 + 3000,
                             received_at=time.monotonic()))
coach.close()
print(json.dumps({"cards": sink.cards, "loop": os_ident(), "threads": sorted(threads),
                  "passes": get_pump().stats.passes}))
"""


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_paraphrases_card_in_order_with_the_encoder_on_another_os_thread(mode: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert [uid for uid, _ in report["cards"]] == ["f0", "f1", "f2"]
    assert report["passes"] >= 1
    assert report["threads"] and report["loop"] not in report["threads"]
