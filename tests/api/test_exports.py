"""Exports of one call (JSON, CSV, PDF) and of many calls (streamed JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.models import CallAnalysis, Suggestion, User
from app.schemas.export import CallExportSchema
from app.services import exports, pdf_report
from tests.factories import make_call
from tests.helpers import auth_header

TEXTS = [
    ("rep", "Thanks for taking the call, what matters most this quarter?"),
    ("prospect", "Grüße from the café: the price is too high – naïve budgets €"),
    ("rep", "=HYPERLINK(evil) is just text"),
]
LIVE_SUMMARY = {
    "metrics": {"talk_ratio": 0.45, "questions_asked": 1, "rep_talk_s": 5.0},
    "checklist": [{"name": "budget", "title": "Confirm budget", "done": True}],
}


@pytest.fixture
def coach(tokens):
    return tokens.user(role="coach")


@pytest.fixture
def call(coach):
    made = make_call(coach["user"], title="Acme renewal", texts=TEXTS, live_summary=LIVE_SUMMARY)
    db.session.add(
        Suggestion(
            call_id=made.id,
            kind="objection",
            title="Price objection",
            body="Reframe on value",
            origin="playbook",
            entry_name="price",
            feedback="used",
        )
    )
    db.session.commit()
    return made


def _export(client, token, call_id, fmt):
    return client.get(
        f"/api/v1/calls/{call_id}/export", query_string={"format": fmt}, headers=auth_header(token)
    )


def test_json_export_matches_the_documented_schema(client, coach, call):
    response = _export(client, coach["token"], call.id, "json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="call-{call.started_at:%Y-%m-%d}-acme-renewal-{call.id[:8]}.json"'
    )
    document = json.loads(response.data)
    assert CallExportSchema().validate(document) == {}
    assert [u["text"] for u in document["utterances"]] == [t for _, t in TEXTS]
    assert document["suggestions"][0]["feedback"] == "used"
    assert document["live_summary"] == LIVE_SUMMARY and document["analysis"] is None


def test_csv_export_parses_with_one_row_per_utterance(client, coach, call):
    response = _export(client, coach["token"], call.id, "csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    assert list(rows[0]) == list(exports.CSV_COLUMNS)
    assert [r["source"] for r in rows] == ["rep", "prospect", "rep"]
    assert rows[1]["text"] == TEXTS[1][1]
    assert rows[2]["text"] == "'=HYPERLINK(evil) is just text"  # no spreadsheet formula
    assert {r["rep_name"] for r in rows} == {coach["user"].name}


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_export_is_a_valid_pdf_with_header_metrics_and_transcript(client, coach, call):
    response = _export(client, coach["token"], call.id, "pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    text = _pdf_text(response.data)
    for expected in ("Acme renewal", "Rep talk ratio", "Confirm budget", "No analysis results"):
        assert expected in text
    assert "[00:03] Prospect:" in text
    assert "Grüße from the café" in text and "€" in text
    assert "what matters most this quarter?" in text


def test_pdf_shows_analysis_results_and_manager_overrides(client, coach, call):
    db.session.add(
        CallAnalysis(
            call_id=call.id,
            status="done",
            results={"summary": "Prospect pushed on price.", "action_items": ["Send ROI sheet"]},
            overrides={"score": 4},
        )
    )
    db.session.commit()
    text = _pdf_text(_export(client, coach["token"], call.id, "pdf").data)
    assert "Prospect pushed on price." in text and "Send ROI sheet" in text
    assert "Score (manager override)" in text


def test_pdf_without_the_unicode_font_falls_back_to_latin1(tmp_path, app, call):
    document = exports.call_document(call)
    document["utterances"].append(
        {
            "utterance_id": "x",
            "source": "rep",
            "text": "東京 ok",
            "start_ms": 9000,
            "end_ms": 9500,
            "confidence": 1.0,
        }
    )
    text = _pdf_text(pdf_report.render(document, font_dir=tmp_path))
    assert "Grüße from the café" in text and "?? ok" in text


def test_another_teams_call_cannot_be_exported(client, tokens, call):
    stranger = tokens.user(role="admin")
    for fmt in ("json", "csv", "pdf"):
        response = _export(client, stranger["token"], call.id, fmt)
        assert response.status_code == 404
        assert response.json["error"]["code"] == "call_not_found"


def test_a_rep_cannot_export_a_teammates_call(client, tokens, coach, call):
    rep = tokens.user(role="rep", team=db.session.get(User, coach["id"]).team)
    assert _export(client, rep["token"], call.id, "json").status_code == 404


def test_an_unknown_format_is_rejected(client, coach, call):
    response = _export(client, coach["token"], call.id, "docx")
    assert response.status_code == 422


def _bulk(client, token, **params):
    return client.get("/api/v1/calls/export", query_string=params, headers=auth_header(token))


def test_bulk_json_export_streams_the_filtered_calls_of_the_team(client, tokens, coach, call):
    other = make_call(coach["user"], title="Intro", texts=[("rep", "hello world")])
    make_call(tokens.user(role="admin")["user"], texts=[("rep", "price elsewhere")])
    response = _bulk(client, coach["token"], format="json")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"].startswith('attachment; filename="calls-')
    documents = json.loads(response.get_data())
    assert {d["id"] for d in documents} == {call.id, other.id}
    assert CallExportSchema(many=True).validate(documents) == {}
    searched = json.loads(_bulk(client, coach["token"], format="json", q="price").get_data())
    assert [d["id"] for d in searched] == [call.id]


def test_bulk_csv_export_respects_rep_scoping(client, tokens, coach, call):
    rep = tokens.user(role="rep", team=db.session.get(User, coach["id"]).team)
    mine = make_call(rep["user"], texts=[("rep", "my own call"), ("prospect", "sure")])
    rows = list(
        csv.DictReader(
            io.StringIO(_bulk(client, rep["token"], format="csv").get_data(as_text=True))
        )
    )
    assert {r["call_id"] for r in rows} == {mine.id} and len(rows) == 2
    everything = _bulk(client, coach["token"], format="csv").get_data(as_text=True)
    assert len(list(csv.DictReader(io.StringIO(everything)))) == len(TEXTS) + 2


def test_bulk_export_of_many_calls_reads_them_in_batches(client, coach, monkeypatch):
    monkeypatch.setattr(exports, "BATCH", 2)
    made = {make_call(coach["user"], texts=[("rep", f"n{i}")]).id for i in range(5)}
    documents = json.loads(_bulk(client, coach["token"], format="json").get_data())
    assert {d["id"] for d in documents} == made
    assert all(len(d["utterances"]) == 1 for d in documents)
