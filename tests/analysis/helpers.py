"""Helpers for the analysis tests: a seeded ended call, a job runner, RQ queue cleanup."""

from __future__ import annotations

from typing import Any

from app.container import get_services
from app.extensions import db
from app.models import Call, CallAnalysis, Suggestion
from tests.factories import make_call

SALES_CALL = [
    ("rep", "Hi Dana, thanks for taking the time today. How is the quarter going?"),
    ("prospect", "Busy. Our team spends hours every week copying data between tools."),
    ("rep", "What does that cost you today? Who else is involved in the decision?"),
    ("prospect", "Honestly the price is too high for us, we have no budget this year."),
    ("rep", "I hear you. What would it be worth to get those hours back every week?"),
    ("prospect", "That makes sense, thanks. Our finance lead decides on budget in March."),
    ("rep", "Um, basically we, you know, save teams like yours ten hours a week."),
    ("rep", "I'll send you the ROI summary today. Can we schedule a demo next Tuesday?"),
    ("prospect", "Yes, sounds good. Tuesday works for me."),
]
CHECKLIST = [
    {"name": "budget", "title": "Budget", "done": True},
    {"name": "timeline", "title": "Timeline", "done": False},
    {"name": "decision-maker", "title": "Decision maker", "done": True},
    {"name": "pain", "title": "Pain", "done": True},
]


def seed_call(owner: Any, **fields: Any) -> Call:
    """An ended call with a realistic transcript, an objection card and a checklist."""
    call = make_call(owner, texts=SALES_CALL, live_summary={"checklist": CHECKLIST}, **fields)
    utterances = sorted(call.utterances, key=lambda u: u.start_ms)
    db.session.add_all(
        [
            Suggestion(
                call_id=call.id,
                trigger_utterance_id=utterances[3].id,
                kind="objection",
                title="Reframe price as value",
                body="Ask what the problem costs.",
                origin="playbook",
                entry_name="objection-price",
                feedback="used",
            ),
            Suggestion(
                call_id=call.id,
                kind="discovery",
                title="Ask about the decision process",
                body="Who signs off?",
                origin="playbook",
                entry_name="discovery-decision",
                feedback="dismissed",
            ),
        ]
    )
    db.session.commit()
    return call


def clean_queue(connection: Any, name: str) -> None:
    """Delete an RQ test queue with its jobs, results, registries and worker records."""
    from app.services.analysis import rq_queue

    queue = rq_queue.queue(connection, name)
    registries = (
        queue.finished_job_registry,
        queue.failed_job_registry,
        queue.started_job_registry,
    )
    job_ids = {job_id for registry in registries for job_id in registry.get_job_ids()}
    queue.delete(delete_jobs=True)
    for job_id in job_ids:
        connection.delete(f"rq:job:{job_id}", f"rq:results:{job_id}")
    for key in connection.scan_iter("rq:worker:*"):
        if connection.hget(key, "queues") == name.encode():
            connection.srem("rq:workers", key)
            connection.delete(key)
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)


def run_jobs(limit: int = 20) -> list[str]:
    """Run claimable jobs in this thread until none is left."""
    ran = []
    for _ in range(limit):
        call_id = get_services().analysis.run_next()
        if call_id is None:
            return ran
        ran.append(call_id)
    raise AssertionError("jobs kept coming")


def analysis_row(call_id: str) -> CallAnalysis | None:
    db.session.expire_all()
    return db.session.get(CallAnalysis, call_id)
