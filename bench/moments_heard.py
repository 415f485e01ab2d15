"""Moment detection on what the local recognizer wrote: the spoken figures in seconds.

``.venv/bin/python -m bench.moments_heard hear [dev|holdout] [--to DIR]`` synthesises every
line of a labelled set with espeak-ng and runs the local recognizer on it (the final, beam
search, with its next-best readings, and a greedy partial after each whole second of audio,
as the server makes them), writing ``heard_<set>.json`` (default directory: the system's temporary one; about 1.5 s
per line on the shared machine). ``.venv/bin/python -m bench.moments_heard score [dev|holdout]
[-v]`` then runs the live coach's card logic of this checkout on those texts, in the spoken
bench's calls (so cooldowns act as live): the partials as interims, then the final, and a
line counts the card the rep is left with (an early card the final withdrew does not
count). Scoring takes seconds, so a detector change can be tried on misheard text without
streaming; the server's VAD and timing make its texts differ a little from a live run, so
the end-to-end figure stays ``bench/moments_spoken.py``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy: as wsgi.py

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from app.services.coaching.base import Utterance
from app.services.coaching.cards import PlaybookCards
from app.services.coaching.coach_parts import CoachSettings
from app.services.coaching.interim import InterimSettings
from app.services.coaching.text import normalize
from app.services.coaching.toolkit_data import default_toolkit_items
from bench.moments import SETS, load_set
from bench.moments_spoken import GAP_S, rounds
from tests.coaching.helpers import RecordingSink
from tests.speech import synthesize

RATE = 16000


def cache_path(labelled: str, folder: Path | None = None) -> Path:
    return (folder or Path(tempfile.gettempdir())) / f"heard_{labelled}.json"


def hear(labelled: str, folder: Path | None = None) -> Path:
    """Recognise every line of a set once; returns the file written."""
    from app.services.transcription.local.recognizer import Recognizer
    from app.services.transcription.local.settings import LocalAsrSettings

    recognizer = Recognizer(LocalAsrSettings())
    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for row in load_set(SETS[labelled]):
            pcm = synthesize(row.text, Path(tmp))
            audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768
            partials = [
                recognizer.transcribe(audio[: s * RATE], final=False).text
                for s in range(1, len(audio) // RATE + 1)
            ]
            final = recognizer.transcribe(audio, final=True)
            label = "|".join(sorted(row.entries)) or "-"
            out.append(
                {
                    "label": label,
                    "text": row.text,
                    "heard": final.text,
                    "alternatives": list(final.alternatives),
                    "partials": partials,
                }
            )
    path = cache_path(labelled, folder)
    path.write_text(json.dumps(out, indent=1))
    return path


def call_cards(
    lines: list[dict[str, Any]], settings: InterimSettings | None = None
) -> list[str | None]:
    """Per recognised line of one call, the entry whose card the rep is left with, or None.

    The live coach's own card logic (:class:`PlaybookCards`, one per call, so an entry's
    cooldown and cap run across the call's lines) is fed each line's partials as interims,
    one per second of audio, then its final, with the spoken bench's gap between lines: an
    early card the final does not keep is withdrawn, and the final may card on its own.
    """
    sink = RecordingSink()
    toolkit = default_toolkit_items()
    names = {item.entry_id: item.name for item in toolkit}
    cards = PlaybookCards(
        "bench",
        toolkit,
        sink,
        CoachSettings(interim=settings or InterimSettings()),
        lambda: 0.0,
    )
    out: list[str | None] = []
    start_ms = 0
    for k, line in enumerate(lines):
        before = len(sink.suggestions)
        for second, text in enumerate(line["partials"], 1):
            interim = Utterance(f"i{k}", "prospect", text, start_ms, start_ms + second * 1000)
            cards.on_interim(interim, meaning=True)
        end_ms = start_ms + 1000 * max(1, len(line["partials"]))
        final = Utterance(
            f"f{k}",
            "prospect",
            line["heard"],
            start_ms,
            end_ms,
            alternatives=tuple(line.get("alternatives", ())),
        )
        cards.on_final(final, normalize(final.text), meaning=True)
        gone = {card.suggestion_id for card, _reason in sink.withdrawals}
        mine = [card for card in sink.suggestions[before:] if card.suggestion_id not in gone]
        out.append(names.get(mine[0].entry_id or "") if mine else None)
        start_ms = end_ms + round(GAP_S * 1000)
    return out


def score(labelled: str, folder: Path | None = None, verbose: bool = False) -> str:
    """The carded share, right entry and neutral carded on one set's recognised lines,
    streamed in the spoken bench's calls."""
    by_text = {line["text"]: line for line in json.loads(cache_path(labelled, folder).read_text())}
    moments = neutral = hits = right = false_positives = 0
    for call in rounds("full", labelled):
        lines = [by_text[row.text] for row in call]
        for line, name in zip(lines, call_cards(lines), strict=True):
            entries = set(line["label"].split("|"))
            if line["label"] == "-":
                neutral += 1
                false_positives += name is not None
            else:
                moments += 1
                hits += name is not None
                right += name in entries
            if verbose and (name is None) != (line["label"] == "-"):
                print(f"  {line['label']}\t{name or 'no card'}\t{line['text']}\t=> {line['heard']}")
    return (
        f"{labelled}: carded {hits / max(1, moments):.1%} of {moments}, right entry "
        f"{right / max(1, hits):.1%}, neutral carded {false_positives} of {neutral} "
        f"({false_positives / max(1, neutral):.1%})"
    )


def main() -> None:
    args = sys.argv[1:]
    folder = Path(args[args.index("--to") + 1]) if "--to" in args else None
    labelled = "holdout" if "holdout" in args else "dev"
    if args and args[0] == "hear":
        print(hear(labelled, folder))
    else:
        print(score(labelled, folder, verbose="-v" in args))


if __name__ == "__main__":
    main()
