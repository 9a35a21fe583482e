"""The ledger and topic timelines as the Assistant's readers see them, and the routing of a
question the ledger answers.

``Assistant.actions``, ``Assistant.timeline`` and the first step of ``Assistant.ask_stream``
are these. The Assistant hands them its parts (the state index, the retriever, its own
``actions``/``timeline``/``retrieve``) after its reader refresh; this module names no concrete
part, reads no Settings and does not import ``assistant.py``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from minutes_rag.errors import DenseUnavailable
from minutes_rag.model import Answer, Filters, Hit
from minutes_rag.notices import keyword_only

if TYPE_CHECKING:
    from minutes_rag.index import StateIndex
    from minutes_rag.ledger.model import LedgerEntry, LedgerFilter
    from minutes_rag.query import Query
    from minutes_rag.retrieve import Retriever
    from minutes_rag.timeline import Timeline

log = logging.getLogger(__name__)

class LedgerReader:
    """The ledger (督办台账) a reader sees. Minutes whose stored ledger an older extractor made
    are read afresh from their stored sections, in memory, and kept for the index generation
    ``generation()`` names: readers never write (the next ingest or ``doctor --repair`` stores
    them)."""

    def __init__(self, generation: Callable[[], int | None]) -> None:
        self._generation = generation
        self._ledger_cache: dict[tuple[str, int | None], list[LedgerEntry]] = {}  # stale minutes, read afresh

    def actions(self, index: StateIndex, flt: LedgerFilter) -> list[LedgerEntry]:
        """Decisions, assignments and reports passing ``flt``, in date order."""
        from minutes_rag.ledger.extract import EXTRACTOR_VERSION

        if flt.minute:
            flt = replace(flt, minute=index.resolve_minute(flt.minute))
        stale = set(index.ledger_stale(EXTRACTOR_VERSION))
        if flt.minute:
            stale &= {flt.minute}
        rows = [e for e in index.ledger_entries(flt) if e.minute_id not in stale]
        if not stale:
            return rows
        for minute_id in sorted(stale):
            rows += [e for e in self._fresh_ledger(index, minute_id) if flt.matches(e)]
        # the order of StateIndex.ledger_entries: date (undated last), minute, text order
        rows.sort(key=lambda e: (not e.date, e.date, e.minute_id, e.start, e.kind))
        return rows

    def _fresh_ledger(self, index: StateIndex, minute_id: str) -> list[LedgerEntry]:
        from minutes_rag.ledger.extract import extract_ledger

        generation = self._generation()
        key = (minute_id, generation)
        if key not in self._ledger_cache:
            self._ledger_cache = {k: v for k, v in self._ledger_cache.items() if k[1] == generation}
            self._ledger_cache[key] = extract_ledger(index.minute(minute_id), index.sections_of(minute_id))
        return self._ledger_cache[key]


def topic_timeline(
    topic: str, retriever: Retriever, index: StateIndex, *,
    actions: Callable[[LedgerFilter], list[LedgerEntry]],
    date_from: str = "", date_to: str = "", floor: float | None = None,
) -> Timeline:
    """Every minute that discussed ``topic``, in date order, each with a verbatim quote."""
    from minutes_rag.ledger.model import LedgerFilter
    from minutes_rag.timeline import DEFAULT_CANDIDATES, DEFAULT_FLOOR, build_timeline, with_candidates

    wide = with_candidates(retriever, DEFAULT_CANDIDATES)
    notes: list[str] = []

    def retrieve(q: str, f: Filters, k: int) -> list[Hit]:
        if notes:  # the vector index already failed for this timeline
            return wide.retrieve(q, f, k, dense=False)
        try:
            return wide.retrieve(q, f, k)
        except DenseUnavailable as exc:
            log.warning("dense retrieval unavailable for a timeline: %s", exc)
            notes.append(keyword_only(exc))
            return wide.retrieve(q, f, k, dense=False)

    tl = build_timeline(
        topic, retrieve,
        ledger=lambda mid: actions(LedgerFilter(minute=mid)),
        minute_text=lambda mid: index.minute(mid).text,
        date_from=date_from, date_to=date_to, floor=DEFAULT_FLOOR if floor is None else floor,
    )
    return replace(tl, warnings=(*tl.warnings, *notes)) if notes else tl


def routed_answer(
    question: str, query: Query, filters: Filters, t0: float, *,
    actions: Callable[[LedgerFilter], list[LedgerEntry]], timeline: Callable[..., Timeline],
    retrieve: Callable[[str, Filters, int], list[Hit]], index: StateIndex,
) -> Answer | None:
    """The final Answer for a question the ledger answers (tasks of a unit, how a matter was
    decided, a timeline), timed from ``t0``; None when the ledger has nothing for it:
    retrieval answers then."""
    from minutes_rag.ledger_answer import answer_from_ledger

    routed = answer_from_ledger(query, filters, actions=actions, timeline=timeline, retrieve=retrieve, index=index)
    if routed is None:
        return None
    ms = round((time.perf_counter() - t0) * 1000, 2)
    return replace(routed, question=question, rewrite=query.rewrite,
                   timings_ms={"retrieve": ms, "answer": 0.0, "total": ms})
