"""The connected phase of a Deepgram stream: the single writer of one socket.

Replays audio not yet covered by a final, then sends queued audio in order, a KeepAlive
whenever no audio has flowed for ``keepalive_interval_s``, and Finalize + CloseStream when
the stream finishes. Never sends an empty frame (Deepgram would close the stream).
"""

from __future__ import annotations

import logging
import time
from enum import Enum

from app.services.transcription.deepgram.connection import Attempt
from app.services.transcription.deepgram.send_state import SendState
from app.services.transcription.deepgram.timeline import ConnectionTimeline, StampedChunk

log = logging.getLogger(__name__)

_CLOSING_POLL_S = 0.5  # wait step while Deepgram flushes after CloseStream


class PumpEnd(Enum):
    FINISHED = "finished"  # CloseStream sent and the socket closed
    DROPPED = "dropped"  # the socket closed or failed under us
    STOPPED = "stopped"  # abort, or finish ran out of time


class _Action(Enum):
    AUDIO = "audio"
    KEEPALIVE = "keepalive"
    FINISH = "finish"
    CLOSED = "closed"
    STOP = "stop"


class Pump:
    """Runs until the connection ends; returns why."""

    def __init__(
        self,
        state: SendState,
        attempt: Attempt,
        timeline: ConnectionTimeline,
        keepalive_interval_s: float,
    ) -> None:
        self._state, self._attempt, self._timeline = state, attempt, timeline
        self._keepalive_s = keepalive_interval_s
        self._close_sent = False
        self.keepalives = 0

    def run(self) -> PumpEnd:
        try:
            self._replay()
            return self._loop()
        except Exception as exc:  # noqa: BLE001 - ConnectionClosed, OSError...: the socket is gone
            log.info("deepgram send failed", extra={"error": type(exc).__name__})
            return PumpEnd.FINISHED if self._close_sent else PumpEnd.DROPPED

    def _replay(self) -> None:
        s = self._state
        pending = s.replay.pending(s.clock, s.covered_ms())
        s.replay.clear()
        header = s.header
        if header is not None and s.sent_audio and not (pending and pending[0].data is header):
            self._attempt.conn.send_media(header)  # a new session needs the WebM header
        if pending:
            log.info(
                "deepgram replaying audio",
                extra={"ms": int(pending[-1].end_ms - pending[0].start_ms)},
            )
        for chunk in pending:
            self._send_audio(chunk)

    def _loop(self) -> PumpEnd:
        conn = self._attempt.conn
        last_sent = time.monotonic()
        while True:
            action, chunk = self._next_action(last_sent)
            if action is _Action.STOP:
                return PumpEnd.STOPPED
            if action is _Action.CLOSED:
                return PumpEnd.FINISHED if self._close_sent else PumpEnd.DROPPED
            if action is _Action.AUDIO and chunk is not None:
                self._send_audio(chunk)
            elif action is _Action.KEEPALIVE:
                conn.send_keep_alive()
                self.keepalives += 1
            elif action is _Action.FINISH:
                conn.send_finalize()
                conn.send_close_stream()
                self._close_sent = True
            last_sent = time.monotonic()

    def _next_action(self, last_sent: float) -> tuple[_Action, StampedChunk | None]:
        s = self._state
        with s.cond:
            while True:
                if s.stop_now:
                    return _Action.STOP, None
                if self._attempt.closed:
                    return _Action.CLOSED, None
                if s.queue:
                    return _Action.AUDIO, s.queue.popleft()
                if self._close_sent:
                    s.cond.wait(_CLOSING_POLL_S)
                    continue
                if s.finishing:
                    return _Action.FINISH, None
                remaining = self._keepalive_s - (time.monotonic() - last_sent)
                if remaining <= 0:
                    return _Action.KEEPALIVE, None
                s.cond.wait(remaining)

    def _send_audio(self, chunk: StampedChunk) -> None:
        if not chunk.data:
            return
        s = self._state
        s.replay.trim(s.covered_ms())
        self._attempt.conn.send_media(chunk.data)
        s.sent_audio = True
        self._timeline.record(chunk)
        s.gap_closed()
        lost_ms = s.replay.add(chunk)
        if lost_ms:
            log.info("deepgram replay buffer full", extra={"ms": int(lost_ms)})
