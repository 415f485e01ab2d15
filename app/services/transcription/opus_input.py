"""``opus_packets`` in front of any provider: its streams see 16 kHz mono linear16.

The decoding runs where the chunk is forwarded (the call's single writer per source), so
everything after it — exact stream timestamps, the local recognizer's resumable PCM
streams, Deepgram's replay buffer — is the linear16 path unchanged.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace

from app.services.transcription.base import (
    AudioFormat,
    StatusCallback,
    Transcriber,
    TranscriptCallback,
    TranscriptionStream,
)
from app.services.transcription.opus_packets import OUTPUT_RATE, BadOpusChunk, OpusPacketDecoder

log = logging.getLogger(__name__)


class OpusPacketStream:
    """Decodes each chunk with its own source's decoder and sends the PCM on."""

    def __init__(self, inner: TranscriptionStream) -> None:
        self._inner = inner
        self._decoder = OpusPacketDecoder()
        self._lock = threading.Lock()  # a last chunk may race the stop's flush

    def send(self, chunk: bytes) -> None:
        if not chunk:
            return
        with self._lock:
            try:
                pcm = self._decoder.decode(chunk)
            except BadOpusChunk as exc:  # refused at the ack already: not normally reached
                log.warning("opus chunk dropped", extra={"reason": str(exc)})
                return
            if pcm:
                self._inner.send(pcm)

    def finish(self, timeout: float) -> None:
        with self._lock:
            tail = self._decoder.flush()
            if tail:
                self._inner.send(tail)
        self._inner.finish(timeout)

    def abort(self) -> None:
        self._inner.abort()


class OpusPacketInput:
    """A transcriber whose streams accept ``opus_packets`` chunks."""

    def __init__(self, inner: Transcriber) -> None:
        self.inner = inner
        self.name = inner.name

    def open_stream(
        self, audio_format: AudioFormat, on_result: TranscriptCallback, on_status: StatusCallback
    ) -> TranscriptionStream:
        pcm = replace(audio_format, encoding="linear16", sample_rate=OUTPUT_RATE, channels=1)
        return OpusPacketStream(self.inner.open_stream(pcm, on_result, on_status))

    def close(self) -> None:
        """The inner transcriber belongs to the process, not to this call: nothing to do."""


def input_for(transcriber: Transcriber, audio_format: AudioFormat) -> Transcriber:
    """The transcriber a call with this declared format opens its streams on."""
    if audio_format.encoding == "opus_packets":
        return OpusPacketInput(transcriber)
    return transcriber
