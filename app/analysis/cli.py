"""`flask jobs ...`: run post-call analysis jobs outside the web processes."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.services.analysis.worker import run_worker

jobs_cli = AppGroup("jobs", help="Run post-call analysis jobs.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Exit once no job is left.")
def worker(burst: bool) -> None:
    """Run analysis jobs: from the RQ queue with REDIS_URL, else from the database."""
    run_worker(current_app._get_current_object(), burst=burst)  # type: ignore[attr-defined]
