"""The ``opus_packets`` encoding: framing, packet durations, decoding to 16 kHz PCM16."""

from __future__ import annotations

import numpy as np
import pytest

from app.services.transcription.opus_packets import (
    BadOpusChunk,
    OpusPacketDecoder,
    chunk_samples,
    frame_packets,
    packet_samples,
    split_packets,
)
from tests.speech import opus_packets, to_opus_chunks

RATE = 16000


def tone(seconds: float, hz: float = 440.0) -> bytes:
    t = np.arange(int(RATE * seconds)) / RATE
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 2 * t)  # not a steady tone: the codec must follow
    return (9000 * envelope * np.sin(2 * np.pi * hz * t)).astype("<i2").tobytes()


def decode_all(chunks: list[bytes], decoder: OpusPacketDecoder | None = None) -> np.ndarray:
    decoder = decoder or OpusPacketDecoder()
    pcm = b"".join(decoder.decode(c) for c in chunks) + decoder.flush()
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64)


def test_framing_round_trips_and_packets_keep_their_bytes():
    packets = [b"\x48" + bytes(range(40)), b"\xfc\x01", b"\x48" * 1275]
    assert split_packets(frame_packets(packets)) == packets


@pytest.mark.parametrize(
    ("chunk", "code"),
    [
        (b"", "empty"),
        (b"\x00", "truncated_length"),
        (b"\x00\x00", "packet_size"),  # a zero-length record
        (b"\x00\x05\x48\x00", "packet_size"),  # says 5 bytes, carries 2
        (b"\x05\x00" + b"\x48" * 1280, "packet_size"),  # over the largest Opus packet
        (b"\x00\x01\x48\x00", "truncated_length"),  # a trailing byte after a whole packet
        (b"\x00\x01\x4b", "frame_count"),  # code 3 without its frame-count byte
        (b"\x00\x02\x4b\x3f", "frame_count"),  # 63 x 20 ms: over Opus's 120 ms
    ],
)
def test_malformed_chunks_are_refused_with_a_reason(chunk, code):
    with pytest.raises(BadOpusChunk) as raised:
        chunk_samples(chunk)
    assert str(raised.value) == code


@pytest.mark.parametrize(
    ("packet", "samples"),
    [
        (b"\x08", 960),  # SILK 20 ms, one frame
        (b"\x00", 480),  # SILK 10 ms
        (b"\x18", 2880),  # SILK 60 ms
        (b"\x68", 960),  # Hybrid 20 ms
        (b"\x80", 120),  # CELT 2.5 ms
        (b"\xf9\x00\x00", 1920),  # CELT 20 ms, code 1: two frames
        (b"\x4b\x03", 2880),  # SILK 20 ms, code 3: three frames
    ],
)
def test_a_packets_duration_comes_from_its_toc(packet, samples):
    assert packet_samples(packet) == samples


def test_decoding_gives_16khz_pcm16_of_exactly_the_packets_duration():
    pcm = tone(2.0)
    chunks = to_opus_chunks(pcm)
    out = decode_all(chunks)
    assert len(out) == sum(chunk_samples(c) for c in chunks) // 3
    source = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    lag = 104  # libopus's look-ahead (6.5 ms at 16 kHz) delays the signal
    n = len(source) - 400
    assert np.corrcoef(source[:n], out[lag : lag + n])[0, 1] > 0.9


def test_each_chunk_decodes_on_its_own_as_after_a_resume_on_another_worker():
    chunks = to_opus_chunks(tone(2.0))
    later = decode_all(chunks[10:])  # a fresh decoder picks the stream up mid-way
    assert len(later) == sum(chunk_samples(c) for c in chunks[10:]) // 3
    assert np.abs(later[2000:]).max() > 3000  # audible, not silence


def test_a_packet_libopus_refuses_becomes_silence_of_its_length_and_decoding_goes_on():
    packets = opus_packets(tone(0.6))
    refused = b"\x49\x00\x00\x00"  # code 1 with an odd payload: two 20 ms frames, invalid
    decoder = OpusPacketDecoder()
    head = decoder.decode(frame_packets(packets[:10]))
    middle = decoder.decode(frame_packets([refused]))
    tail = decoder.decode(frame_packets(packets[10:20]))
    assert decoder.concealed_packets == 1
    assert len(head + middle + tail + decoder.flush()) == 2 * (20 * 320 + 640)
    both = np.frombuffer(middle + tail, dtype="<i2")
    assert np.abs(both[-2000:]).max() > 3000  # the packets after it still decode
