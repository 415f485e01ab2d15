"""Reading the settings: one loop over the table, then overrides, bounds and cross checks.

Every problem is collected; :func:`load_settings` raises one :class:`ConfigError` that
lists them all.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from app.config.checks import cross_checks
from app.config.settings import INSTANCE_DIR, Settings, setting_fields
from app.config.spec import Invalid, bound_problem, default_of, parse

DEV_SECRET_FILE = INSTANCE_DIR / ".secret_key"


class ConfigError(Exception):
    """Raised with every configuration problem found, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Invalid configuration:\n" + "\n".join(f"  - {p}" for p in problems))
        self.problems = problems


def read_env(env: Mapping[str, str]) -> tuple[Settings, list[str]]:
    """Settings from ``env`` and the problems found parsing it (bad values keep the default)."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for item in setting_fields():
        try:
            values[item.name] = parse(item, env)
        except Invalid as exc:
            problems.append(str(exc))
            values[item.name] = default_of(item, env)
    settings = Settings(**values)
    if not settings.secret_key and not settings.is_production:
        settings = replace(settings, secret_key=_dev_secret())
    return settings, problems


def _dev_secret() -> str:
    """Outside production, a random key kept in instance/ (git-ignored) across restarts."""
    if not DEV_SECRET_FILE.exists():
        DEV_SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
        DEV_SECRET_FILE.write_text(secrets.token_urlsafe(48))
        DEV_SECRET_FILE.chmod(0o600)
    return DEV_SECRET_FILE.read_text().strip()


def _bounds(settings: Settings) -> list[str]:
    found = (bound_problem(item, getattr(settings, item.name)) for item in setting_fields())
    return [problem for problem in found if problem]


def load_settings(env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from ``env`` (default: the process environment), then ``overrides``."""
    settings, problems = read_env(os.environ if env is None else env)
    if overrides:
        known = {item.name for item in setting_fields()}
        unknown = sorted(set(overrides) - known)
        problems += [f"unknown setting override {name!r}" for name in unknown]
        settings = replace(settings, **{k: v for k, v in overrides.items() if k in known})
    problems += _bounds(settings) + cross_checks(settings)
    if problems:
        raise ConfigError(problems)
    return settings
