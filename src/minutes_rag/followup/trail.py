"""What happened next: a later minute's report, decision or assignment on the same matter
for the same unit, linked to the earlier entry as its trail (date order, with the relevance
matcher's score), and a later statement of completion turned into a *suggestion*, never a
status change.

Same matter: the earlier entry's matter (its subject, else its task) read as a topic by the
timelines' relevance measure (``timeline.TopicMatcher``) over the later entry's quote, at
the timelines' calibrated floor. Same unit: a unit both entries name, or the earlier lead
unit named in the later quote (会议听取了市应急局关于…的汇报).

Computed after ingest for the minutes new or changed since the last run (``trail_pending``),
in both directions (a minute ingested late may be the earlier one), and stored; a state
database keeps what it found (``StateIndex.trails``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from minutes_rag.followup.model import TrailLink
from minutes_rag.ledger.model import LedgerEntry
from minutes_rag.text.lang import has_cjk
from minutes_rag.timeline import DEFAULT_FLOOR, TopicMatcher

if TYPE_CHECKING:
    from minutes_rag.index import StateIndex

log = logging.getLogger(__name__)

LINKER_VERSION = "trail-1"  # bump when the linking rules change: every minute is linked again
# the timelines' relevance floor (calibrated there, bench/bench_timeline.py): a later entry
# below it shares a word or two with the matter, not the matter
LINK_FLOOR = DEFAULT_FLOOR
# a later statement that the matter is done (the words and their common kin)
COMPLETED = re.compile(
    r"已完成|已经完成|全面完成|办结|已出台|已印发|已建成|已投入使用|"
    r"\b(?:completed|adopted|finished|fulfilled|has been (?:done|implemented))\b",
    re.IGNORECASE,
)


def _matter(e: LedgerEntry) -> str:
    return (e.subject or e.task).strip()


def _same_unit(earlier: LedgerEntry, later: LedgerEntry) -> bool:
    units = set(earlier.lead)
    return bool(units & set(later.units())) or any(u and u in later.quote for u in earlier.lead)


def suggestion_for(link: TrailLink, zh: bool) -> str:
    where = " ".join(x for x in (link.doc_number or link.minute_id, link.label) if x)
    return f"可能已办结，见{where}" if zh else f"possibly done, see {where}"


def find_links(
    entries: Sequence[LedgerEntry], pending: set[str]
) -> dict[tuple[str, str], list[TrailLink]]:
    """New links among ``entries`` where the earlier or the later one is of a ``pending``
    minute: (earlier entry's minute, quote) -> its later entries, by date."""
    followed = [e for e in entries if e.kind in ("assignment", "decision") and e.lead and not e.generic and e.date
                and _matter(e)]
    later_all = [e for e in entries if e.date]
    out: dict[tuple[str, str], list[TrailLink]] = {}
    for earlier in followed:
        candidates = [
            x for x in later_all
            if x.date > earlier.date and (earlier.minute_id in pending or x.minute_id in pending)
            and x.minute_id != earlier.minute_id and _same_unit(earlier, x)
        ]
        if not candidates:
            continue
        matcher = TopicMatcher(_matter(earlier))
        for x in candidates:
            score = matcher.score(x.quote)
            if score < LINK_FLOOR:
                continue
            out.setdefault((earlier.minute_id, earlier.quote), []).append(TrailLink(
                minute_id=x.minute_id, date=x.date, label=x.label, kind=x.kind, quote=x.quote, start=x.start,
                end=x.end, score=score, doc_number=x.doc_number, completes=bool(COMPLETED.search(x.quote)),
            ))
    return out


def link_trails(index: StateIndex, entries: Sequence[LedgerEntry]) -> int:
    """Link the minutes new or changed since the last run; returns how many entries gained
    links. ``entries``: the whole ledger as people see it (their entries and corrections in)."""
    pending = set(index.trail_pending(LINKER_VERSION))
    if not pending:
        return 0
    found = find_links(entries, pending)
    known = index.trails()
    by_key = {(e.minute_id, e.quote): e for e in entries}
    merged: dict[tuple[str, str], tuple[list[dict[str, Any]], str]] = {}
    for key, links in found.items():
        old = [TrailLink.from_json(d) for d in known.get(key, ([], ""))[0]]
        # links into a minute linked again are replaced, the rest kept
        keep = [t for t in old if t.minute_id not in pending]
        trail = sorted({(t.minute_id, t.start): t for t in [*keep, *links]}.values(), key=lambda t: (t.date, t.start))
        done = [t for t in trail if t.completes]
        zh = has_cjk(by_key[key].quote) if key in by_key else True
        merged[key] = ([{**t.to_json(), "doc_number": t.doc_number, "completes": t.completes} for t in trail],
                       suggestion_for(done[-1], zh) if done else "")
    index.write_trails(merged, sorted(pending), LINKER_VERSION)
    if merged:
        log.info("trail: %d entries linked to later minutes (%d minutes looked at)", len(merged), len(pending))
    return len(merged)
