"""One audio stream inside a recognition worker: decode → segment → (the worker recognises,
batched over its streams) → frames."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.services.attribution.features import voice_features
from app.services.transcription.audio import ContainerDecoder, Pcm16Decoder
from app.services.transcription.local.framing import Kind, encode, encode_json
from app.services.transcription.local.recognizer import Hypothesis
from app.services.transcription.local.settings import LocalAsrSettings
from app.services.transcription.vad import RATE, Segmenter, Utterance, VadConfig

Send = Callable[[bytes], None]
Post = Callable[[tuple[Any, ...]], None]


def vad_config(settings: LocalAsrSettings) -> VadConfig:
    return VadConfig(
        silence_ms=settings.vad_silence_ms,
        speech_start_ms=settings.vad_speech_start_ms,
        pre_roll_ms=settings.vad_pre_roll_ms,
        margin_db=settings.vad_margin_db,
        min_speech_dbfs=settings.vad_min_speech_dbfs,
        noise_window_s=settings.vad_noise_window_s,
        max_utterance_s=settings.max_utterance_s,
    )


@dataclass
class _Early:
    utterance: Utterance
    hyp: Hypothesis | None = None  # None until decoded


def _same(a: Utterance, b: Utterance) -> bool:
    return a.start == b.start and len(a.audio) == len(b.audio)


class WorkerSession:
    """State of one stream; all methods run on the worker's main thread."""

    def __init__(
        self,
        sid: int,
        spec: dict[str, Any],
        settings: LocalAsrSettings,
        send: Send,
        post: Post,
    ) -> None:
        self.sid = sid
        self._offset_ms = int(spec.get("offset_ms", 0))
        self._send = send
        self._segmenter = Segmenter(vad_config(settings))
        self._pending: list[Utterance] = []
        self._partial_every = int(settings.partial_interval_s * RATE)
        self._partial_at: tuple[int, int] = (-1, 0)  # (utterance start, length at last partial)
        self._finishing = False
        self._input_done = False
        self._failed = False
        self.ended = False  # the last final is taken; FINISHED follows it
        self._early: _Early | None = None  # the open utterance's final, decoded in its pause
        self._decoder: Pcm16Decoder | ContainerDecoder
        if spec.get("encoding", "linear16") == "linear16":
            rate, channels = int(spec.get("sample_rate", RATE)), int(spec.get("channels", 1))
            self._decoder = Pcm16Decoder(rate, channels, self.pcm)
        else:
            self._decoder = ContainerDecoder(
                lambda pcm: post(("pcm", sid, pcm)),
                lambda code: post(("error", sid, code)),
                lambda: post(("end", sid)),
            )

    def audio(self, data: bytes) -> None:
        if not self._failed and not self._finishing and data:
            self._decoder.feed(data)

    def pcm(self, samples: np.ndarray) -> None:
        self._pending.extend(self._segmenter.feed(samples))

    def finish(self) -> None:
        self._finishing = True
        self._decoder.close()
        if isinstance(self._decoder, Pcm16Decoder):
            self._input_done = True

    def input_ended(self) -> None:
        self._input_done = True

    def fail(self, code: str) -> None:
        """Undecodable input: tell the server once and ignore further audio."""
        if not self._failed:
            self._failed = True
            self._send(encode_json(Kind.STATUS, self.sid, {"state": "failed", "reason": code}))

    def abort(self) -> None:
        self._decoder.close()

    def take_finals(self) -> list[Utterance]:
        """Utterances to recognise now as finals: the closed ones (but not one already
        decoded during its closing pause), the open one once its pause has settled its
        audio (``Segmenter.settled_audio``: decoded early, sent when the pause closes it),
        and once the stream is done its last one."""
        due: list[Utterance] = []
        for utterance in self._pending:
            early = self._early
            if early is not None and early.hyp is not None and _same(early.utterance, utterance):
                self.emit(utterance, early.hyp, final=True)
            else:
                due.append(utterance)
        if self._pending:
            self._pending, self._early = [], None
        if self._finishing and self._input_done and not self.ended:
            last = self._segmenter.flush()
            if last is not None:
                due.append(last)
            self.ended = True  # report_finished() once these finals are sent
            return due
        settled = self._segmenter.settled_audio()
        if settled is None:
            self._speech_resumed()
        elif self._early is None or not _same(self._early.utterance, settled):
            self._early = _Early(settled)
            due.append(settled)
        return due

    def _speech_resumed(self) -> None:
        """The pause ended before closing the utterance: its early final is a partial."""
        early, self._early = self._early, None
        if early is not None and early.hyp is not None and self._segmenter.is_open:
            self.emit(early.utterance, early.hyp, final=False)
            self._partial_at = (early.utterance.start, len(early.utterance.audio))

    def report_finished(self) -> None:
        self._send(encode(Kind.FINISHED, self.sid))

    def due_partial(self, stretch: float = 1.0) -> Utterance | None:
        """The open utterance if it grew by a partial interval (times ``stretch``) since
        its last partial."""
        current = self._segmenter.open_audio()
        if current is None or self.ended:
            return None
        start, done = self._partial_at
        if start != current.start:
            start, done = current.start, 0
        if len(current.audio) - done < self._partial_every * stretch:
            self._partial_at = (start, done)
            return None
        self._partial_at = (start, len(current.audio))
        return current

    def emit(self, utterance: Utterance, hyp: Hypothesis, final: bool) -> None:
        if self._early is not None and utterance is self._early.utterance:
            self._early.hyp = hyp  # kept until the pause closes the utterance
            return
        if hyp.text:
            self._send(encode_json(Kind.RESULT, self.sid, self._result(utterance, hyp, final)))

    def _result(self, utterance: Utterance, hyp: Hypothesis, final: bool) -> dict[str, Any]:
        base = self._offset_ms + utterance.start * 1000 // RATE
        return {
            "text": hyp.text,
            "is_final": final,
            "start_ms": base,
            "end_ms": self._offset_ms + utterance.end * 1000 // RATE,
            "confidence": round(hyp.confidence, 4),
            "words": [
                [text, base + round(s * 1000), base + round(e * 1000), round(p, 4)]
                for text, s, e, p in hyp.words
            ],
            "voice": voice_features(utterance.audio),
            "alternatives": list(hyp.alternatives),
        }
