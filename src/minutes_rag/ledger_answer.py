"""Answers read from the ledger or a timeline: one cited line per entry, in date order.

Every line's citation is the entry itself (its verbatim quote and offsets), so the answer
uses the normal Answer/Citation model: ``ask --json`` and the UI's source viewer show and
open it like any other citation.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from minutes_rag.model import Answer, Citation, Filters, Hit, MinuteMeta, Section

if TYPE_CHECKING:
    from minutes_rag.index import StateIndex
    from minutes_rag.ledger.model import LedgerEntry, LedgerFilter
    from minutes_rag.query import LedgerAsk, Query
    from minutes_rag.timeline import Timeline

log = logging.getLogger(__name__)

MAX_LINES = 40  # a longer list is cut with a note; the ledger tab / `actions` show them all

_VERB_EN = {"referred": "Referred", "adopted": "Adopted", "passed": "Passed", "continued": "Continued",
            "accepted": "Accepted", "approved": "Approved", "failed": "Failed", "tabled": "Tabled"}


def _where(date: str, doc: str, meeting: int | None, label: str, lang: str) -> str:
    parts = [p for p in (date, doc) if p]
    if meeting is not None:
        parts.append(f"第{meeting}次会议" if lang == "zh" else f"meeting {meeting}")
    if label:
        parts.append(label)
    return " ".join(parts)


def _one_line(quote: str) -> str:
    return " ".join(quote.split())


def _header(intent: LedgerAsk, n: int, lang: str) -> str:
    f = intent
    year = f.date_from[:4] if f.date_from and f.date_to and f.date_from[:4] == f.date_to[:4] else ""
    since = f.date_from[:4] if f.date_from and not f.date_to else ""
    if lang == "zh":
        when = f"{year}年" if year else (f"{since}年以来" if since else "")
        if intent.kind == "assignments":
            return f"{when}{f.unit}承担的任务（共{n}项）："
        if intent.kind == "decision":
            return f"{when}会议对{intent.topic}的决定（共{n}项）："
        if intent.kind == "disposition":
            return f"{when}{intent.outcome}（共{n}项）："
        return f"{when}历次会议对{intent.topic}的部署（共{n}次会议，按日期排列）："
    when = f" in {year}" if year else (f" since {since}" if since else "")
    if intent.kind == "assignments":
        return f"Tasks given to {f.unit}{when} ({n}):"
    if intent.kind == "decision":
        return f"Decisions on {intent.topic}{when} ({n}):"
    if intent.kind == "disposition":
        target = f" to {f.keyword}" if f.keyword else ""
        return f"{_VERB_EN.get(intent.outcome, intent.outcome.title())}{target}{when} ({n}):"
    return f"{intent.topic}: {n} meeting{'' if n == 1 else 's'}{when}, in date order:"


def _role(intent: LedgerAsk, e: LedgerEntry, lang: str) -> str:
    """For a unit's tasks: whether it leads or assists (the filter matches both)."""
    dept = intent.unit.lower()
    if intent.kind != "assignments" or not dept:
        return ""
    if any(dept in u.lower() for u in e.lead):
        return ""
    if any(dept in u.lower() for u in e.partners):
        return "（配合）" if lang == "zh" else " (assisting)"
    return ""


def _hits(section_ids: Sequence[str], sections: Mapping[str, Section], metas: Mapping[str, MinuteMeta]) -> tuple[Hit, ...]:
    out: list[Hit] = []
    seen: set[str] = set()
    for sid in section_ids:
        sec = sections.get(sid)
        if sec is None or sid in seen or sec.minute_id not in metas:
            continue
        seen.add(sid)
        out.append(Hit(section=sec, score=1.0, meta=metas[sec.minute_id]))
    return tuple(out)


def _answer(question: str, header: str, rows: list[tuple[Citation, str]], more: int, mode: str, lang: str,
            hits: tuple[Hit, ...]) -> Answer:
    lines = [header]
    for i, (c, text) in enumerate(rows, 1):
        lines.append(f"{i}. {_where(c.date, c.doc_number, c.meeting_number, c.label, lang)}：{text} [{c.n}]"
                     if lang == "zh" else
                     f"{i}. {_where(c.date, c.doc_number, c.meeting_number, c.label, lang)}: {text} [{c.n}]")
    if more:
        lines.append(f"（另有{more}项未列出，请在“督办台账”中查看全部。）" if lang == "zh"
                     else f"({more} more not listed: see the Ledger tab for all of them.)")
    return Answer(question=question, text="\n".join(lines), citations=tuple(c for c, _ in rows), mode=mode,
                  hits=hits, found=True)


