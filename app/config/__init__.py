"""Settings read from the environment (and `.env`), parsed strictly, validated at start-up.

Each setting is declared once, as a field of a section class (server.py, calls.py) with its
default, bounds and meaning (spec.py); one loop reads them all (load.py), checks across
settings live in checks.py, and docs/configuration.md is generated from the same table
(docs.py, `make docs`). Every value has an embedded-mode default so `make run` needs no
variables; production (`APP_ENV=production`) refuses to start without its secrets.
"""

from app.config.load import ConfigError, load_settings, read_env
from app.config.settings import INSTANCE_DIR, Settings

__all__ = ["INSTANCE_DIR", "ConfigError", "Settings", "load_settings", "read_env"]
