"""``minutes-rag followup``: the digest, and changes to an entry's state (README, "Following
decisions up").

    minutes-rag followup [--unit TEXT] [--due-within DAYS] [--overdue] [--json | --xlsx FILE | --md FILE]
    minutes-rag followup set ITEM_ID [--status open|in_progress|done|blocked] [--note TEXT] [--contact TEXT] [--user NAME]
    minutes-rag followup add --minute ID --start N --end N --kind decision|assignment|report
                             [--lead UNIT ...] [--partner UNIT ...] [--deadline TEXT] [--user NAME]
    minutes-rag followup correct ITEM_ID [--lead UNIT ...] [--deadline TEXT] [--kind KIND] [--note TEXT] [--user NAME]
    minutes-rag followup history ITEM_ID [--json]
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from minutes_rag.followup.model import STATUSES
from minutes_rag.ledger.model import KINDS, LedgerFilter


def _days(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of days") from None
    if n < 0:
        raise argparse.ArgumentTypeError("the number of days cannot be negative")
    return n


def add_followup_parser(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("followup", help="follow the ledger up: digest of open tasks, status, notes, entries")
    common(p)
    p.add_argument("--unit", help="responsible or partner unit (part of its name)")
    p.add_argument("--due-within", type=_days, metavar="DAYS", help="deadline within DAYS of today (overdue included)")
    p.add_argument("--overdue", action="store_true", help="only tasks past their deadline")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help='print {"as_of", "units": [...]}')
    out.add_argument("--xlsx", metavar="FILE", help="write a printable Excel digest")
    out.add_argument("--md", metavar="FILE", help="write the digest as Markdown")
    p.add_argument("--embedder")
    fsub = p.add_subparsers(dest="followup_command")

    s = fsub.add_parser("set", help="set an entry's status, add a progress note or the owner's contact")
    s.add_argument("item_id")
    s.add_argument("--status", choices=list(STATUSES))
    s.add_argument("--note", help="a progress note (kept, never edited)")
    s.add_argument("--contact", help="the owner's contact (person, phone)")
    s.add_argument("--user", help="who makes the change (default: the login name)")
    common(s)
    s.add_argument("--embedder")

    a = fsub.add_parser("add", help="add an entry from a passage (verbatim text from offsets)")
    a.add_argument("--minute", required=True, help="minute id or document number")
    a.add_argument("--start", type=int, required=True)
    a.add_argument("--end", type=int, required=True)
    a.add_argument("--kind", choices=list(KINDS), required=True)
    a.add_argument("--lead", nargs="+", default=[], metavar="UNIT")
    a.add_argument("--partner", nargs="+", default=[], metavar="UNIT")
    a.add_argument("--deadline", default="", help="the deadline's words (年底前, by March 1)")
    a.add_argument("--user")
    common(a)
    a.add_argument("--embedder")

    c = fsub.add_parser("correct", help="correct an entry's lead, deadline or kind (kept over re-extraction)")
    c.add_argument("item_id")
    c.add_argument("--lead", nargs="+", metavar="UNIT")
    c.add_argument("--deadline")
    c.add_argument("--kind", choices=list(KINDS))
    c.add_argument("--note")
    c.add_argument("--user")
    common(c)
    c.add_argument("--embedder")

    h = fsub.add_parser("history", help="every change of an entry: who, when, what")
    h.add_argument("item_id")
    h.add_argument("--json", action="store_true")
    common(h)
    h.add_argument("--embedder")


def _user(args: argparse.Namespace) -> str:
    if args.user:
        return str(args.user)
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return ""


def run_followup(args: argparse.Namespace, settings: Any) -> int:
    from minutes_rag.assistant import build_assistant

    assistant = build_assistant(settings)
    board = assistant.followup
    command = getattr(args, "followup_command", None)
    if command == "add":
        entry = board.add(args.minute, args.start, args.end, args.kind, user=_user(args), lead=args.lead,
                          partners=args.partner, deadline=args.deadline)
        view = board.view([entry])[0]
        sys.stdout.write(json.dumps(view.to_json(), ensure_ascii=False) + "\n")
        return 0
    if command in ("set", "correct", "history"):
        entry = board.find(args.item_id, assistant.actions(LedgerFilter()))
        if command == "set":
            board.set_state(entry, user=_user(args), status=args.status, note=args.note, owner_contact=args.contact)
        elif command == "correct":
            board.correct(entry, user=_user(args), lead=args.lead, deadline=args.deadline, kind=args.kind, note=args.note)
        if command == "history":
            changes = board.history(entry)
            if args.json:
                sys.stdout.write(json.dumps(changes, ensure_ascii=False) + "\n")
            for ch in [] if args.json else changes:
                sys.stdout.write(f"{ch['at']}  {ch['user']}  {ch['action']}  {json.dumps(ch['detail'], ensure_ascii=False)}\n")
            return 0
        from minutes_rag.followup.alerts import Alerts

        Alerts(assistant.index).deliver()  # whoever follows the entry hears of it now (or at the next run)
        fresh = board.find(args.item_id, assistant.actions(LedgerFilter(minute=entry.minute_id)))
        sys.stdout.write(json.dumps(board.view([fresh])[0].to_json(), ensure_ascii=False) + "\n")
        return 0
    return _digest(args, assistant)


def _digest(args: argparse.Namespace, assistant: Any) -> int:
    from minutes_rag.followup.digest import DigestOptions, digest_json, digest_markdown, select, write_digest_xlsx

    today = date.today()
    items = select(
        assistant.followup.view(assistant.actions(LedgerFilter()), today=today),
        DigestOptions(unit=args.unit or "", due_within=args.due_within, overdue_only=bool(args.overdue), today=today),
    )
    if args.json:
        sys.stdout.write(json.dumps(digest_json(items, today), ensure_ascii=False) + "\n")
    elif args.xlsx:
        path = write_digest_xlsx(items, args.xlsx, today)
        sys.stderr.write(f"{len(items)} tasks written to {path}\n")
    else:
        text = digest_markdown(items, today)
        if args.md:
            try:
                with open(args.md, "w", encoding="utf-8") as fh:
                    fh.write(text)
            except OSError as exc:
                from minutes_rag.ledger.exports import ExportError

                raise ExportError(f"cannot write {args.md}: {exc.strerror or exc}") from exc
            sys.stderr.write(f"{len(items)} tasks written to {args.md}\n")
        else:
            sys.stdout.write(text)
    return 0
