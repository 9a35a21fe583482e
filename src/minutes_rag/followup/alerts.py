"""Alerts for everyone: saved searches and followed units, topics and entries. Each has an
Atom feed (``/feeds/<id>.atom`` on the server, behind its auth) and optionally a webhook
(POST JSON). Events fire when an ingest adds a matching minute or entry, when a followed
entry changes (status, note, correction, a later minute in its trail), and as reminders the
day before and on an open task's deadline.

An event is stored once per alert and key (``StateIndex.record_events``), so finding it
again fires nothing; a webhook gets each event once: it is marked delivered after a 2xx
reply, and a failed POST is tried again at the next run (ingest, ``alerts run``), up to
``MAX_ATTEMPTS`` times, with its last error shown by ``alerts``. Delivery never fails an
ingest.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from minutes_rag.errors import InvalidRequest, NotFound
from minutes_rag.followup.model import FollowedEntry, now_iso
from minutes_rag.ledger.model import LedgerEntry
from minutes_rag.timeline import DEFAULT_FLOOR, TopicMatcher

if TYPE_CHECKING:
    from minutes_rag.index import StateIndex

log = logging.getLogger(__name__)

ALERT_KINDS = ("search", "unit", "topic", "item")
MAX_ATTEMPTS = 5  # a webhook down for five runs is reported (``alerts``), not retried for ever
WEBHOOK_TIMEOUT_S = 5.0  # one slow receiver must not hold an ingest longer than this per event
QUOTE_CHARS = 300  # of a matching section, in a feed item


def feed_path(alert_id: str) -> str:
    return f"/feeds/{alert_id}.atom"


def _h(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


Post = Callable[[str, bytes], int]  # (url, JSON body) -> HTTP status


def http_post(url: str, body: bytes) -> int:
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=WEBHOOK_TIMEOUT_S) as reply:  # noqa: S310 - the user's own URL
            return int(reply.status)
    except urllib.error.HTTPError as exc:  # a reply, not a broken connection: its status says it
        return int(exc.code)


class Alerts:
    def __init__(self, index: StateIndex, clock: Callable[[], str] = now_iso) -> None:
        self.index = index
        self.clock = clock

    # -- saved alerts ----------------------------------------------------------------------
    def add(self, kind: str, value: str, *, user: str = "", webhook: str = "",
            entries: Sequence[LedgerEntry] = ()) -> dict[str, str]:
        """A new alert; ``{"id", "feed"}`` (the feed's path on the server)."""
        if kind not in ALERT_KINDS:
            raise InvalidRequest("kind", f"unknown alert kind {kind!r}: one of {', '.join(ALERT_KINDS)}")
        value = value.strip()
        if not value:
            raise InvalidRequest(kind, f"the {kind} to follow is empty")
        if webhook and not webhook.startswith(("http://", "https://")):
            raise InvalidRequest("webhook", f"the webhook {webhook!r} is not an http(s) URL")
        target: dict[str, Any] = {}
        if kind == "item":
            e = next((x for x in entries if x.item_id == value), None)
            if e is None:
                raise NotFound(f"no ledger entry {value!r} (see `minutes-rag actions --json` for the ids)")
            target = {"minute_id": e.minute_id, "quote": e.quote}
        alert_id = "a" + secrets.token_hex(5)
        self.index.add_alert({"id": alert_id, "kind": kind, "value": value, "webhook": webhook, "target": target,
                              "created_at": self.clock(), "created_by": user})
        return {"id": alert_id, "feed": feed_path(alert_id)}

    # -- what fires ------------------------------------------------------------------------
    def scan_minutes(self, minute_ids: Iterable[str], entries: Sequence[LedgerEntry]) -> int:
        """Events for newly ingested minutes: saved searches and topics over their sections,
        followed units over their entries, followed entries whose trail reaches them."""
        minute_ids = set(minute_ids)
        alerts = self.index.alerts()
        if not alerts or not minute_ids:
            return 0
        at = self.clock()
        events: list[tuple[str, str, str, dict[str, Any]]] = []
        sections = {m: self.index.sections_of(m) for m in sorted(minute_ids)}
        metas = {m: self.index.minute(m).meta for m in sections}
        new_entries = [e for e in entries if e.minute_id in minute_ids]
        trails = self.index.trails()
        for a in alerts:
            if a["kind"] in ("search", "topic"):
                match = _searcher(a["value"]) if a["kind"] == "search" else _topic(a["value"])
                for m, secs in sections.items():
                    hit = next((s for s in secs if s.kind not in ("attendance", "tail") and match(s.title + "\n" + s.text)), None)
                    if hit is not None:
                        meta = metas[m]
                        events.append((a["id"], f"minute:{m}", at, {
                            "type": "minute", "minute_id": m, "doc_number": meta.doc_number, "date": meta.date,
                            "label": hit.label, "title": meta.title or meta.doc_number or m, "section": hit.title,
                            "quote": hit.text[:QUOTE_CHARS], "start": hit.start, "end": hit.end,
                        }))
            elif a["kind"] == "unit":
                for e in new_entries:
                    if any(a["value"].lower() in u.lower() for u in e.units()):
                        events.append((a["id"], f"entry:{e.minute_id}:{e.start}:{_h(e.quote)}", at, _entry_data("entry", e)))
            else:
                key = (a["target"].get("minute_id", ""), a["target"].get("quote", ""))
                for link in trails.get(key, ([], ""))[0]:
                    if link["minute_id"] in minute_ids:
                        events.append((a["id"], f"trail:{link['minute_id']}:{link['start']}", at, {"type": "trail", **link}))
        return self.index.record_events(events)

    def on_added(self, e: LedgerEntry) -> int:
        """Events for an entry a person added: the followed units it names."""
        at = self.clock()
        return self.index.record_events([
            (a["id"], f"entry:{e.minute_id}:{e.start}:{_h(e.quote)}", at, _entry_data("entry", e))
            for a in self.index.alerts()
            if a["kind"] == "unit" and any(a["value"].lower() in u.lower() for u in e.units())
        ])

    def on_change(self, e: LedgerEntry, action: str, detail: Any, user: str, at: str) -> int:
        """Events for a change a person made to a followed entry."""
        events = [
            (a["id"], f"change:{at}:{action}:{_h(json.dumps(detail, ensure_ascii=False))}", at,
             {**_entry_data("change", e), "action": action, "detail": detail, "user": user})
            for a in self.index.alerts()
            if a["kind"] == "item" and (a["target"].get("minute_id"), a["target"].get("quote")) == (e.minute_id, e.quote)
        ]
        return self.index.record_events(events)

    def reminders(self, followed: Sequence[FollowedEntry], today: date) -> int:
        """The day before and on the deadline of each open task a followed entry or unit
        covers; each fires once."""
        alerts = [a for a in self.index.alerts() if a["kind"] in ("item", "unit")]
        if not alerts:
            return 0
        at = self.clock()
        when = {(today + timedelta(days=1)).isoformat(): "eve", today.isoformat(): "due"}
        events = []
        for f in followed:
            if f.status == "done" or f.deadline_date not in when:
                continue
            e = f.entry
            which = when[f.deadline_date]
            for a in alerts:
                if a["kind"] == "item":
                    hit = (a["target"].get("minute_id"), a["target"].get("quote")) == (e.minute_id, e.quote)
                else:
                    hit = any(a["value"].lower() in u.lower() for u in e.lead)
                if hit:
                    events.append((a["id"], f"remind:{e.minute_id}:{_h(e.quote)}:{f.deadline_date}:{which}", at, {
                        **_entry_data("reminder", e), "when": which, "deadline_date": f.deadline_date,
                        "status": f.status,
                    }))
        return self.index.record_events(events)

    # -- webhooks ----------------------------------------------------------------------------
    def deliver(self, post: Post = http_post) -> tuple[int, int]:
        """POST every undelivered event to its alert's webhook; (delivered, failed)."""
        sent = failed = 0
        for ev in self.index.undelivered_events(MAX_ATTEMPTS):
            body = json.dumps({"alert_id": ev["alert_id"], "event": ev["key"], "at": ev["at"], **ev["data"]},
                              ensure_ascii=False).encode("utf-8")
            try:
                status = post(ev["webhook"], body)
                error = "" if 200 <= status < 300 else f"HTTP {status}"
            except (urllib.error.URLError, OSError, ValueError) as exc:
                error = f"{type(exc).__name__}: {exc}"
            if error:
                failed += 1
                log.warning("webhook %s of alert %s failed (try %d): %s", ev["webhook"], ev["alert_id"],
                            ev["attempts"] + 1, error)
                self.index.mark_delivery(ev["rid"], delivered_at=None, error=error)
            else:
                sent += 1
                self.index.mark_delivery(ev["rid"], delivered_at=self.clock())
        return sent, failed


def _entry_data(kind: str, e: LedgerEntry) -> dict[str, Any]:
    return {
        "type": kind, "item_id": e.item_id, "minute_id": e.minute_id, "doc_number": e.doc_number, "date": e.date,
        "label": e.label, "kind": e.kind, "lead": list(e.lead), "deadline": e.deadline, "quote": e.quote,
        "start": e.start, "end": e.end,
    }


def _searcher(text: str) -> Callable[[str], bool]:
    """A saved search matches a section holding every keyword of it (as the answerer finds
    keywords: jieba words, English stems), or the text itself when it has none."""
    from minutes_rag.answer.lang import text_matcher
    from minutes_rag.query.keywords import keywords

    kws = keywords(text)

    def match(section: str) -> bool:
        if not kws:
            return text.lower() in section.lower()
        has = text_matcher(section)
        return all(has(k) for k in kws)

    return match


def _topic(text: str) -> Callable[[str], bool]:
    """A followed topic matches as a timeline does: the relevance floor over the section."""
    matcher = TopicMatcher(text)
    return lambda section: matcher.score(section) >= DEFAULT_FLOOR
