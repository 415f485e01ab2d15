"""fpdf2 warns about characters its font lacks by quoting them; none of that call
content may reach the log."""

from __future__ import annotations

from app.extensions import db
from app.models import User
from tests.factories import make_call
from tests.helpers import auth_header
from tests.security.logcapture import captured_logs

SECRET_TEXT = "会議の予算は 🦄 ですね"  # CJK and emoji: not in DejaVu Sans


def test_a_pdf_of_text_the_font_cannot_draw_logs_a_count_but_no_content(client, admin):
    owner = db.session.get(User, admin["user"]["id"])
    call = make_call(owner, title="予算 review", texts=[("prospect", SECRET_TEXT)])
    with captured_logs() as logs:
        response = client.get(
            f"/api/v1/calls/{call.id}/export?format=pdf", headers=auth_header(admin["token"])
        )
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    counts = [r for r in logs.records if r.getMessage().startswith("pdf export")]
    assert counts and counts[0].missing_glyphs > 0
    for char in "会議予算🦄":
        assert char not in logs.text
        assert char.encode("unicode-escape").decode() not in logs.text
    assert "missing the following glyphs" not in logs.text
