"""The scorecard rubric: criteria scored 1-5 with evidence quotes.

Every team uses :data:`DEFAULT_RUBRIC` for now; :func:`rubric_for` is the one place a
per-team rubric would be looked up.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_SCORE, MAX_SCORE = 1, 5


@dataclass(frozen=True)
class Criterion:
    name: str
    title: str
    guide: str  # what a 5 looks like, for the model and for people


DEFAULT_RUBRIC: tuple[Criterion, ...] = (
    Criterion(
        "discovery",
        "Discovery",
        "The rep asked open questions about the prospect's situation, pain, impact and "
        "decision process before pitching.",
    ),
    Criterion(
        "objection_handling",
        "Objection handling",
        "Each objection was acknowledged, explored with a question and answered with value.",
    ),
    Criterion(
        "next_step",
        "Next step agreed",
        "The call ended with a concrete, dated next step the prospect agreed to.",
    ),
    Criterion(
        "talk_ratio",
        "Talk ratio",
        "The rep listened more than they talked (rep share of talk time about 40-60%).",
    ),
    Criterion(
        "rapport",
        "Rapport",
        "The conversation was warm and two-way: the prospect engaged, asked questions and "
        "the rep responded to what they said.",
    ),
)


def rubric_for(team_id: str) -> tuple[Criterion, ...]:
    """The rubric a team's calls are scored against."""
    return DEFAULT_RUBRIC


def criterion_names(rubric: tuple[Criterion, ...] = DEFAULT_RUBRIC) -> list[str]:
    return [c.name for c in rubric]
