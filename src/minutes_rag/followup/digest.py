"""The digest before a meeting: the tasks still open (open, in progress, blocked) per
responsible unit, overdue first, each with its trail; as JSON, Markdown or a printable
xlsx (the ledger export's style, ``ledger/exports.py``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from minutes_rag.followup.model import FollowedEntry
from minutes_rag.ledger.exports import data_lang, printable, save_workbook

log = logging.getLogger(__name__)

NO_UNIT = {"zh": "（未明确单位）", "en": "(no unit named)"}
STATUS_NAMES = {
    "zh": {"open": "未办", "in_progress": "在办", "done": "办结", "blocked": "受阻"},
    "en": {"open": "open", "in_progress": "in progress", "done": "done", "blocked": "blocked"},
}


@dataclass(frozen=True)
class DigestOptions:
    unit: str = ""  # part of a unit's name
    due_within: int | None = None  # deadline within this many days of today (overdue included)
    overdue_only: bool = False
    today: date | None = None


def select(items: Sequence[FollowedEntry], opts: DigestOptions) -> list[FollowedEntry]:
    """The tasks a digest lists: assignments not done, by the options."""
    today = opts.today or date.today()
    out = []
    for f in items:
        e = f.entry
        if e.kind != "assignment" or f.status == "done":
            continue
        if opts.unit and not any(opts.unit.lower() in u.lower() for u in e.units()):
            continue
        if opts.overdue_only and not f.overdue:
            continue
        if opts.due_within is not None and not (
            f.deadline_date and f.deadline_date <= (today + timedelta(days=opts.due_within)).isoformat()
        ):
            continue
        out.append(f)
    return out


def by_unit(items: Sequence[FollowedEntry], lang: str = "zh") -> list[tuple[str, list[FollowedEntry]]]:
    """Items grouped by lead unit (an item with two leads is under both), units by name,
    overdue first within a unit, then by deadline."""
    groups: dict[str, list[FollowedEntry]] = {}
    for f in items:
        for unit in f.entry.lead or (NO_UNIT[lang],):
            groups.setdefault(unit, []).append(f)
    return [
        (u, sorted(g, key=lambda f: (not f.overdue, f.deadline_date or "9999", f.entry.date, f.entry.start)))
        for u, g in sorted(groups.items())
    ]


def digest_json(items: Sequence[FollowedEntry], today: date) -> dict[str, Any]:
    lang = data_lang([f.entry for f in items])
    return {
        "as_of": today.isoformat(),
        "units": [
            {"unit": u, "open": len(g), "overdue": sum(1 for f in g if f.overdue), "entries": [f.to_json() for f in g]}
            for u, g in by_unit(items, lang)
        ],
    }


def _cite(f: FollowedEntry) -> str:
    e = f.entry
    return " ".join(x for x in (e.doc_number or e.minute_id, e.label) if x)


def _trail_lines(f: FollowedEntry) -> list[str]:
    return [f"{t.date} {t.doc_number or t.minute_id} {t.label}: {t.quote}" for t in f.trail]


def digest_markdown(items: Sequence[FollowedEntry], today: date) -> str:
    lang = data_lang([f.entry for f in items])
    zh = lang == "zh"
    names = STATUS_NAMES[lang]
    lines = [f"# {'督办事项清单' if zh else 'Open tasks'} ({today.isoformat()})", ""]
    if not items:
        lines.append("无未办结事项。" if zh else "No open tasks.")
    for unit, group in by_unit(items, lang):
        late = sum(1 for f in group if f.overdue)
        lines += [f"## {unit}", "", (f"未办结 {len(group)} 项，逾期 {late} 项" if zh else f"{len(group)} open, {late} overdue"), ""]
        for f in group:
            e = f.entry
            flags = [names.get(f.status, f.status)] + (["逾期" if zh else "OVERDUE"] if f.overdue else [])
            due = f"{e.deadline} → {f.deadline_date}" if f.deadline_date else e.deadline
            lines.append(f"- **[{' / '.join(flags)}]** {e.task or e.quote} ({_cite(f)}, {e.date}"
                         + (f"; {'时限' if zh else 'due'} {due}" if due else "") + ")")
            for n in f.notes:
                lines.append(f"  - {'进展' if zh else 'note'} {n.at[:10]} {n.user}: {n.text}")
            for t in _trail_lines(f):
                lines.append(f"  - {'后续' if zh else 'later'}: {t}")
            if f.suggestion:
                lines.append(f"  - {'提示' if zh else 'hint'}: {f.suggestion}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


DIGEST_COLUMNS = (
    ("责任单位", "Unit", 18), ("状态", "Status", 10), ("逾期", "Overdue", 7), ("事项", "Task", 42),
    ("完成时限", "Deadline", 12), ("到期日", "Due date", 11), ("出处", "Citation", 18), ("会议日期", "Meeting date", 11),
    ("进展", "Notes", 30), ("后续会议", "Later meetings", 50), ("提示", "Hint", 24),
)


def write_digest_xlsx(items: Sequence[FollowedEntry], path: str | Path, today: date) -> Path:
    """One row per (unit, task), grouped by unit; printable like the ledger export."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    lang = data_lang([f.entry for f in items])
    zh = lang == "zh"
    names = STATUS_NAMES[lang]
    wb = Workbook()
    ws = wb.active
    ws.title = "督办清单" if zh else "Digest"
    ws.append([c[0] if zh else c[1] for c in DIGEST_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE5F0")
    late_fill = PatternFill("solid", fgColor="F8D7DA")
    for unit, group in by_unit(items, lang):
        for f in group:
            e = f.entry
            ws.append([
                unit, names.get(f.status, f.status), ("是" if zh else "yes") if f.overdue else "", e.task or e.quote,
                e.deadline, f.deadline_date, _cite(f), e.date,
                "\n".join(f"{n.at[:10]} {n.user}: {n.text}" for n in f.notes), "\n".join(_trail_lines(f)), f.suggestion,
            ])
            if f.overdue:
                for cell in ws[ws.max_row]:
                    cell.fill = late_fill
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for c, (_, _, width) in enumerate(DIGEST_COLUMNS, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    printable(ws, f"{'督办事项清单' if zh else 'Open tasks'} {today.isoformat()}")
    path = save_workbook(wb, path)
    log.info("digest: %d tasks written to %s", len(items), path)
    return path
