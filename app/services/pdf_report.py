"""A readable PDF report of one call (fpdf2): header, metrics, analysis, transcript.

Uses DejaVu Sans (Debian's fonts-dejavu-core) for full Unicode; without it, falls back to
the core Helvetica font with text reduced to Latin-1.

fpdf2's own log warnings quote the document (the characters a font lacks, bidi text), so
its loggers are held at ERROR and :func:`render` logs a count without content instead.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FAMILY = "DejaVu"
SPEAKERS = {"rep": "Rep", "prospect": "Prospect", "unknown": "Speaker"}
METRICS = (
    ("talk_ratio", "Rep talk ratio"),
    ("rep_talk_s", "Rep talk time (s)"),
    ("prospect_talk_s", "Prospect talk time (s)"),
    ("questions_asked", "Questions asked by rep"),
    ("prospect_questions", "Questions asked by prospect"),
    ("longest_monologue_s", "Longest monologue (s)"),
    ("rep_wpm", "Rep pace (words/min)"),
    ("filler_words", "Filler words"),
)
MAX_DEPTH = 3
log = logging.getLogger(__name__)
logging.getLogger("fpdf").setLevel(logging.ERROR)
LABEL_WIDTH = 30.0


class _Report(FPDF):
    def __init__(self, font_dir: Path) -> None:
        super().__init__(format="A4")
        self.unicode = (font_dir / "DejaVuSans.ttf").is_file() and (
            font_dir / "DejaVuSans-Bold.ttf"
        ).is_file()
        if self.unicode:
            self.add_font(FONT_FAMILY, "", str(font_dir / "DejaVuSans.ttf"))
            self.add_font(FONT_FAMILY, "B", str(font_dir / "DejaVuSans-Bold.ttf"))
        self.family = FONT_FAMILY if self.unicode else "helvetica"
        self.set_auto_page_break(auto=True, margin=15)
        self.add_page()

    def clean(self, value: Any) -> str:
        text = str(value)
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def heading(self, text: str, size: int = 13) -> None:
        self.ln(2)
        self.set_font(self.family, "B", size)
        self.multi_cell(0, 8, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def line_text(self, text: str, bold_prefix: str = "", indent: float = 0) -> None:
        """``text`` after a bold label, wrapped with a hanging indent under the label."""
        self.set_x(self.l_margin + indent)
        if bold_prefix:
            self.set_font(self.family, "B", 10)
            label = self.clean(bold_prefix)
            width = self.get_string_width(label) + 2
            if width > self.epw / 2:
                self.multi_cell(0, 5.5, label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                self.set_x(self.l_margin + indent + 4)
            else:
                self.cell(max(width, LABEL_WIDTH), 5.5, label)
        self.set_font(self.family, "", 10)
        self.multi_cell(0, 5.5, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _clock(ms: int) -> str:
    seconds = max(ms, 0) // 1000
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _header(pdf: _Report, doc: dict[str, Any]) -> None:
    pdf.heading(doc["title"], size=16)
    facts = [
        ("Rep", doc.get("user_name") or doc["user_id"]),
        ("Started", doc["started_at"].replace("T", " ")[:19] + " UTC"),
        ("Duration", f"{doc['duration_s']:.0f} s" if doc.get("duration_s") is not None else "-"),
        ("State", doc["state"]),
        ("Outcome", doc.get("outcome") or "-"),
    ]
    for label, value in facts:
        pdf.line_text(str(value), bold_prefix=f"{label}:")
    if doc.get("notes"):
        pdf.line_text(doc["notes"], bold_prefix="Notes:")


def _metrics(pdf: _Report, summary: dict[str, Any] | None) -> None:
    metrics = (summary or {}).get("metrics") or {}
    checklist = (summary or {}).get("checklist") or []
    if not metrics and not checklist:
        return
    pdf.heading("Call metrics")
    for key, label in METRICS:
        if key in metrics:
            pdf.line_text(str(metrics[key]), bold_prefix=f"{label}:")
    if checklist:
        done = sum(1 for item in checklist if item.get("done"))
        pdf.line_text(f"{done} of {len(checklist)} items", bold_prefix="Checklist:")
        for item in checklist:
            mark = "[x]" if item.get("done") else "[ ]"
            pdf.line_text(f"{mark} {item.get('title') or item.get('name')}", indent=4)


def _value(pdf: _Report, label: str, value: Any, depth: int) -> None:
    indent = 4.0 * depth
    title = label.replace("_", " ").capitalize()
    if isinstance(value, dict) and depth < MAX_DEPTH:
        pdf.line_text("", bold_prefix=f"{title}:", indent=indent)
        for key, inner in value.items():
            _value(pdf, str(key), inner, depth + 1)
    elif isinstance(value, list) and depth < MAX_DEPTH:
        pdf.line_text("", bold_prefix=f"{title}:", indent=indent)
        for index, item in enumerate(value, start=1):
            _value(pdf, str(index), item, depth + 1)
    else:
        pdf.line_text(str(value), bold_prefix=f"{title}:", indent=indent)


def _analysis(pdf: _Report, analysis: dict[str, Any] | None) -> None:
    pdf.heading("Analysis")
    if not analysis or not analysis.get("results"):
        status = analysis["status"] if analysis else "not run"
        pdf.line_text(f"No analysis results ({status}).")
        return
    results = dict(analysis["results"])
    results.update(
        {f"{k} (manager override)": v for k, v in (analysis.get("overrides") or {}).items()}
    )
    for key, value in results.items():
        _value(pdf, key, value, 0)


def _transcript(pdf: _Report, utterances: list[dict[str, Any]]) -> None:
    pdf.heading("Transcript")
    if not utterances:
        pdf.line_text("No transcript was recorded.")
    for u in utterances:
        speaker = SPEAKERS.get(u["source"], u["source"])
        pdf.line_text(u["text"], bold_prefix=f"[{_clock(u['start_ms'])}] {speaker}:")


def render(document: dict[str, Any], font_dir: Path = FONT_DIR) -> bytes:
    """The PDF bytes for a call export document (see exports.call_document)."""
    pdf = _Report(font_dir)
    pdf.set_title(pdf.clean(document["title"]))
    pdf.set_creator("Sales Coach")
    _header(pdf, document)
    _metrics(pdf, document.get("live_summary"))
    _analysis(pdf, document.get("analysis"))
    _transcript(pdf, document["utterances"])
    output = bytes(pdf.output())
    missing = sum(len(getattr(font, "missing_glyphs", ())) for font in pdf.fonts.values())
    if missing:
        log.info("pdf export: characters the font cannot draw", extra={"missing_glyphs": missing})
    return output
