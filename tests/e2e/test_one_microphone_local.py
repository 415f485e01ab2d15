"""One microphone, two voices, the embedded recognizer: a real server process streams a
synthetic speakerphone dialogue (the prospect through a telephone band, quieter) as the
rep's only source and must tell who spoke each line."""

from __future__ import annotations

import pytest
import requests

from tests.dialogue import VARIANTS, build_dialogue
from tests.dialogue_client import stream_dialogue
from tests.servers import free_port, migrate, running_server, server_env, setup_admin

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("one-mic")
    env = server_env(
        f"sqlite:///{tmp / 'one-mic.db'}",
        free_port(),
        TRANSCRIBER="local",
        COACH="playbook",
        ASYNC_MODE="eventlet",
    )
    migrate(env)
    with running_server(env) as base_url:
        yield base_url, setup_admin(base_url, team="Onemic")


@pytest.mark.parametrize("variant", ["m3_vs_gb_f2", "gb_m4_vs_us_f3"])
def test_a_speakerphone_dialogue_on_one_microphone_is_attributed_carded_and_measured(
    server, tmp_path, variant
):
    server, token = server
    pcm, turns = build_dialogue(tmp_path, VARIANTS[variant])
    outcome = stream_dialogue(server, token, pcm)

    finals = outcome.finals
    assert len(finals) >= len(turns) - 2, [f["text"] for f in finals]
    assert outcome.right_share(turns) >= 0.9, [(f["source"], f["text"]) for f in finals]
    assert all(f["attribution"]["method"] in ("first_voice", "voice") for f in finals)
    assert outcome.objection_carded_on_prospect()
    assert outcome.talk_ratio_error(turns) <= 10

    stored = requests.get(
        f"{server}/api/v1/calls/{outcome.call_id}/transcript",
        timeout=10,
        headers={"Authorization": f"Bearer {token}"},
    ).json()["items"]
    assert [(u["source"], u["attribution"]) for u in stored] == [
        (f["source"], f["attribution"]) for f in finals
    ]
