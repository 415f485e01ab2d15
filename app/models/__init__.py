"""All models, importable from one place (Alembic's autogenerate needs them registered)."""

from app.models.analysis import CallAnalysis
from app.models.call import Call, Suggestion, Utterance, Whisper
from app.models.team import ApiKey, RevokedToken, Team, User
from app.models.toolkit import ToolkitEntry

__all__ = [
    "ApiKey",
    "Call",
    "CallAnalysis",
    "RevokedToken",
    "Suggestion",
    "Team",
    "ToolkitEntry",
    "User",
    "Utterance",
    "Whisper",
]
