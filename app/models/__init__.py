"""All models, importable from one place (Alembic's autogenerate needs them registered)."""

from app.extensions import db
from app.models import search_index
from app.models.analysis import CallAnalysis
from app.models.call import Call, Suggestion, Utterance, Whisper
from app.models.coaching_state import LiveCoachingState
from app.models.team import ApiKey, AuthSession, Team, User
from app.models.toolkit import ToolkitEntry, ToolkitStage

search_index.install(db.metadata)

__all__ = [
    "ApiKey",
    "AuthSession",
    "Call",
    "CallAnalysis",
    "LiveCoachingState",
    "Suggestion",
    "Team",
    "ToolkitEntry",
    "ToolkitStage",
    "User",
    "Utterance",
    "Whisper",
]
