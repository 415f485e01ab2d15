"""The Socket.IO JSON adapter keeps Engine.IO's text packets working (upgrade probes)."""

from __future__ import annotations

import pytest

from app.sockets.packets import REFUSED_EVENT, PacketJson


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
