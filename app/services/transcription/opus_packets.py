"""The ``opus_packets`` audio encoding: framed Opus packets, each chunk decodable on its own.

A chunk is one or more records, each a 2-byte big-endian length (1..MAX_PACKET_BYTES)
followed by that many bytes of one Opus packet (RFC 6716), as a WebCodecs ``AudioEncoder``
emits them. Nothing spans chunks: a chunk can be resent, skipped or picked up after a
resume on another worker, and its duration is known from the packets' TOC bytes.

:class:`OpusPacketDecoder` turns chunks of one source into 16 kHz mono PCM16 (libopus
through PyAV, resampled from its 48 kHz output); a packet libopus refuses becomes silence
of the same duration, so the stream's timeline stays exact.
"""

from __future__ import annotations

import logging

import av
import numpy as np

log = logging.getLogger(__name__)

MAX_PACKET_BYTES = 1275  # the largest single-frame Opus packet (RFC 6716 §3.2.1)
MAX_PACKET_SAMPLES_48K = 5760  # 120 ms: the longest packet Opus allows
OUTPUT_RATE = 16000
DECODE_RATE = 48000  # libopus in FFmpeg always decodes at 48 kHz
# Frame sizes at 48 kHz by TOC config (RFC 6716 §3.1, Table 2).
_SILK = (480, 960, 1920, 2880)  # configs 0-11: 10, 20, 40, 60 ms
_HYBRID = (480, 960)  # configs 12-15: 10, 20 ms
_CELT = (120, 240, 480, 960)  # configs 16-31: 2.5, 5, 10, 20 ms


class BadOpusChunk(ValueError):
    """The chunk's framing or a packet's TOC is malformed; ``str(exc)`` is a short code."""


def frame_packets(packets: list[bytes]) -> bytes:
    """The chunk carrying ``packets`` (the client's side of the format)."""
    out = bytearray()
    for packet in packets:
        if not 1 <= len(packet) <= MAX_PACKET_BYTES:
            raise BadOpusChunk("packet_size")
        out += len(packet).to_bytes(2, "big") + packet
    return bytes(out)


def split_packets(chunk: bytes) -> list[bytes]:
    """The packets of a chunk; raises :class:`BadOpusChunk` unless the framing is exact."""
    packets: list[bytes] = []
    pos = 0
    while pos < len(chunk):
        if pos + 2 > len(chunk):
            raise BadOpusChunk("truncated_length")
        size = int.from_bytes(chunk[pos : pos + 2], "big")
        if not 1 <= size <= MAX_PACKET_BYTES or pos + 2 + size > len(chunk):
            raise BadOpusChunk("packet_size")
        packets.append(chunk[pos + 2 : pos + 2 + size])
        pos += 2 + size
    if not packets:
        raise BadOpusChunk("empty")
    return packets


def packet_samples(packet: bytes) -> int:
    """Samples at 48 kHz that ``packet`` decodes to, from its TOC byte (and frame count)."""
    config, code = packet[0] >> 3, packet[0] & 3
    if config < 12:
        frame = _SILK[config % 4]
    elif config < 16:
        frame = _HYBRID[config % 2]
    else:
        frame = _CELT[config % 4]
    if code == 0:
        frames = 1
    elif code in (1, 2):
        frames = 2
    elif len(packet) < 2:
        raise BadOpusChunk("frame_count")
    else:
        frames = packet[1] & 0x3F
    total = frame * frames
    if not 0 < total <= MAX_PACKET_SAMPLES_48K:
        raise BadOpusChunk("frame_count")
    return total


def chunk_samples(chunk: bytes) -> int:
    """Checks a chunk; returns its duration in 48 kHz samples. Raises BadOpusChunk."""
    return sum(packet_samples(p) for p in split_packets(chunk))


class OpusPacketDecoder:
    """One source's decoder: chunks in, 16 kHz mono PCM16 bytes out (not thread-safe)."""

    def __init__(self) -> None:
        self._codec = av.CodecContext.create("libopus", "r")
        self._codec.sample_rate = DECODE_RATE  # type: ignore[attr-defined]
        self._codec.layout = "mono"  # type: ignore[attr-defined]
        self._resampler = av.AudioResampler(format="s16", layout="mono", rate=OUTPUT_RATE)
        self.concealed_packets = 0

    def decode(self, chunk: bytes) -> bytes:
        """PCM of a chunk; raises BadOpusChunk on bad framing (nothing is decoded then)."""
        packets = [(p, packet_samples(p)) for p in split_packets(chunk)]
        out = [self._packet(packet, samples) for packet, samples in packets]
        return b"".join(out)

    def flush(self) -> bytes:
        """The resampler's last few samples, at the end of the stream (or before a gap)."""
        tail = self._pcm(self._resampler.resample(None))
        self._resampler = av.AudioResampler(format="s16", layout="mono", rate=OUTPUT_RATE)
        return tail

    def _packet(self, packet: bytes, samples: int) -> bytes:
        try:
            frames = self._codec.decode(av.Packet(packet))  # type: ignore[attr-defined]
        except av.error.FFmpegError:  # a corrupt packet: keep its time as silence
            self.concealed_packets += 1
            log.warning("opus packet concealed", extra={"samples": samples})
            frames = [_silence(samples)]
        return b"".join(self._pcm(self._resampler.resample(frame)) for frame in frames)

    @staticmethod
    def _pcm(frames: list[av.AudioFrame]) -> bytes:
        # planes are padded: keep exactly `samples` int16 values
        return b"".join(bytes(f.planes[0])[: 2 * f.samples] for f in frames)


def _silence(samples: int) -> av.AudioFrame:
    frame = av.AudioFrame.from_ndarray(
        np.zeros((1, samples), dtype="<i2"), format="s16", layout="mono"
    )
    frame.sample_rate = DECODE_RATE
    return frame
