"""Benchmark: one-microphone attribution end to end (not a test; not part of ``make bench``).

Run from the repository root: ``.venv/bin/python -m bench.attribution_live``.

Starts a real server (eventlet, embedded Whisper recognizer, playbook coach, scratch
SQLite), streams each synthetic dialogue of tests/dialogue.py as the rep's only source at
4x real time, and reports the share of finals with the right speaker, the talk-ratio
error against the truth, and whether the prospect's price objection was carded.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.attribution import HARDER
from bench.report import Table
from tests.dialogue import VARIANTS, build_dialogue
from tests.dialogue_client import stream_dialogue
from tests.servers import free_port, migrate, running_server, server_env, setup_admin


def main() -> None:
    table = Table(
        "One-microphone attribution, end to end (Whisper tiny.en)",
        ["dialogue", "finals", "right speaker %", "talk-ratio error (points)", "objection carded"],
    )
    with tempfile.TemporaryDirectory() as tmp:
        env = server_env(
            f"sqlite:///{Path(tmp) / 'bench.db'}",
            free_port(),
            TRANSCRIBER="local",
            COACH="playbook",
            ASYNC_MODE="eventlet",
        )
        migrate(env)
        with running_server(env) as base_url:
            token = setup_admin(base_url, team="Bench")
            for name, voices in {**VARIANTS, **HARDER}.items():
                pcm, turns = build_dialogue(Path(tmp), voices)
                outcome = stream_dialogue(base_url, token, pcm)
                table.rows.append(
                    [
                        name,
                        str(len(outcome.finals)),
                        f"{100 * outcome.right_share(turns):.0f}",
                        f"{outcome.talk_ratio_error(turns):.1f}",
                        "yes" if outcome.objection_carded_on_prospect() else "no",
                    ]
                )
    print(table.markdown())


if __name__ == "__main__":
    main()
