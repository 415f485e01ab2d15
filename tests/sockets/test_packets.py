"""The Socket.IO JSON adapter keeps Engine.IO's text packets working (upgrade probes)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from socketio.packet import Packet

from app.sockets.packets import REFUSED_EVENT, EventPacket, PacketJson

payloads = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=5)
    | st.binary(max_size=3)
    | st.builds(bytearray, st.binary(max_size=3)),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4)
    ),
    max_leaves=20,
)


def test_text_that_is_not_json_raises_like_the_json_module_so_upgrade_probes_stay_text():
    # Engine.IO tries json.loads on every text packet and keeps the text when it fails:
    # a polling client upgrading to a websocket sends "probe" and must get "probe" back.
    with pytest.raises(ValueError):
        PacketJson.loads("probe")


def test_json_past_the_limits_becomes_the_refused_event():
    deep = "[" * 40 + "]" * 40
    assert PacketJson.loads(deep)[0] == REFUSED_EVENT
    assert PacketJson.loads('["call:start", Infinity]')[0] == REFUSED_EVENT
    assert PacketJson.loads('["call:start", {"title": "ok"}]') == ["call:start", {"title": "ok"}]


@settings(max_examples=300, deadline=None)
@given(data=payloads)
def test_the_binary_check_agrees_with_python_socketios(data):
    assert EventPacket.data_is_binary(data) is Packet.data_is_binary(data)


def test_an_emitted_event_encodes_as_with_the_stock_packet():
    data = ["transcript", {"call_id": "c1", "text": "hi", "words": [{"w": "hi", "s": 0}]}]
    assert EventPacket(data=data).encode() == Packet(data=data).encode()
    with_bytes = ["audio", {"data": b"\x00\x01"}]
    assert EventPacket(data=with_bytes).encode() == Packet(data=with_bytes).encode()
