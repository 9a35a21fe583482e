"""The ledger as a 督办台账 people open in Excel and print: xlsx (openpyxl) and csv.

One row per entry; headings in Chinese (会议, 文号, 议题, 事项, 责任单位, 配合单位, 完成时限,
结果, …) or English; the citation is the document number plus the agenda-item label
(〔2020〕21号 四（一）), and the verbatim quote is in its own column so every row can be
checked against the minute. A blank 进展 (progress) column is left for the office to fill.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from minutes_rag.errors import MinutesRagError
from minutes_rag.ledger.model import LedgerEntry
from minutes_rag.text.lang import has_cjk

log = logging.getLogger(__name__)

KIND_NAMES = {
    "zh": {"decision": "决定", "assignment": "任务", "report": "汇报"},
    "en": {"decision": "Decision", "assignment": "Assignment", "report": "Report"},
}

# (heading zh, heading en, column width in characters)
COLUMNS = (
    ("序号", "No.", 6),
    ("会议", "Meeting", 16),
    ("文号", "Doc. number", 13),
    ("议题", "Item", 9),
    ("类型", "Kind", 8),
    ("事项", "Matter", 42),
    ("责任单位", "Responsible", 18),
    ("配合单位", "Partners", 18),
    ("完成时限", "Deadline", 12),
    ("结果", "Outcome", 14),
    ("表决", "Vote", 8),
    ("原文", "Quote", 60),
    ("出处", "Citation", 18),
    ("进展", "Progress", 14),
)


class ExportError(MinutesRagError):
    """The ledger could not be written to the file asked for."""


def data_lang(entries: Sequence[LedgerEntry]) -> str:
    """"zh" when most quotes are Chinese, else "en" (an empty ledger: "zh")."""
    if not entries:
        return "zh"
    zh = sum(1 for e in entries if has_cjk(e.quote))
    return "zh" if zh * 2 >= len(entries) else "en"


def _meeting(e: LedgerEntry, lang: str) -> str:
    if lang == "zh":
        n = f"第{e.meeting_number}次会议" if e.meeting_number else ""
    else:
        n = f"Meeting {e.meeting_number}" if e.meeting_number else ""
    return " ".join(x for x in (n, e.date) if x)


def _matter(e: LedgerEntry) -> str:
    if e.kind == "assignment":
        return e.task or e.subject
    return e.subject or e.task


def rows(entries: Sequence[LedgerEntry], lang: str) -> list[list[str]]:
    """The table, headings first."""
    lang = "en" if lang == "en" else "zh"
    head = [c[0] if lang == "zh" else c[1] for c in COLUMNS]
    sep = "、" if lang == "zh" else "; "
    out = [head]
    for n, e in enumerate(entries, 1):
        cite = " ".join(x for x in (e.doc_number or e.minute_id, e.label) if x)
        out.append(
            [
                str(n), _meeting(e, lang), e.doc_number, e.label, KIND_NAMES[lang].get(e.kind, e.kind), _matter(e),
                sep.join(e.lead), sep.join(e.partners), e.deadline, e.outcome, e.vote, e.quote, cite, "",
            ]
        )
    return out


def write_csv(entries: Sequence[LedgerEntry], path: str | Path, *, lang: str = "") -> Path:
    """UTF-8 with a byte-order mark, so Excel opens Chinese text correctly."""
    path = Path(path)
    table = rows(entries, lang or data_lang(entries))
    try:
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(table)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path


def printable(ws: Any, header: str) -> None:
    """A sheet people print: header row frozen and repeated on every page, landscape A4 fitted
    to the page width, ``header`` at the top of each page, page numbers at the foot."""
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = False
    ws.oddHeader.center.text = header
    ws.oddFooter.center.text = "&P / &N"


def save_workbook(wb: Any, path: str | Path) -> Path:
    """Save an openpyxl workbook; a path that cannot be written is an ``ExportError``."""
    path = Path(path)
    try:
        wb.save(path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path


def write_xlsx(entries: Sequence[LedgerEntry], path: str | Path, *, lang: str = "", title: str = "") -> Path:
    """A printable workbook: bold frozen header row repeated on every page, wrapped text,
    column widths, landscape A4 fitted to the page width, an autofilter."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    lang = lang or data_lang(entries)
    table = rows(entries, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = "督办台账" if lang == "zh" else "Ledger"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, values in enumerate(table, 1):
        for c, value in enumerate(values, 1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.alignment = wrap
            cell.border = border
            if r == 1:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="DDE5F0")
                cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for c, (_, _, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, len(table))}"
    printable(ws, title or ("督办台账" if lang == "zh" else "Decisions and assignments"))
    path = save_workbook(wb, path)
    log.info("ledger: %d entries written to %s", len(entries), path)
    return path
