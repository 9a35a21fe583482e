"""``minutes-rag actions``: the ledger on the command line (README, "Command-line contract").

    minutes-rag actions [--data-dir DIR] [--minute ID] [--dept TEXT] [--kind decision|assignment|report]
                        [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--named] [--json | --csv FILE | --xlsx FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from minutes_rag.ledger.model import KINDS, LedgerFilter


def add_actions_parser(sub: Any, date_type: Callable[[str], str], common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("actions", help="the ledger: decisions, assignments and reports (督办台账)")
    common(p)
    p.add_argument("--minute", help="minute id or document number")
    p.add_argument("--dept", help="responsible or partner unit (part of its name)")
    p.add_argument("--kind", choices=list(KINDS))
    p.add_argument("--from", dest="date_from", type=date_type, help="earliest meeting date, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=date_type, help="latest meeting date, YYYY-MM-DD")
    p.add_argument("--named", action="store_true", help="only entries with a named unit (no 各有关部门 ...)")
    p.add_argument("--keyword", help="text in the quote, task or matter")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print one JSON list of entries")
    out.add_argument("--csv", metavar="FILE", help="write a CSV (UTF-8 with BOM, opens in Excel)")
    out.add_argument("--xlsx", metavar="FILE", help="write a printable Excel ledger")
    p.add_argument("--lang", choices=["zh", "en"], help="headings of --csv/--xlsx (default: the data's language)")
    p.add_argument("--embedder")


def run_actions(args: argparse.Namespace, settings: Any) -> int:
    from minutes_rag.assistant import build_assistant

    if args.date_from and args.date_to and args.date_from > args.date_to:
        sys.stderr.write("minutes-rag: error: --from is after --to\n")
        return 2
    assistant = build_assistant(settings)
    flt = LedgerFilter(
        minute=args.minute or "", dept=args.dept or "", kind=args.kind or "", date_from=args.date_from or "",
        date_to=args.date_to or "", named_only=bool(args.named), keyword=args.keyword or "",
    )
    entries = assistant.actions(flt)
    if args.json:
        # each entry with its follow-up state (status, overdue, deadline_date, origin, notes,
        # trail, suggestion: followup/model.py)
        followed = assistant.followup.view(entries)
        sys.stdout.write(json.dumps([f.to_json() for f in followed], ensure_ascii=False) + "\n")
        return 0
    if args.csv or args.xlsx:
        from minutes_rag.ledger.exports import write_csv, write_xlsx

        path = write_csv(entries, args.csv, lang=args.lang or "") if args.csv else write_xlsx(
            entries, args.xlsx, lang=args.lang or ""
        )
        sys.stderr.write(f"{len(entries)} entries written to {path}\n")
        return 0
    for e in entries:
        who = "、".join(e.lead) + (f" (+{'、'.join(e.partners)})" if e.partners else "")
        what = e.outcome + " " + e.subject if e.kind == "decision" else e.task or e.subject
        extra = " ".join(x for x in (e.deadline, e.vote) if x)
        sys.stdout.write(
            f"{e.date or '----------'}  {e.doc_number or e.minute_id} {e.label}  [{e.kind}] {who}  {what.strip()}"
            f"{'  ' + extra if extra else ''}\n"
        )
    sys.stderr.write(f"{len(entries)} entries\n")
    return 0
