"""Exports: one call as JSON, CSV or PDF; many calls as streamed JSON or CSV.

Both use the caller's scoping (reps: their own calls; coaches and admins: their team's);
another team's call answers 404 like a missing one.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, stream_with_context

from app.auth.guard import auth_required, current_principal
from app.calls.routes import blp
from app.schemas.export import BulkExportQuerySchema, CallExportSchema, SingleExportQuerySchema
from app.services import calls, exports, pdf_report

MIMETYPES = {
    "json": "application/json",
    "csv": "text/csv",  # Flask adds "; charset=utf-8"
    "pdf": "application/pdf",
}


def _attachment(body: Any, fmt: str, filename: str) -> Response:
    response = Response(body, mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/export")
@auth_required()
@blp.arguments(BulkExportQuerySchema, location="query")
@blp.doc(
    responses={
        "200": {
            "description": "Streamed download: a JSON array of call exports, or CSV rows "
            "(one per utterance).",
            "content": {
                "application/json": {"schema": CallExportSchema(many=True)},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    }
)
def export_calls(args: dict[str, Any]) -> Response:
    """Every call matching the list filters (q, from, to, user_id, state), streamed."""
    fmt = args.pop("format")
    query = calls.filtered_calls(current_principal(), calls.CallFilters(**args))
    generate = exports.iter_csv if fmt == "csv" else exports.iter_json
    body = stream_with_context(generate(query))
    return _attachment(body, fmt, exports.attachment_name(None, fmt))


@blp.route("/<call_id>/export")
@auth_required()
@blp.arguments(SingleExportQuerySchema, location="query")
@blp.doc(
    responses={
        "200": {
            "description": "Download: JSON (schema below), CSV of utterances, or a PDF report.",
            "content": {
                "application/json": {"schema": CallExportSchema},
                "text/csv": {"schema": {"type": "string"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    }
)
def export_call(args: dict[str, Any], call_id: str) -> Response:
    """One call as JSON (CallExport), CSV (one row per utterance) or a PDF report."""
    call = calls.get_call(current_principal(), call_id)
    fmt = args["format"]
    if fmt == "csv":
        body: Any = exports.call_csv(call)
    else:
        document = exports.call_document(call)
        body = pdf_report.render(document) if fmt == "pdf" else json.dumps(document) + "\n"
    return _attachment(body, fmt, exports.attachment_name(call, fmt))
