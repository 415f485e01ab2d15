"""Admin CLI: `flask users|toolkit|calls|protocol ...`, registered by the factory."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TextIO

import click
import yaml
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from app.analysis.cli import jobs_cli
from app.container import get_services
from app.errors import AppError
from app.extensions import api, db
from app.models import Team, User, search_index
from app.models.team import ROLES
from app.services import (
    exports,
    imported_calls,
    legacy_import,
    retention,
    sessions,
    toolkit,
    toolkit_legacy,
    toolkit_stages,
    users,
)
from app.services.contract_export import OPENAPI_PATH, write_openapi
from app.services.protocol_export import TYPESCRIPT_PATH, write_typescript

users_cli = AppGroup("users", help="Manage user accounts.")
toolkit_cli = AppGroup("toolkit", help="Import or export a team's playbook.")
calls_cli = AppGroup("calls", help="Export, prune and import calls.")
protocol_cli = AppGroup("protocol", help="Share the Socket.IO contract with the frontend.")


def _team(name_or_id: str | None) -> Team:
    """The named team, or the only/first team when none is named."""
    query = select(Team).order_by(Team.created_at)
    if name_or_id:
        query = query.where((Team.id == name_or_id) | (Team.name == name_or_id))
    team = db.session.scalar(query)
    if team is None:
        raise click.ClickException("No such team (run the first-run setup or `users create`).")
    return team


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(ROLES), default="rep", show_default=True)
@click.option("--team", "team_name", help="Team name or id; created if it does not exist.")
@click.password_option(help="Prompted for when omitted.")
def create_user(email: str, name: str, role: str, team_name: str | None, password: str) -> None:
    """Create a user (and its team, seeded with the default toolkit, if new)."""
    team = db.session.scalar(select(Team).where(Team.name == team_name)) if team_name else None
    if team is None and (team_name or db.session.scalar(select(Team.id)) is None):
        team = Team(name=team_name or "My team")
        db.session.add(team)
        db.session.flush()
        toolkit.replace_entries(team, toolkit.load_default_entries())
        db.session.commit()
    team = team or _team(None)
    try:
        user = users.create_user(team.id, email, password, name, role)
    except AppError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Created {user.role} {user.email} in team {team.name!r} ({user.id}).")


@toolkit_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--team", "team_name", help="Team name or id (default: the first team).")
def import_toolkit(path: Path, team_name: str | None) -> None:
    """Replace a team's toolkit with the entries (and stages, if any) in a YAML or JSON file."""
    try:
        raw = yaml.safe_load(path.read_text())
        entries = toolkit.parse_entries(raw, path.name)
        stages = toolkit_stages.parse_stages(raw, path.name)
    except yaml.YAMLError as exc:
        raise click.ClickException(f"{path.name}: not valid YAML/JSON.") from exc
    except AppError as exc:
        detail = json.dumps(exc.fields) if exc.fields else ""
        raise click.ClickException(f"{exc.message} {detail}".strip()) from exc
    team = _team(team_name)
    toolkit.replace_entries(team, entries)
    if stages is not None:
        toolkit_stages.replace_stages(team, stages)
    db.session.commit()
    extra = f" and {len(stages)} stages" if stages is not None else ""
    click.echo(f"Imported {len(entries)} entries{extra} into team {team.name!r}.")


@toolkit_cli.command("export")
@click.option("--team", "team_name", help="Team name or id (default: the first team).")
@click.option("--out", type=click.File("w"), default="-", help="File to write (default stdout).")
def export_toolkit(team_name: str | None, out: TextIO) -> None:
    """Write a team's toolkit as YAML (re-importable with `toolkit import`)."""
    team_id = _team(team_name).id
    entries = [{k: v for k, v in e.items() if k != "id"} for e in toolkit.entries_for(team_id)]
    document = {"entries": entries, "stages": toolkit_stages.stages_for(team_id)}
    yaml.safe_dump(document, out, sort_keys=False, allow_unicode=True)


@toolkit_cli.command("import-legacy")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--team", "team_name", help="Team name or id (default: the first team).")
@click.option("--dry-run", is_flag=True, help="Report what would change; change nothing.")
def import_legacy_toolkit(path: Path, team_name: str | None, dry_run: bool) -> None:
    """Add the previous MVP's toolkit (its GET /api/toolkit JSON): one entry per category,
    its scripts as talk tracks. Re-running the same file changes nothing."""
    try:
        raw = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path.name}: not valid JSON.") from exc
    team = _team(team_name)
    try:
        report = toolkit_legacy.import_legacy(team, raw, dry_run=dry_run)
    except AppError as exc:
        detail = json.dumps(exc.fields) if exc.fields else ""
        raise click.ClickException(f"{path.name}: {exc.message} {detail}".strip()) from exc
    verb = "Would import" if dry_run else "Imported"
    click.echo(
        f"{verb} {report.talk_tracks} talk tracks into team {team.name!r}: "
        f"{len(report.created)} entries created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged."
    )


