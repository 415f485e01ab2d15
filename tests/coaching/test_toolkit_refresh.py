"""Edits of a team's toolkit reach its live calls without a restart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from app.services import toolkit
from app.services.live.toolkit_refresh import refresh_toolkits

from .helpers import utt
from .test_coach import make_coach


@dataclass
class Identity:
    team_id: str


@dataclass
class Live:
    identity: Identity
    coach: Any


def test_a_changed_example_takes_effect_on_a_live_call(monkeypatch: pytest.MonkeyPatch) -> None:
    coach, sink, _clock, _ = make_coach()
    entries = toolkit.load_default_entries()
    odd = "the llamas in accounting ate the invoice again"
    for entry in entries:
        if entry["name"] == "objection-price":
            entry["examples"] = [*entry["examples"], odd, "llamas ate our invoices"]
    monkeypatch.setattr(toolkit, "entries_for", lambda team_id: entries)
    assert refresh_toolkits([Live(Identity("team-1"), coach)]) == 1
    assert refresh_toolkits([Live(Identity("team-1"), coach)]) == 0
    coach.on_final(utt("the llamas in accounting ate the invoice again", 0, 3))
    assert [s.entry_id for s in sink.suggestions] == ["objection-price"]
