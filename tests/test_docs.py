"""Documentation that must stay true: every setting is documented and in .env.example."""

from __future__ import annotations

import re
from pathlib import Path

from app.config import _read

ROOT = Path(__file__).resolve().parent.parent


def _setting_names() -> set[str]:
    source = (ROOT / "app" / "config.py").read_text()
    return set(re.findall(r'r\.\w+\("([A-Z_]+)"', source))


def test_every_setting_is_documented_and_in_env_example():
    names = _setting_names()
    assert len(names) > 30
    docs = (ROOT / "docs" / "configuration.md").read_text()
    example = (ROOT / ".env.example").read_text()
    assert sorted(n for n in names if f"`{n}`" not in docs) == []
    assert sorted(n for n in names if f"# {n}=" not in example) == []


def test_the_env_example_parses_cleanly():
    env = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.startswith("# ") and "=" in line:
            name, _, value = line[2:].partition("=")
            if value:
                env[name] = value
    _, problems = _read(env)
    assert problems == []
