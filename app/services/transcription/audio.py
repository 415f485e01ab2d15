"""Audio decoding for the recognition worker: PCM16 framing, resampling, WebM/Ogg via PyAV.

Everything here runs in the worker process. Output is always float32 mono at 16 kHz in
[-1, 1], delivered in arbitrary-sized pieces.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

import numpy as np

TARGET_RATE = 16000
PcmSink = Callable[[np.ndarray], None]
CONTAINER_MAGIC = {b"\x1a\x45\xdf\xa3": "matroska", b"OggS": "ogg"}  # WebM is Matroska


def pcm16_to_mono(data: bytes, channels: int) -> np.ndarray:
    """Little-endian interleaved int16 → float32 mono (channel mean); len must be whole frames."""
    samples = np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    return samples


class StreamingResampler:
    """Linear-interpolation resampler that keeps its phase across chunks.

    Linear interpolation is enough for speech recognition at 16 kHz; a preceding
    moving-average stage damps aliasing when downsampling by an integer-ish factor.
    """

    def __init__(self, src_rate: int, dst_rate: int = TARGET_RATE) -> None:
        if src_rate <= 0 or dst_rate <= 0:
            raise ValueError("bad_sample_rate")
        self.step = src_rate / dst_rate
        self._taps = max(1, int(self.step)) if self.step > 1.5 else 1
        self._tail = np.zeros(0, dtype=np.float32)  # last input sample(s) for continuity
        self._next = 0.0  # position of the next output sample, relative to _tail[0]
        self._smooth_tail = np.zeros(self._taps - 1, dtype=np.float32)

    def process(self, x: np.ndarray) -> np.ndarray:
        if self.step == 1.0:
            return x.astype(np.float32, copy=False)
        x = self._smooth(x.astype(np.float32, copy=False))
        buf = np.concatenate([self._tail, x])
        if len(buf) < 2:
            self._tail = buf
            return np.zeros(0, dtype=np.float32)
        last = len(buf) - 1
        positions = np.arange(self._next, last, self.step)
        out = np.interp(positions, np.arange(len(buf)), buf).astype(np.float32)
        nxt = self._next + len(positions) * self.step
        self._next = nxt - last
        self._tail = buf[last:]
        return out

    def _smooth(self, x: np.ndarray) -> np.ndarray:
        if self._taps == 1:
            return x
        padded = np.concatenate([self._smooth_tail, x])
        kernel = np.full(self._taps, 1.0 / self._taps, dtype=np.float32)
        self._smooth_tail = padded[len(padded) - (self._taps - 1) :]
        return np.convolve(padded, kernel, mode="valid").astype(np.float32)


class Pcm16Decoder:
    """Declared linear16 → 16 kHz mono float; tolerates chunks that split a sample frame."""

    def __init__(self, sample_rate: int, channels: int, sink: PcmSink) -> None:
        if channels < 1 or channels > 8:
            raise ValueError("bad_channels")
        self._frame_bytes = 2 * channels
        self._channels = channels
        self._rest = b""
        self._resampler = StreamingResampler(sample_rate)
        self._sink = sink

    def feed(self, data: bytes) -> None:
        data = self._rest + data
        whole = len(data) - len(data) % self._frame_bytes
        self._rest = data[whole:]
        if whole:
            out = self._resampler.process(pcm16_to_mono(data[:whole], self._channels))
            if len(out):
                self._sink(out)

    def close(self) -> None:
        self._rest = b""


class _BlockingReader:
    """A file-like object whose ``read`` blocks until bytes arrive or the writer closes it."""

    def __init__(self) -> None:
        self._chunks: deque[bytes] = deque()
        self._cond = threading.Condition()
        self._eof = False

    def push(self, data: bytes) -> None:
        with self._cond:
            self._chunks.append(data)
            self._cond.notify()

    def close(self) -> None:
        with self._cond:
            self._eof = True
            self._cond.notify()

    def peek(self, size: int) -> bytes:
        """The first ``size`` bytes (fewer at EOF), without consuming them."""
        with self._cond:
            while sum(map(len, self._chunks)) < size and not self._eof:
                self._cond.wait()
            return b"".join(self._chunks)[:size]

    def read(self, size: int = -1) -> bytes:
        with self._cond:
            while not self._chunks and not self._eof:
                self._cond.wait()
            if not self._chunks:
                return b""
            data = self._chunks.popleft()
            if 0 < size < len(data):
                self._chunks.appendleft(data[size:])
                data = data[:size]
            return data


class ContainerDecoder:
    """Decodes a WebM/Ogg (Opus) byte stream incrementally on its own thread with PyAV.

    Calls ``sink`` with 16 kHz mono float pieces, ``on_error(code)`` if the bytes are not
    decodable audio, and always ``on_end()`` last.
    """

    def __init__(
        self, sink: PcmSink, on_error: Callable[[str], None], on_end: Callable[[], None]
    ) -> None:
        self._reader = _BlockingReader()
        self._sink = sink
        self._on_error = on_error
        self._on_end = on_end
        self._thread = threading.Thread(target=self._run, name="asr-decode", daemon=True)
        self._thread.start()

    def feed(self, data: bytes) -> None:
        self._reader.push(data)

    def close(self) -> None:
        self._reader.close()

    def _run(self) -> None:
        try:
            self._decode()
        except Exception:  # noqa: BLE001 - any demux/decode failure means "not our audio"
            self._on_error("unsupported_audio")
        finally:
            self._on_end()

    def _decode(self) -> None:
        import av  # imported here: only worker processes decode containers

        magic = self._reader.peek(4)
        if magic not in CONTAINER_MAGIC:
            raise ValueError("unknown_container")  # fail fast: probing garbage waits for EOF
        with av.open(self._reader, mode="r", format=CONTAINER_MAGIC[magic]) as container:
            if not container.streams.audio:
                raise ValueError("no_audio_stream")
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="s16", layout="mono", rate=TARGET_RATE)
            for packet in container.demux(stream):
                for frame in packet.decode():
                    self._emit(resampler.resample(frame))
            self._emit(resampler.resample(None))

    def _emit(self, frames: list) -> None:
        for frame in frames:
            # planes are padded: keep exactly `samples` int16 values
            raw = np.frombuffer(bytes(frame.planes[0]), dtype="<i2")[: frame.samples]
            if len(raw):
                self._sink(raw.astype(np.float32) / 32768.0)
