"""``minutes-rag alerts``: saved searches and followed units, topics and entries (README,
"Following decisions up").

    minutes-rag alerts add --search TEXT | --unit TEXT | --topic TEXT | --item ITEM_ID [--webhook URL]
    minutes-rag alerts [--json]          what fired and when (newest first)
    minutes-rag alerts saved [--json]    the saved alerts and their feeds
    minutes-rag alerts run               today's deadline reminders, and webhooks not yet delivered
    minutes-rag alerts remove ID
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from minutes_rag.ledger.model import LedgerFilter


def add_alerts_parser(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("alerts", help="saved searches, followed units/topics/entries: feeds and webhooks")
    common(p)
    p.add_argument("--json", action="store_true", help="print one JSON list of the events that fired")
    p.add_argument("--embedder")
    asub = p.add_subparsers(dest="alerts_command")
    a = asub.add_parser("add", help="save an alert; prints {\"id\", \"feed\"}")
    what = a.add_mutually_exclusive_group(required=True)
    what.add_argument("--search", help="new minutes holding these words")
    what.add_argument("--unit", help="new entries naming this unit (part of its name), and its deadlines")
    what.add_argument("--topic", help="new minutes on this topic (as a timeline finds it)")
    what.add_argument("--item", help="a ledger entry: its changes, later minutes, deadline")
    a.add_argument("--webhook", default="", help="POST each event as JSON to this URL")
    a.add_argument("--user", default="")
    common(a)
    a.add_argument("--embedder")
    s = asub.add_parser("saved", help="the saved alerts and their feeds")
    s.add_argument("--json", action="store_true")
    common(s)
    s.add_argument("--embedder")
    r = asub.add_parser("run", help="issue today's reminders and deliver pending webhooks (run it daily)")
    common(r)
    r.add_argument("--embedder")
    d = asub.add_parser("remove", help="delete a saved alert and its events")
    d.add_argument("alert_id")
    common(d)
    d.add_argument("--embedder")


def run_alerts(args: argparse.Namespace, settings: Any) -> int:
    from minutes_rag.assistant import build_assistant
    from minutes_rag.errors import NotFound
    from minutes_rag.followup.alerts import Alerts, feed_path

    assistant = build_assistant(settings)
    alerts = Alerts(assistant.index)
    command = getattr(args, "alerts_command", None)
    if command == "add":
        kind = next(k for k in ("search", "unit", "topic", "item") if getattr(args, k))
        entries = assistant.actions(LedgerFilter()) if kind == "item" else []
        out = alerts.add(kind, getattr(args, kind), user=args.user, webhook=args.webhook, entries=entries)
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return 0
    if command == "remove":
        if not assistant.index.remove_alert(args.alert_id):
            raise NotFound(f"no alert {args.alert_id!r} (see `minutes-rag alerts saved`)")
        return 0
    if command == "run":
        with assistant.writer_lock(wait=settings.lock_wait):
            entries = assistant.actions(LedgerFilter())
            reminded = alerts.reminders(assistant.followup.view(entries), date.today())
            sent, failed = alerts.deliver()
        sys.stderr.write(f"{reminded} reminders; webhooks: {sent} delivered, {failed} failed\n")
        return 1 if failed else 0
    if command == "saved":
        saved = [{**a, "feed": feed_path(a["id"])} for a in assistant.index.alerts()]
        if args.json:
            sys.stdout.write(json.dumps(saved, ensure_ascii=False) + "\n")
        for a in [] if args.json else saved:
            sys.stdout.write(f"{a['id']}  {a['kind']}: {a['value']}  {a['feed']}"
                             f"{'  -> ' + a['webhook'] if a['webhook'] else ''}\n")
        return 0
    events = [
        {"alert_id": ev["alert_id"], "event": ev["key"], "at": ev["at"], "type": ev["data"].get("type", ""),
         "minute_id": ev["data"].get("minute_id", ""), "doc_number": ev["data"].get("doc_number", ""),
         "quote": ev["data"].get("quote", ""), "webhook": ev["webhook"], "delivered_at": ev["delivered_at"],
         "attempts": ev["attempts"], "last_error": ev["last_error"]}
        for ev in assistant.index.alert_events()
    ]
    if args.json:
        sys.stdout.write(json.dumps(events, ensure_ascii=False) + "\n")
        return 0
    for ev in events:
        hook = ""
        if ev["webhook"]:
            hook = "  delivered" if ev["delivered_at"] else f"  NOT delivered ({ev['attempts']} tries: {ev['last_error']})"
        sys.stdout.write(f"{ev['at']}  {ev['alert_id']}  {ev['type']}  {ev['doc_number'] or ev['minute_id']}  "
                         f"{ev['quote'][:60]}{hook}\n")
    sys.stderr.write(f"{len(events)} events\n")
    return 0