def ledger_answer(
    question: str, intent: LedgerAsk, entries: Sequence[LedgerEntry], sections: Mapping[str, Section],
    metas: Mapping[str, MinuteMeta], lang: str,
) -> Answer:
    """An answer listing ``entries`` (already filtered), oldest first, each line cited."""
    from minutes_rag.timeline import one_per_passage

    ordered = one_per_passage(sorted(entries, key=lambda e: (e.date or "9999", e.minute_id, e.start)))
    shown = ordered[:MAX_LINES]
    rows: list[tuple[Citation, str]] = []
    for n, e in enumerate(shown, 1):
        sec = sections.get(e.section_id)
        cite = Citation(n=n, minute_id=e.minute_id, doc_number=e.doc_number, meeting_number=e.meeting_number,
                        date=e.date, label=e.label, title=sec.title if sec else "", quote=e.quote, start=e.start,
                        end=e.end, section_id=e.section_id)
        rows.append((cite, _one_line(e.quote) + _role(intent, e, lang)))
    log.debug("ledger answer %s: %d entries", intent.kind, len(ordered))
    return _answer(question, _header(intent, len(ordered), lang), rows, len(ordered) - len(shown), "ledger", lang,
                   _hits([e.section_id for e in shown], sections, metas))


def timeline_answer(
    question: str, intent: LedgerAsk, timeline: Timeline, sections: Mapping[str, Section],
    metas: Mapping[str, MinuteMeta], lang: str,
) -> Answer:
    """One cited line per meeting, in date order."""
    shown = timeline.entries[:MAX_LINES]
    rows: list[tuple[Citation, str]] = []
    for n, e in enumerate(shown, 1):
        cite = Citation(n=n, minute_id=e.minute_id, doc_number=e.doc_number, meeting_number=e.meeting_number,
                        date=e.date, label=e.label, title=e.title, quote=e.quote, start=e.start, end=e.end,
                        section_id=e.section_id)
        rows.append((cite, _one_line(e.quote)))
    return _answer(question, _header(intent, len(timeline.entries), lang), rows, len(timeline.entries) - len(shown),
                   "timeline", lang, _hits([e.section_id for e in shown], sections, metas))


def _filter(ask: LedgerAsk, filters: Filters) -> LedgerFilter:
    """The ledger filter for what the question asks, within the page's / CLI's filters."""
    from minutes_rag.ledger.model import LedgerFilter

    kind = {"assignments": "assignment", "decision": "decision", "disposition": "decision"}.get(ask.kind, "")
    return LedgerFilter(minute=filters.minute_id, dept=ask.unit, kind=kind, keyword=ask.keyword,
                        date_from=max(ask.date_from, filters.date_from), date_to=min(
                            x for x in (ask.date_to, filters.date_to, "9999-12-31") if x))


def answer_from_ledger(
    query: Query, filters: Filters, *, actions: Callable[[LedgerFilter], list[LedgerEntry]],
    timeline: Callable[..., Timeline], retrieve: Callable[[str, Filters, int], list[Hit]], index: StateIndex,
) -> Answer | None:
    """The answer to ``query.ledger`` read from the ledger (or a timeline), one cited line
    per entry; None when the ledger has nothing for it (retrieval answers then)."""
    ask = query.ledger
    if ask is None:
        return None
    flt = _filter(ask, filters)
    if flt.date_to == "9999-12-31":
        flt = replace(flt, date_to="")
    lang = "en" if query.lang == "en" else "zh"
    question = query.asked or query.text
    if ask.kind == "timeline":
        tl = timeline(ask.topic, date_from=flt.date_from, date_to=flt.date_to)
        if not tl.entries:
            return None
        return timeline_answer(question, ask, tl, index.sections_by_id([e.section_id for e in tl.entries]),
                               index.metas([e.minute_id for e in tl.entries]), lang)
    rows = actions(flt)
    if ask.kind == "disposition":
        rows = [e for e in rows if ask.outcome[:5] in e.outcome.lower()]
    elif ask.kind == "decision":
        rows = _decisions_about(ask.topic, rows, retrieve(ask.topic, filters, 8))
    if not rows:
        return None
    return ledger_answer(question, ask, rows, index.sections_by_id([e.section_id for e in rows]),
                         index.metas([e.minute_id for e in rows]), lang)


def _decisions_about(topic: str, decisions: list[LedgerEntry], hits: list[Hit]) -> list[LedgerEntry]:
    """The decision entries inside the sections retrieval found for ``topic`` that name it."""
    from minutes_rag.timeline import TopicMatcher

    spans = [(h.section.minute_id, h.section.start, h.section.end) for h in hits]
    matcher = TopicMatcher(topic)
    scored = [(matcher.score(f"{e.subject} {e.quote}"), e) for e in decisions
              if any(mid == e.minute_id and a <= e.start < b for mid, a, b in spans)]
    best = max((sc for sc, _ in scored), default=0.0)
    # the matter asked about, not its namesakes of other cities (东湖市… vs 枫林市… 措施)
    return [e for sc, e in scored if sc >= 0.5 and sc >= best - 0.1]
