"""One connection of the fake Deepgram: scripted recognition and control messages."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

if TYPE_CHECKING:
    from tests.fakes.fake_deepgram import ConnectionRecord, FakeDeepgramConfig

_MODEL_INFO = {"name": "general-nova-3", "version": "2025-01-01.0", "arch": "nova-3"}


class _Dropped(Exception):
    """The scripted fault closed the socket."""


class FakeSession:
    def __init__(
        self,
        ws: ServerConnection,
        record: ConnectionRecord,
        config: FakeDeepgramConfig,
        drop_after: int | None,
    ) -> None:
        self._ws, self._rec, self._cfg, self._drop_after = ws, record, config, drop_after
        rate = int(record.query.get("sample_rate", "16000"))
        self._bytes_per_s = rate * int(record.query.get("channels", "1")) * 2
        self._request_id = str(uuid.uuid4())
        self._pending = bytearray()  # audio of the current window
        self._window_start = 0.0  # connection seconds where the window starts
        self._interim_sent = False
        self._finals = 0
        self._last_word_end: float | None = None  # open utterance for UtteranceEnd
        self._diarize = record.query.get("diarize") == "true"
        self._phrase_pos: dict[int, int] = {}  # byte value -> phrases said so far
        self._loop = asyncio.get_running_loop()
        self._last_activity = self._loop.time()

    async def run(self) -> None:
        with contextlib.suppress(_Dropped, ConnectionClosed):
            await self._receive_loop()

    async def _receive_loop(self) -> None:
        while True:
            remaining = self._cfg.silence_timeout_s - (self._loop.time() - self._last_activity)
            if remaining <= 0:
                self._rec.close_reason = "silence_timeout"
                await self._ws.close(1011, "NET-0001")
                return
            try:
                message = await asyncio.wait_for(self._ws.recv(), remaining)
            except TimeoutError:
                continue
            if isinstance(message, bytes):
                if not message:  # Deepgram treats an empty frame as the end of the stream
                    self._rec.empty_frames += 1
                    await self._close_stream("empty_frame")
                    return
                await self._on_audio(message)
            elif await self._on_control(json.loads(message)):
                return

    async def _on_audio(self, data: bytes) -> None:
        if self._cfg.close_on_audio:
            self._rec.close_reason = "close_on_audio"
            await self._ws.close(*self._cfg.close_on_audio)
            raise _Dropped
        self._last_activity = self._loop.time()
        self._rec.audio_bytes += len(data)
        self._rec.audio_frames += 1
        self._rec.first_bytes.append(data[0])
        window = self._cfg.window_bytes
        for i in range(0, len(data), window):
            piece = data[i : i + window]
            if not self._pending and any(piece):
                await self._send(
                    {"type": "SpeechStarted", "channel": [0, 1], "timestamp": self._window_start}
                )
            self._pending.extend(piece)
            while len(self._pending) >= window:
                await self._emit_final(bytes(self._pending[:window]), from_finalize=False)
                del self._pending[:window]
            if len(self._pending) >= window // 2 and not self._interim_sent:
                self._interim_sent = True
                await self._send(self._results(bytes(self._pending), is_final=False))

    async def _on_control(self, message: dict[str, Any]) -> bool:
        """Handle a text message; True when the connection is done."""
        kind = str(message.get("type"))
        self._rec.controls.append(kind)
        self._last_activity = self._loop.time()
        if kind == "Finalize":
            await self._flush()
        elif kind == "CloseStream":
            await self._close_stream("close_stream")
            return True
        return False

    async def _flush(self) -> None:
        if self._pending:
            await self._emit_final(bytes(self._pending), from_finalize=True)
            self._pending.clear()

    async def _close_stream(self, reason: str) -> None:
        await self._flush()
        duration = self._rec.audio_bytes / self._bytes_per_s
        await self._send(
            {
                "type": "Metadata",
                "transaction_key": "deprecated",
                "request_id": self._request_id,
                "sha256": "0" * 64,
                "created": datetime.now(UTC).isoformat(),
                "duration": duration,
                "channels": 1,
                "models": [str(uuid.UUID(int=0))],
                "model_info": {str(uuid.UUID(int=0)): _MODEL_INFO},
            }
        )
        self._rec.close_reason = reason
        await self._ws.close(1000)

    async def _emit_final(self, audio: bytes, from_finalize: bool) -> None:
        message = self._results(audio, is_final=True, from_finalize=from_finalize)
        if any(audio):
            self._phrase_pos[audio[0]] = self._phrase_pos.get(audio[0], 0) + 1
        has_words = bool(message["channel"]["alternatives"][0]["words"])
        if has_words:
            self._finals += 1
            every = self._cfg.speech_final_every
            message["speech_final"] = bool(every) and self._finals % every == 0
        await self._send(message)
        self._window_start += len(audio) / self._bytes_per_s
        self._interim_sent = False
        if has_words and not message["speech_final"]:
            self._last_word_end = message["channel"]["alternatives"][0]["words"][-1]["end"]
        elif has_words:
            self._last_word_end = None
        elif self._last_word_end is not None:  # silence after words: the utterance ended
            end = self._last_word_end
            self._last_word_end = None
            await self._send({"type": "UtteranceEnd", "channel": [0, 1], "last_word_end": end})

    def _results(self, audio: bytes, is_final: bool, from_finalize: bool = False) -> dict[str, Any]:
        duration = len(audio) / self._bytes_per_s
        start = self._window_start
        words = [] if not any(audio) else _words(self._text(audio[0]), start, duration)
        if words and self._diarize:
            speaker = self._cfg.speakers.get(audio[0], audio[0] % 2)
            for word in words:
                word.update(speaker=speaker, speaker_confidence=0.9)
        return {
            "type": "Results",
            "channel_index": [0, 1],
            "duration": duration,
            "start": start,
            "is_final": is_final,
            "speech_final": False,
            "from_finalize": from_finalize,
            "channel": {
                "alternatives": [
                    {
                        "transcript": " ".join(w["punctuated_word"] for w in words),
                        "confidence": 0.98 if words else 0.0,
                        "words": words,
                    }
                ]
            },
            "metadata": {
                "request_id": self._request_id,
                "model_info": _MODEL_INFO,
                "model_uuid": str(uuid.UUID(int=0)),
            },
        }

    def _text(self, value: int) -> str:
        phrases = self._cfg.phrases.get(value)
        if not phrases:
            return f"segment {value}"
        return phrases[min(self._phrase_pos.get(value, 0), len(phrases) - 1)]

    async def _send(self, message: dict[str, Any]) -> None:
        if self._cfg.result_delay_s:
            await asyncio.sleep(self._cfg.result_delay_s)
        await self._ws.send(json.dumps(message))
        self._rec.messages_sent += 1
        if self._drop_after is not None and self._rec.messages_sent >= self._drop_after:
            self._rec.close_reason = "dropped"
            self._ws.transport.abort()
            raise _Dropped


def _words(text: str, start: float, duration: float) -> list[dict[str, Any]]:
    """Words spread evenly over the audio they came from."""
    tokens = text.split()
    step = duration / len(tokens)
    return [
        {
            "word": token,
            "start": round(start + i * step, 3),
            "end": round(start + (i + 1) * step, 3),
            "confidence": 0.98,
            "punctuated_word": token,
        }
        for i, token in enumerate(tokens)
    ]
