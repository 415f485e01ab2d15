"""One list of error codes (app/events.py ErrorCode), for REST bodies and socket acks: every
code the server can send is in it, so the web app's generated enum knows it."""

from __future__ import annotations

import re
from pathlib import Path

from app.errors import HTTP_CODES, AppError
from app.events import ErrorCode

APP = Path(__file__).resolve().parents[1] / "app"
LITERAL_CODE = re.compile(r"""\bcode=["']([a-z_]+)["']""")
CLASS_CODE = re.compile(r"""status, code(?:, message)? = \d+, ["']([a-z_]+)["']""")
KNOWN = {code.value for code in ErrorCode}


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_subclasses(c) for c in found)) if found else found


def test_every_code_raised_in_the_source_is_in_the_list():
    used: dict[str, str] = {}
    for path in APP.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in [*LITERAL_CODE.finditer(text), *CLASS_CODE.finditer(text)]:
            used.setdefault(match.group(1), str(path.relative_to(APP.parent)))
    assert used, "the scan found no code at all"
    missing = {code: where for code, where in used.items() if code not in KNOWN}
    assert missing == {}, "add these to ErrorCode in app/events.py, then run make protocol"


def test_every_error_class_and_http_status_code_is_in_the_list():
    import app.services  # noqa: F401 - loads the services' AppError subclasses

    codes = {cls.code for cls in _subclasses(AppError)} | {c for c, _ in HTTP_CODES.values()}
    assert codes - KNOWN == set()
