"""The security tests run with the fault-matrix watchdog settings (short check intervals) and
stop the watchdog after each test, as tests/reliability does."""

import pytest

from app.container import get_services
from tests.helpers import FAST_WATCHDOG


@pytest.fixture
def app_env() -> dict[str, str]:
    return dict(FAST_WATCHDOG)


@pytest.fixture(autouse=True)
def _stop_watchdog(app):
    yield
    get_services().watchdog.stop()
