"""A real analysis worker process for tests: `python -m tests.analysis.worker_process`.

It builds the app like the tests do (settings from the environment variables passed on the
command line as NAME=VALUE), installs test hooks, then runs the same loop as
`flask jobs worker`: ``--slow S`` sleeps S seconds before storing each outcome (so a test
can SIGKILL it mid-job), ``--record FILE`` appends ``call_id status`` for every outcome
actually stored under this process's lease.
"""

from __future__ import annotations

import argparse
import os
import time

from app.services.analysis import job
from app.services.analysis.worker import run_worker
from tests.helpers import make_app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--record", required=True)
    parser.add_argument("--slow", type=float, default=0.0)
    parser.add_argument("settings", nargs="*", help="NAME=VALUE settings")
    args = parser.parse_args()
    app = make_app(args.db, **dict(s.split("=", 1) for s in args.settings))

    def record(call_id: str, status: str) -> None:
        fd = os.open(args.record, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, f"{call_id} {status} {os.getpid()}\n".encode())
        finally:
            os.close(fd)

    if args.slow:
        job.hooks.before_finish = lambda _call_id: time.sleep(args.slow)
    job.hooks.after_finish = record
    run_worker(app)


if __name__ == "__main__":
    main()
