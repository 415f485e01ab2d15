"""Builds the analysis service from :class:`~app.config.Settings` (called by the registry)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.config import Settings
from app.services.analysis.job import JobSettings
from app.services.analysis.llm import AnalysisLlm, AnalysisLlmSettings
from app.services.analysis.service import AnalysisJobs


def job_settings(settings: Settings) -> JobSettings:
    return JobSettings(
        lease_s=settings.analysis_lease_seconds,
        max_attempts=settings.analysis_max_attempts,
        poll_s=settings.analysis_poll_seconds,
        queue_name=settings.analysis_queue,
    )


def llm_settings(settings: Settings) -> AnalysisLlmSettings:
    return AnalysisLlmSettings(
        api_key=settings.anthropic_api_key,
        base_url=settings.anthropic_base_url or None,
        model=settings.analysis_model or settings.anthropic_model,
        timeout_s=settings.analysis_llm_timeout_s,
    )


def build_analysis(app: Flask, settings: Settings, redis: Any) -> AnalysisJobs:
    """The process's job service; its in-process runner starts on the first job
    (never under APP_ENV=testing, where tests start it explicitly)."""
    llm = AnalysisLlm(llm_settings(settings)) if settings.effective_analysis_llm else None
    return AnalysisJobs(
        app, job_settings(settings), llm, redis, autostart=settings.app_env != "testing"
    )
