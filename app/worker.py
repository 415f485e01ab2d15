"""`python -m app.worker [--burst]`: the entry of an analysis job-worker process.

It builds the app once from the environment (an invalid configuration stops it with one
message listing every problem) and runs post-call analysis jobs in it: from the RQ queue
with REDIS_URL, else straight from the database. RQ jobs find that app bound to the task
module; nothing builds an app per job. ``flask jobs worker`` runs the same loop from the
admin CLI. No monkey-patching: a job worker runs plain threads whatever ASYNC_MODE says.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app import create_app
from app.config import ConfigError
from app.services.analysis.worker import run_worker


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app.worker", description=__doc__)
    parser.add_argument("--burst", action="store_true", help="exit once no job is left")
    args = parser.parse_args(argv)
    try:
        app = create_app()
    except ConfigError as error:
        sys.exit(str(error))
    run_worker(app, burst=args.burst)


if __name__ == "__main__":
    main()
