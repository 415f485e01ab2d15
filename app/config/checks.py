"""Checks that involve more than one setting, or that only apply in production."""

from __future__ import annotations

from pathlib import Path

from app.config.settings import Settings


def cross_checks(s: Settings) -> list[str]:
    problems = _provider_checks(s) + _analysis_checks(s)
    if s.local_asr_model_path and not Path(s.local_asr_model_path).is_dir():
        problems.append("LOCAL_ASR_MODEL_PATH must be a directory holding a CTranslate2 model")
    if s.is_production:
        problems += _production_checks(s)
    return problems


def _provider_checks(s: Settings) -> list[str]:
    problems: list[str] = []
    if s.transcriber == "deepgram" and not s.deepgram_api_key:
        problems.append("TRANSCRIBER=deepgram needs DEEPGRAM_API_KEY")
    if s.coach == "llm" and not s.anthropic_api_key:
        problems.append("COACH=llm needs ANTHROPIC_API_KEY")
    return problems


def _analysis_checks(s: Settings) -> list[str]:
    problems: list[str] = []
    if s.analysis_llm == "on" and not s.anthropic_api_key:
        problems.append("ANALYSIS_LLM=on needs ANTHROPIC_API_KEY")
    if s.analysis_llm_timeout_s >= s.analysis_lease_seconds:
        problems.append("ANALYSIS_LLM_TIMEOUT_S must be shorter than ANALYSIS_LEASE_SECONDS")
    return problems


def _production_checks(s: Settings) -> list[str]:
    problems: list[str] = []
    if len(s.secret_key) < 32:
        problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
    if not s.database_url:
        problems.append("DATABASE_URL must be set (PostgreSQL) in production")
    if "*" in s.cors_origins:
        problems.append("CORS_ORIGINS must list origins explicitly, not '*'")
    if s.transcriber == "scripted":
        problems.append("TRANSCRIBER=scripted is a benchmark double, not for production")
    return problems
