"""The whole configuration: every section's settings in one frozen object, plus the values
derived from them (which transcriber, coach and analysis actually run)."""

from __future__ import annotations

from dataclasses import Field, dataclass, fields
from pathlib import Path
from typing import Any

from app.config.calls import AnalysisSettings, LiveSettings
from app.config.server import CoreSettings, DataSettings, HttpSettings

INSTANCE_DIR = Path(__file__).resolve().parent.parent.parent / "instance"


@dataclass(frozen=True)
class Settings(DataSettings, AnalysisSettings, LiveSettings, HttpSettings, CoreSettings):
    """The whole configuration; docs/configuration.md describes each value."""

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{INSTANCE_DIR / 'salescoach.db'}"

    @property
    def effective_transcriber(self) -> str:
        if self.transcriber != "auto":
            return self.transcriber
        return "deepgram" if self.deepgram_api_key else "local"

    @property
    def effective_coach(self) -> str:
        if self.coach != "auto":
            return self.coach
        return "llm" if self.anthropic_api_key else "playbook"

    @property
    def effective_analysis_llm(self) -> bool:
        """Post-call analysis by the LLM (else extractive summary and rule-based scorecard)."""
        if self.analysis_llm != "auto":
            return self.analysis_llm == "on"
        return bool(self.anthropic_api_key)


def setting_fields(section: type = Settings) -> tuple[Field[Any], ...]:
    """The settings of ``section`` (a section class, or all of them), in declaration order."""
    return fields(section)
