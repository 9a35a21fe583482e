"""An alert's events as an Atom feed (RFC 4287), the newest first."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from minutes_rag.followup.alerts import feed_path

ATOM = "http://www.w3.org/2005/Atom"
FEED_ITEMS = 100  # a reader polls; a hundred items reach back further than any poll interval

_TITLES = {
    "minute": "{doc} {date}: {title}",
    "entry": "{doc} {label} ({date}): {quote}",
    "trail": "{doc} {label} ({date}): {quote}",
    "change": "{action} · {doc} {label}: {quote}",
    "reminder": "{when} {deadline_date} · {doc} {label}: {quote}",
}
_WHEN = {"eve": "Due tomorrow", "due": "Due today"}


def _title(d: dict[str, Any]) -> str:
    fields = {
        "doc": d.get("doc_number") or d.get("minute_id", ""), "date": d.get("date", ""), "title": d.get("title", ""),
        "label": d.get("label", ""), "quote": (d.get("quote") or "")[:80], "action": d.get("action", ""),
        "when": _WHEN.get(d.get("when", ""), ""), "deadline_date": d.get("deadline_date", ""),
    }
    return _TITLES.get(d.get("type", ""), "{doc}: {quote}").format(**fields).strip()


def _rfc3339(at: str) -> str:
    return at if ("+" in at[10:] or at.endswith("Z")) else at + "Z"


def atom_feed(alert: dict[str, Any], events: list[dict[str, Any]], *, base_url: str = "") -> str:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"urn:minutes-rag:alert:{alert['id']}"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"minutes-rag: {alert['kind']} {alert['value']}"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _rfc3339(events[0]["at"] if events else alert["created_at"])
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "minutes-rag"
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=base_url + feed_path(alert["id"]))
    for ev in events[:FEED_ITEMS]:
        d = ev["data"]
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(item, f"{{{ATOM}}}id").text = f"urn:minutes-rag:alert:{alert['id']}:{ev['rid']}"
        ET.SubElement(item, f"{{{ATOM}}}title").text = _title(d)
        ET.SubElement(item, f"{{{ATOM}}}updated").text = _rfc3339(ev["at"])
        ET.SubElement(item, f"{{{ATOM}}}category", term=str(d.get("type", "")))
        ET.SubElement(item, f"{{{ATOM}}}summary").text = d.get("quote") or ""
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")
