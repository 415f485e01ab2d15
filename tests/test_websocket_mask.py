from __future__ import annotations

import warnings

from hypothesis import given, settings
from hypothesis import strategies as st

from app.websocket_mask import xor_mask

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from eventlet.websocket import RFC6455WebSocket

EVENTLET_UNMASK = RFC6455WebSocket.__dict__["_apply_mask"].__func__


@settings(max_examples=300, deadline=None)
@given(
    data=st.binary(max_size=9000) | st.binary(min_size=1000, max_size=1100),
    mask=st.binary(min_size=4, max_size=4),
    offset=st.integers(min_value=0, max_value=7),
    cut=st.integers(min_value=0, max_value=9000) | st.integers(min_value=1020, max_value=1030),
)
def test_fast_unmask_gives_exactly_eventlets_bytes(data, mask, offset, cut):
    assert EVENTLET_UNMASK is not xor_mask  # compare against eventlet's own code
    length = min(cut, len(data))
    as_read = tuple(mask)  # eventlet reads the mask with struct.unpack("!BBBB", ...)
    assert xor_mask(data, mask, length, offset) == EVENTLET_UNMASK(data, mask, length, offset)
    assert xor_mask(data, as_read, length, offset) == EVENTLET_UNMASK(data, mask, length, offset)
    assert xor_mask(data, mask) == EVENTLET_UNMASK(data, mask)


def test_a_masked_frame_round_trips():
    payload = bytes(range(256)) * 40
    masked = xor_mask(payload, b"\x12\x34\x56\x78")
    assert masked != payload and xor_mask(masked, b"\x12\x34\x56\x78") == payload
