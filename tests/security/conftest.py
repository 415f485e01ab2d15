"""The security tests share the fault-matrix fixtures (tests/reliability/conftest.py)."""

from tests.reliability.conftest import (  # noqa: F401
    _stop_watchdog,
    app_env,
    connect,
    scripted_transcriber,
    sessions,
)
