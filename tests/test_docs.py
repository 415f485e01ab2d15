"""Documentation that must stay true: docs/configuration.md is the page generated from the
settings table, every setting is in .env.example, and that example parses cleanly."""

from __future__ import annotations

from pathlib import Path

from app.config import Settings, read_env
from app.config.docs import LAYOUT, render
from app.config.settings import setting_fields
from app.config.spec import env_name

ROOT = Path(__file__).resolve().parent.parent


def test_the_configuration_page_is_generated_from_the_settings_table():
    committed = (ROOT / "docs" / "configuration.md").read_text()
    assert committed == render(), "docs/configuration.md is stale: run `make docs`"


def test_every_section_of_the_settings_is_on_the_page():
    documented = {section for _, section, _ in LAYOUT if section is not None}
    assert documented == set(Settings.__bases__)
    names = [env_name(item) for item in setting_fields()]
    assert len(names) > 30 and len(set(names)) == len(names)
    page = render()
    assert [n for n in names if f"| `{n}` |" not in page] == []


def test_every_setting_is_in_env_example():
    example = (ROOT / ".env.example").read_text()
    names = [env_name(item) for item in setting_fields()]
    assert sorted(n for n in names if f"# {n}=" not in example) == []


def test_the_env_example_parses_cleanly():
    env = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.startswith("# ") and "=" in line:
            name, _, value = line[2:].partition("=")
            if value:
                env[name] = value
    _, problems = read_env(env)
    assert problems == []
