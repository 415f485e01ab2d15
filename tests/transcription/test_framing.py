from __future__ import annotations

import pytest

from app.services.transcription.local.framing import (
    HEADER,
    FrameError,
    FrameReader,
    Kind,
    encode,
    encode_json,
)


def test_frames_survive_being_split_at_every_byte() -> None:
    data = encode(Kind.AUDIO, 7, b"\x00\x01" * 50) + encode_json(Kind.OPEN, 8, {"a": 1})
    for cut in range(len(data) + 1):
        reader = FrameReader()
        frames = reader.feed(data[:cut]) + reader.feed(data[cut:])
        assert [(f.kind, f.stream_id) for f in frames] == [(Kind.AUDIO, 7), (Kind.OPEN, 8)]
        assert frames[0].payload == b"\x00\x01" * 50
        assert frames[1].json() == {"a": 1}


def test_many_frames_in_one_read_come_out_in_order() -> None:
    data = b"".join(encode(Kind.AUDIO, 1, bytes([i])) for i in range(20))
    frames = FrameReader().feed(data)
    assert [f.payload for f in frames] == [bytes([i]) for i in range(20)]


def test_empty_payload_frame_is_parsed() -> None:
    (frame,) = FrameReader().feed(encode(Kind.FINISH, 3))
    assert frame.kind == Kind.FINISH and frame.payload == b"" and frame.json() == {}


def test_oversized_length_is_rejected_without_waiting_for_the_body() -> None:
    with pytest.raises(FrameError):
        FrameReader().feed(HEADER.pack(1 << 30, int(Kind.AUDIO), 1))


def test_unknown_kind_is_rejected() -> None:
    with pytest.raises(FrameError):
        FrameReader().feed(HEADER.pack(0, 99, 1))
