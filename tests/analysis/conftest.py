"""Analysis fixtures: the job service and a recorder of stored job outcomes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.container import get_services
from app.services.analysis import job
from app.services.analysis.service import AnalysisJobs


@pytest.fixture
def jobs(app) -> Iterator[AnalysisJobs]:
    service = get_services().analysis
    yield service
    assert service.stop(10), "analysis runner did not stop"


@pytest.fixture
def finished() -> Iterator[list[tuple[str, str]]]:
    """Records (call_id, status) of every job outcome stored in this process."""
    record: list[tuple[str, str]] = []
    job.hooks = job.Hooks(after_finish=lambda call_id, status: record.append((call_id, status)))
    yield record
    job.hooks = job.Hooks()
