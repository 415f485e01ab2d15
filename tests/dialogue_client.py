"""Stream a one-microphone dialogue to a running server and score who was heard speaking.

Used by the end-to-end tests (local recognizer, fake Deepgram) and bench/attribution.py.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import socketio

from tests.dialogue import Turn, true_speaker, true_talk_ratio

CHUNK_BYTES = 3200  # 100 ms of 16 kHz PCM16 mono


@dataclass
class Outcome:
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    call_id: str = ""

    def of(self, name: str) -> list[dict[str, Any]]:
        return [p for n, p in self.events if n == name]

    @property
    def finals(self) -> list[dict[str, Any]]:
        return [p for p in self.of("transcript") if p["is_final"]]

    def right_share(self, turns: list[Turn]) -> float:
        finals = self.finals
        right = sum(
            1 for p in finals if p["source"] == true_speaker(turns, p["start_ms"], p["end_ms"])
        )
        return right / len(finals) if finals else 0.0

    def talk_ratio_error(self, turns: list[Turn]) -> float:
        """Points between the last metrics' talk ratio and the truth."""
        last = self.of("metrics")[-1]
        return abs(last["talk_ratio"] - true_talk_ratio(turns)) * 100

    def objection_carded_on_prospect(self) -> bool:
        sources = {p["utterance_id"]: p["source"] for p in self.finals}
        return any(
            s["kind"] == "objection" and sources.get(s["trigger_utterance_id"]) == "prospect"
            for s in self.of("suggestion")
        )


def stream_dialogue(base_url: str, token: str, pcm: bytes, pace_s: float = 0.025) -> Outcome:
    """One call with the rep's microphone as its only source; returns every event heard."""
    client, outcome, lock = socketio.Client(reconnection=False), Outcome(), threading.Lock()

    def recorder(name: str):
        def handler(payload: dict[str, Any]) -> None:
            with lock:
                outcome.events.append((name, payload))

        return handler

    for name in ("transcript", "suggestion", "metrics", "call:status"):
        client.on(name, recorder(name), namespace="/audio")
    client.connect(base_url, namespaces=["/audio"], auth={"token": token}, transports=["websocket"])
    try:
        started = client.call("call:start", {"title": "One mic"}, namespace="/audio", timeout=10)
        assert started["ok"], started
        outcome.call_id = started["call_id"]
        for seq, offset in enumerate(range(0, len(pcm), CHUNK_BYTES)):
            chunk = {"call_id": outcome.call_id, "source": "rep", "seq": seq}
            ack = client.call(
                "audio", {**chunk, "data": pcm[offset : offset + CHUNK_BYTES]}, namespace="/audio"
            )
            assert ack["ok"], ack
            time.sleep(pace_s)
        stopped = client.call(
            "call:stop", {"call_id": outcome.call_id}, namespace="/audio", timeout=60
        )
        assert stopped["ok"], stopped
        time.sleep(0.5)  # the last metrics push
    finally:
        client.disconnect()
    return outcome
