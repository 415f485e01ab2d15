from __future__ import annotations

from app.events import ClientEvent, ErrorCode, ServerEvent
from app.services.protocol_export import TYPESCRIPT_PATH, render_typescript


def test_the_frontend_copy_of_the_protocol_is_current():
    assert TYPESCRIPT_PATH.read_text(encoding="utf-8") == render_typescript(), (
        "run `make protocol` and commit frontend/src/lib/protocol.generated.ts"
    )


def test_every_event_and_code_is_exported():
    text = render_typescript()
    for member in [*ClientEvent, *ServerEvent, *ErrorCode]:
        assert f"'{member.value}'" in text


def test_cli_writes_the_file(app, tmp_path):
    out = tmp_path / "protocol.ts"
    result = app.test_cli_runner().invoke(args=["protocol", "export", "--out", str(out)])
    assert result.exit_code == 0 and out.read_text() == render_typescript()
