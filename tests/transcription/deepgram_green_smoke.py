"""Run the Deepgram provider in a monkey-patched process (``python -m ... MODE URL``).

Used by test_deepgram_green.py: the fake runs in the unpatched pytest process, this
client runs under eventlet or gevent exactly as the server would, and prints a JSON
summary of what it received.
"""

from __future__ import annotations

import sys


def _patch(mode: str) -> None:
    if mode == "eventlet":
        import eventlet  # type: ignore[import-untyped]

        eventlet.monkey_patch()
    elif mode == "gevent":
        from gevent import monkey  # type: ignore[import-untyped]

        monkey.patch_all()


def main(mode: str, url: str) -> None:
    _patch(mode)
    import json

    from app.services.transcription.deepgram.transcriber import DeepgramTranscriber
    from tests.transcription.deepgram_helpers import (
        PCM,
        Recorder,
        fast_settings,
        window,
    )

    recorder = Recorder()
    transcriber = DeepgramTranscriber(fast_settings(url, keepalive_interval_s=0.2))
    stream = transcriber.open_stream(PCM, recorder.on_result, recorder.on_status)
    for value in range(1, 5):
        stream.send(window(value))
    recorder.wait_for(lambda: len(recorder.finals) == 4, timeout=10)
    recorder.wait_for(lambda: False, timeout=0.6)  # idle: KeepAlives must flow
    stream.finish(timeout=5)
    transcriber.close()
    summary = {"finals": [f.text for f in recorder.finals], "states": recorder.states}
    print(json.dumps(summary))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
