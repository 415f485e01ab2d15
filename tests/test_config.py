from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_embedded_defaults_need_no_environment():
    settings = load_settings({})
    assert settings.sqlalchemy_url.startswith("sqlite:///")
    assert settings.effective_transcriber == "local" and settings.effective_coach == "playbook"
    assert settings.port == 5000 and settings.host == "127.0.0.1"


def test_keys_select_the_cloud_providers_automatically():
    settings = load_settings({"DEEPGRAM_API_KEY": "dg", "ANTHROPIC_API_KEY": "sk"})
    assert settings.effective_transcriber == "deepgram" and settings.effective_coach == "llm"
    forced = load_settings({"DEEPGRAM_API_KEY": "dg", "TRANSCRIBER": "local"})
    assert forced.effective_transcriber == "local"


def test_every_problem_is_reported_at_once():
    with pytest.raises(ConfigError) as caught:
        load_settings(
            {
                "PORT": "http",
                "ASYNC_MODE": "asyncio",
                "RATE_LIMIT_ENABLED": "maybe",
                "COACH": "llm",
                "MAX_AUDIO_CHUNK_BYTES": "10",
            }
        )
    problems = caught.value.problems
    assert len(problems) == 5
    assert any("PORT" in p for p in problems) and any("COACH=llm" in p for p in problems)


def test_production_requires_its_secrets():
    with pytest.raises(ConfigError) as caught:
        load_settings({"APP_ENV": "production", "CORS_ORIGINS": "*"})
    text = str(caught.value)
    assert "SECRET_KEY" in text and "DATABASE_URL" in text and "CORS_ORIGINS" in text


def test_production_start_without_secret_key_exits_non_zero_naming_every_setting(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    env.update({"APP_ENV": "production", "ASYNC_MODE": "threading", "PYTHONPATH": str(ROOT)})
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_flask_env_stands_in_for_an_absent_app_env():
    assert load_settings({"FLASK_ENV": "testing"}).app_env == "testing"
    assert load_settings({"FLASK_ENV": "testing", "APP_ENV": "development"}).app_env == (
        "development"
    )


def test_upper_bounds_are_reported_with_their_reason():
    with pytest.raises(ConfigError) as caught:
        load_settings({"REFRESH_REUSE_GRACE_SECONDS": "301", "LLM_MAX_RETRIES": "2"})
    assert sorted(caught.value.problems) == [
        "LLM_MAX_RETRIES must be 0 or 1 (live suggestions cannot wait longer)",
        "REFRESH_REUSE_GRACE_SECONDS must be at most 300 (a replaced token)",
    ]


def test_overrides_meet_the_same_bounds_as_the_environment():
    assert load_settings({}, port=8080).port == 8080
    with pytest.raises(ConfigError, match="PORT must be at least 1, got 0"):
        load_settings({}, port=0)
