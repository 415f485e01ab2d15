"""The guidance of each call stage (focus, objectives, key questions, talking points).

A team's stored stages override the defaults in ``default_toolkit.yaml`` stage by stage,
so every team (existing ones included) has guidance for every stage without seeding. Each
change bumps ``Team.toolkit_version`` like an entry change, so the toolkit's ETag and
cache keys cover the stages too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml
from marshmallow import ValidationError
from sqlalchemy import delete, select

from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.models import Team, ToolkitStage
from app.schemas.toolkit import StageGuidanceSchema
from app.services.coaching.stages import STAGES
from app.services.toolkit import DEFAULT_TOOLKIT, version

_FIELDS = ("focus", "objectives", "key_questions", "talking_points")
_cache: dict[tuple[str, int], list[dict[str, Any]]] = {}
_CACHE_LIMIT = 512


def parse_stages(raw: Any, source: str) -> list[dict[str, Any]] | None:
    """The ``stages`` list of a toolkit document, validated; None when the document has none."""
    items = raw.get("stages") if isinstance(raw, dict) else None
    if items is None:
        return None
    if not isinstance(items, list):
        raise ValidationFailed(f"{source}: 'stages' must be a list.", code="invalid_toolkit")
    try:
        stages = StageGuidanceSchema(many=True).load(items)
    except ValidationError as exc:
        raise ValidationFailed(
            f"{source}: invalid stages.", code="invalid_toolkit", fields={"stages": exc.messages}
        ) from exc
    names = [s.get("stage") for s in stages]
    if None in names or len(names) != len(set(names)):
        raise ValidationFailed(
            f"{source}: every stage needs a unique 'stage' name.", code="invalid_toolkit"
        )
    return list(stages)


@lru_cache(maxsize=1)
def _defaults() -> tuple[dict[str, Any], ...]:
    stages = parse_stages(yaml.safe_load(DEFAULT_TOOLKIT.read_text()), DEFAULT_TOOLKIT.name)
    return tuple(stages or ())


def default_stages() -> list[dict[str, Any]]:
    """The default guidance of every stage (fresh copies)."""
    return StageGuidanceSchema(many=True).load(StageGuidanceSchema(many=True).dump(_defaults()))


def replace_stages(team: Team, stages: list[dict[str, Any]]) -> None:
    """Store these stages for the team (others keep their current guidance); caller commits."""
    names = [s["stage"] for s in stages]
    db.session.execute(
        delete(ToolkitStage).where(ToolkitStage.team_id == team.id, ToolkitStage.stage.in_(names))
    )
    for stage in stages:
        db.session.add(ToolkitStage(team_id=team.id, **{k: stage[k] for k in ("stage", *_FIELDS)}))
    team.toolkit_version = (team.toolkit_version or 0) + 1


def stages_for(team_id: str) -> list[dict[str, Any]]:
    """Every stage's guidance for the team, in stage order, cached per (team, version)."""
    key = (team_id, version(team_id))
    if key not in _cache:
        rows = db.session.scalars(select(ToolkitStage).where(ToolkitStage.team_id == team_id))
        stored = {row.stage: row for row in rows}
        defaults = {s["stage"]: s for s in _defaults()}
        merged = [stored.get(name) or defaults.get(name) for name in STAGES]
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[key] = StageGuidanceSchema(many=True).dump([m for m in merged if m is not None])
    return _cache[key]


def update_stage(team_id: str, stage: str, data: dict[str, Any]) -> dict[str, Any]:
    """Replace one stage's guidance (``PUT /toolkit/stages/{stage}``)."""
    if stage not in STAGES:
        raise NotFound("No such stage.", code="toolkit_stage_not_found")
    team = db.session.get(Team, team_id)
    if team is None:
        raise NotFound("Team not found.", code="team_not_found")
    replace_stages(team, [{**data, "stage": stage}])
    db.session.commit()
    return next(s for s in stages_for(team_id) if s["stage"] == stage)
