"""Moment detection on what the local recognizer wrote: the spoken figures in seconds.

``.venv/bin/python -m bench.moments_heard hear [dev|holdout] [--to DIR]`` synthesises every
line of a labelled set with espeak-ng and runs the local recognizer on it (the final, beam
search, and a greedy partial after each whole second of audio, as the server makes them),
writing ``heard_<set>.json`` (default directory: the system's temporary one; about 1.5 s
per line on the shared machine). ``.venv/bin/python -m bench.moments_heard score [dev|holdout]
[-v]`` then runs the detector of this checkout on those texts: a line is carded when one of
its partials of 4+ words fires with the interim margin, or else its final fires (a fresh
matcher per line). Scoring takes seconds, so a detector change can be tried on misheard
text without streaming; the server's VAD and timing make its texts differ a little from a
live run, so the end-to-end figure stays ``bench/moments_spoken.py``.
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
from app.services.coaching.interim import InterimSettings
from app.services.coaching.playbook import PlaybookMatcher
from app.services.coaching.toolkit_data import default_toolkit_items
from bench.moments import SETS, load_set
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
            final = recognizer.transcribe(audio, final=True).text
            label = "|".join(sorted(row.entries)) or "-"
            out.append({"label": label, "text": row.text, "heard": final, "partials": partials})
    path = cache_path(labelled, folder)
    path.write_text(json.dumps(out, indent=1))
    return path


def carded(line: dict[str, Any], settings: InterimSettings | None = None) -> str | None:
    """The entry the detector cards first for one recognised line, or None."""
    settings = settings or InterimSettings()
    matcher = PlaybookMatcher(default_toolkit_items())
    for k, text in enumerate(line["partials"]):
        if len(text.split()) >= settings.min_words:
            found = matcher.match(
                Utterance(f"p{k}", "prospect", text, 0, 1000), limit=1, margin=settings.margin
            )
            if found:
                return found[0].name
    found = matcher.match(Utterance("f", "prospect", line["heard"], 0, 1000), limit=1)
    return found[0].name if found else None


def score(labelled: str, folder: Path | None = None, verbose: bool = False) -> str:
    """The carded share, right entry and neutral carded on one set's recognised lines."""
    lines = json.loads(cache_path(labelled, folder).read_text())
    moments = neutral = hits = right = false_positives = 0
    for line in lines:
        name = carded(line)
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