@calls_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="json")
@click.option("--since", type=click.DateTime(), help="Only calls started on/after this date.")
@click.option("--team", "team_name", help="Team name or id (default: all teams).")
@click.option("--out", type=click.File("w"), default="-", help="File to write (default stdout).")
def export_calls(fmt: str, since: datetime | None, team_name: str | None, out: TextIO) -> None:
    """Export calls with their transcripts (CSV: one row per utterance)."""
    team_id = _team(team_name).id if team_name else None
    query = exports.calls_query(team_id, since)
    for chunk in (exports.iter_csv if fmt == "csv" else exports.iter_json)(query):
        out.write(chunk)


@calls_cli.command("prune")
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(min=1),
    help="Age in days (default: RETENTION_DAYS).",
)
def prune_calls(days: int | None) -> None:
    """Delete ended calls older than the retention age, with all their data, and sign-in
    sessions whose refresh token has expired."""
    days = days or get_services().settings.retention_days
    click.echo(f"Deleted {retention.prune_calls(days)} calls older than {days} days.")
    click.echo(f"Deleted {sessions.prune_expired()} expired sign-in sessions.")


@calls_cli.command("reindex-search")
def reindex_search() -> None:
    """Rebuild the full-text search index from the stored calls (SQLite: after a VACUUM)."""
    with db.engine.begin() as conn:
        search_index.rebuild(conn)
    click.echo("Rebuilt the search index.")


@calls_cli.command("import-legacy")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--owner",
    "owner_email",
    help="Email of the rep who owns the imported calls (default: the first admin).",
)
def import_legacy(directory: Path, owner_email: str | None) -> None:
    """Import the previous MVP's JSON call logs; re-running imports nothing twice."""
    query = select(User).order_by(User.created_at)
    query = (
        query.where(User.email == owner_email.lower())
        if owner_email
        else query.where(User.role == "admin")
    )
    owner = db.session.scalar(query)
    if owner is None:
        raise click.ClickException("No owner user found; create one first.")
    report = legacy_import.import_directory(directory, owner)
    click.echo(
        f"Imported {len(report.imported)} calls ({report.utterances} utterances, "
        f"{report.suggestions} suggestions); skipped {len(report.skipped)} already "
        f"imported; {len(report.failed)} failed."
    )
    _analyse(report.call_ids)
    for name, reason in sorted(report.failed.items()):
        click.echo(f"  {name}: {reason}", err=True)
    if report.failed:
        raise SystemExit(1)


def _analyse(call_ids: list[str]) -> None:
    """Queue the analyses; without Redis workers run them here, before the command ends."""
    services = get_services()
    imported_calls.queue_analysis(call_ids, services.analysis, inline=services.redis is None)
    if call_ids:
        where = "done" if services.redis is None else "queued for the workers"
        click.echo(f"Analysis of {len(call_ids)} calls {where}.")


@calls_cli.command("compute-metrics")
@click.option("--team", "team_name", help="Team name or id (default: all teams).")
def compute_metrics(team_name: str | None) -> None:
    """Compute talk time, talk ratio, questions and checklist coverage (and the analysis)
    of imported calls that have none: calls imported before the import computed them."""
    team_id = _team(team_name).id if team_name else None
    pending = imported_calls.missing_metrics(team_id)
    for call in pending:
        imported_calls.summarize(call)
        db.session.commit()
    click.echo(f"Computed the metrics of {len(pending)} imported calls.")
    _analyse([call.id for call in pending])


@protocol_cli.command("export")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=TYPESCRIPT_PATH,
    show_default=True,
)
@click.option(
    "--openapi",
    "openapi_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=OPENAPI_PATH,
    show_default=True,
)
def export_protocol(out: Path, openapi_out: Path) -> None:
    """Write the event names and codes (TypeScript) and the OpenAPI document for the web
    app; `make protocol` then generates the client's types and validators from it."""
    write_typescript(out)
    write_openapi(api.spec, openapi_out)
    click.echo(f"Wrote {out} and {openapi_out}.")


def register_commands(app: Flask) -> None:
    for group in (users_cli, toolkit_cli, calls_cli, protocol_cli, jobs_cli):
        app.cli.add_command(group)
