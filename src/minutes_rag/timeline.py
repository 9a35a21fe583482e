"""Topic timelines: every meeting that discussed a topic, in date order, with a verbatim quote.

The topic is found by the same hybrid retriever as ``ask`` (dense + BM25, fused), asked for
many more candidates than a question needs, over the whole archive (or a date range). A
relevance floor then keeps only sections that are about the topic: the share of the
topic's keywords (weighted as the extractive answerer weighs them, with the glossary's
other-language spellings for a cross-lingual topic) that the section's title and text
contain. Fused ranks cannot be that floor: they are relative, so the 50th candidate of a
topic that two meetings discussed is as "good" as the 50th of one that fifty discussed.
The floor was calibrated on a synthetic archive of 300 minutes (``bench/bench_timeline.py``
prints the sweep).

One entry per minute: its best section (an agenda item before a preamble that merely lists
the items) and, as the quote, the ledger's decision / assignment / report entry of that
section when it has one, otherwise the section's sentence that matches the topic best.
Quotes are slices of the minute's text: ``minute.text[start:end] == quote``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from minutes_rag.model import Filters, Hit
from minutes_rag.text.lang import HAN

if TYPE_CHECKING:  # the ledger is read through a callable; only its entries' shape matters here
    from minutes_rag.ledger.model import LedgerEntry

log = logging.getLogger(__name__)

# Calibrated on `minutes-rag synth --minutes 300 --seed 7` (36 topics; see the bench):
# below ~0.5 sections that share one generic word (建设, 改革, 工作) come in, above ~0.8
# minutes that name the topic in a slightly different form drop out.
DEFAULT_FLOOR = 0.67
# candidates per retriever (dense and lexical): a topic of a large archive may come up in a
# few hundred sections; each candidate costs a row read, not a model call
DEFAULT_CANDIDATES = 600

MAX_WIDENINGS = 8  # at most 8 x DEFAULT_CANDIDATES when nearly every candidate is about the topic
# sections that never carry what a meeting said about a topic
_SKIP_KINDS = frozenset({"attendance", "tail"})
# when a minute names the topic only in its preamble (the list of items) that is still a
# mention, but an agenda item that discusses it is the better entry
_KIND_RANK = {"item": 0, "paragraph": 0, "transcript": 1, "closing": 2, "preamble": 3}
_LEDGER_RANK = {"decision": 0, "assignment": 1, "report": 2}
_CONTENT = re.compile(f"[0-9A-Za-z{HAN}]")  # a span that is more than punctuation
_WORD = re.compile(r"[a-z][a-z'\-]*")
MENTION = "mention"  # the kind of an entry quoted from a sentence, not from the ledger


@dataclass(frozen=True)
class TimelineEntry:
    """One meeting's line of a timeline (the ``timeline --json`` entry contract)."""

    date: str
    minute_id: str
    doc_number: str
    meeting_number: int | None
    label: str
    section_id: str
    title: str
    quote: str
    start: int  # offsets of the quote in the minute's text
    end: int
    kind: str  # decision | assignment | report (from the ledger) | mention (a sentence)
    relevance: float = 0.0  # the floor's measure for this section (not in the JSON)

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date, "minute_id": self.minute_id, "doc_number": self.doc_number,
            "meeting_number": self.meeting_number, "label": self.label, "section_id": self.section_id,
            "title": self.title, "quote": self.quote, "start": self.start, "end": self.end, "kind": self.kind,
        }


@dataclass(frozen=True)
class Timeline:
    topic: str
    entries: tuple[TimelineEntry, ...] = ()
    date_from: str = ""
    date_to: str = ""
    candidates: int = 0  # sections the retriever returned before the floor (for the bench)
    warnings: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The ``timeline --json`` contract: {"topic", "entries": [...]}."""
        return {"topic": self.topic, "entries": [e.to_json() for e in self.entries]}

    def counts(self, by: str = "year") -> list[tuple[str, int]]:
        """How many meetings discussed the topic per year ("2020") or quarter ("2020Q3"),
        in order, with the empty periods between the first and the last filled with 0."""
        if by not in ("year", "quarter"):
            raise ValueError("by must be 'year' or 'quarter'")
        keys: list[tuple[int, int]] = []
        for e in self.entries:
            if len(e.date) >= 7:
                y, m = int(e.date[:4]), int(e.date[5:7])
                keys.append((y, (m - 1) // 3 + 1 if by == "quarter" else 0))
        if not keys:
            return []
        tally: dict[tuple[int, int], int] = {}
        for k in keys:
            tally[k] = tally.get(k, 0) + 1
        (y0, q0), (y1, q1) = min(keys), max(keys)
        out: list[tuple[str, int]] = []
        y, q = y0, q0
        while (y, q) <= (y1, q1):
            out.append((f"{y}Q{q}" if by == "quarter" else str(y), tally.get((y, q), 0)))
            if by == "quarter":
                y, q = (y + 1, 1) if q == 4 else (y, q + 1)
            else:
                y += 1
        return out


# ------------------------------------------------------------------ relevance


class TopicMatcher:
    """The relevance floor's measure: weighted share of the topic's keywords that occur close
    together in a text (within a window a few times the topic's length).

    Close together, because a long sentence that lists a meeting's items (数字化转型 …
    农田建设 … 政府) holds the words of many topics without being about any of them. An
    English topic over Chinese minutes (or the reverse) shares no words with them, so the
    glossary's other-language terms form a second keyword list and the better of the two
    counts.
    """

    def __init__(self, topic: str) -> None:
        from minutes_rag import glossary
        from minutes_rag.answer.lang import keyword_weight
        from minutes_rag.query.keywords import keywords
        from minutes_rag.text.lang import detect_lang

        self.topic = topic
        lang = detect_lang(topic, question=True)
        own = _topic_keywords(topic, keywords(topic, lang)) if lang == "zh" else keywords(topic, lang)
        cross = glossary.cross_terms(topic, lang=lang)
        self.keyword_sets: list[list[tuple[str, float]]] = [
            [(k, keyword_weight(k)) for k in ks] for ks in (own, cross) if ks
        ]
        self.window = max(16, 2 * len(topic)) if lang == "zh" else max(80, 3 * len(topic))

    def score(self, text: str) -> float:
        from minutes_rag.answer.lang import text_matcher

        if not self.keyword_sets or not text:
            return 0.0
        has = text_matcher(text)
        low = text.lower()
        best = 0.0
        for ks in self.keyword_sets:
            total = sum(w for _, w in ks)
            anywhere = 0.0  # found through a glossary variant or a stem: no position to check
            positions: list[tuple[int, int]] = []  # (offset, keyword index)
            for i, (k, w) in enumerate(ks):
                raw = _positions(low, k.lower())
                if raw:
                    positions += [(p, i) for p in raw if not _in_unit_name(low, p, k, self.topic)]
                elif has(k):
                    anywhere += w
            near = 0.0
            positions.sort()
            for j, (p, _) in enumerate(positions):
                inside = {i for q, i in positions[j:] if q < p + self.window}
                near = max(near, sum(ks[i][1] for i in inside))
            best = max(best, (near + anywhere) / total if total else 0.0)
        return best


# Filler a topic may carry that says nothing about it (the words of a question are dropped
# by ``keywords`` already); 政府 and 工作 are kept: "数字政府" is not "数字".
_TOPIC_FILLER = frozenset({"会议", "纪要", "常务会议", "会议纪要", "情况", "问题", "关于", "有关", "相关", "方面", "内容"})
# a unit's name ends so (市园林绿化局, 市卫生健康委): the topic 园林绿化 is not the bureau
_UNIT_TAIL = ("局", "委", "办", "厅")


def _topic_keywords(topic: str, kws: list[str]) -> list[str]:
    """A topic's Chinese keywords: the question keywords plus the words of two or more
    characters that the question stopwords took away (数字政府 -> 数字, 政府)."""
    from minutes_rag.text.words import zh_words as zh_tokens

    out = list(kws)
    for tok in zh_tokens(topic):
        tok = tok.strip()
        if len(tok) >= 2 and tok not in out and tok not in _TOPIC_FILLER and not any(tok in k for k in out):
            out.append(tok)
    # keep the topic's order, so weights and windows read naturally
    return sorted(out, key=lambda k: topic.find(k) if k in topic else len(topic))


def _in_unit_name(low: str, pos: int, kw: str, topic: str) -> bool:
    """True when the keyword at ``pos`` is part of a unit's name and the topic is not one."""
    tail = low[pos + len(kw) : pos + len(kw) + 1]
    return bool(tail) and tail in _UNIT_TAIL and not topic.endswith(_UNIT_TAIL)


def _positions(low: str, kw: str) -> list[int]:
    """Offsets of ``kw`` in ``low``: substrings for Chinese, word starts (stemmed) for English."""
    if not kw:
        return []
    if kw.isascii() and kw.isalpha():
        from minutes_rag.text.words import stem

        return [m.start() for m in _WORD.finditer(low) if stem(m.group(0)) == kw]
    out: list[int] = []
    i = low.find(kw)
    while i >= 0:
        out.append(i)
        i = low.find(kw, i + 1)
    return out


# ------------------------------------------------------------------ building

LedgerLookup = Callable[[str], Sequence["LedgerEntry"]]  # minute_id -> that minute's entries


@dataclass(frozen=True)
class _Scored:
    """A candidate section with the floor's measure over its sentences."""

    hit: Hit
    rank: int
    relevance: float  # the best sentence (or the heading) of the section
    body: float  # the best sentence below the heading
    quote: tuple[int, int]  # offsets in the section's text of the sentence to quote


def _score_section(hit: Hit, matcher: TopicMatcher) -> tuple[float, float, tuple[int, int]]:
    """The topic has to be named within one sentence (or the heading): words of it scattered
    over a section (a department in one sentence, 保障 in another) are not the topic."""
    from minutes_rag.relevance import sentence_spans
    from minutes_rag.text.sentences import heading_end

    sec = hit.section
    spans = [(a, b) for a, b in sentence_spans(sec.text, sec.title) if _CONTENT.search(sec.text, a, b)]
    if not spans:
        return 0.0, 0.0, (0, len(sec.text))
    head = heading_end(sec.text, sec.title)
    title_score = matcher.score(sec.title) if sec.title else 0.0
    body = [((matcher.score(sec.text[a:b])), -i, (a, b)) for i, (a, b) in enumerate(spans) if not (head and b <= head)]
    heading = [((matcher.score(sec.text[a:b])), -i, (a, b)) for i, (a, b) in enumerate(spans) if head and b <= head]
    best_body = max(body) if body else None
    best_head = max(heading) if heading else None
    body_score = best_body[0] if best_body else 0.0
    relevance = max(body_score, best_head[0] if best_head else 0.0, title_score)
    if best_body and best_body[0] >= relevance:
        return relevance, body_score, best_body[2]
    if best_head:
        return relevance, body_score, best_head[2]
    return relevance, body_score, best_body[2] if best_body else spans[0]


def _entry_for(found: _Scored, entries: Sequence[LedgerEntry], matcher: TopicMatcher, text: str) -> TimelineEntry:
    hit = found.hit
    sec = hit.section
    inside = [e for e in entries if sec.start <= e.start and e.end <= sec.end and e.kind in _LEDGER_RANK]
    meta = hit.meta
    if inside:
        # the entry that names the topic, then decisions before assignments before reports
        best = min(inside, key=lambda e: (-matcher.score(e.quote), _LEDGER_RANK[e.kind], e.start))
        start, end, kind = best.start, best.end, best.kind
    else:
        a, b = found.quote
        start, end, kind = sec.start + a, sec.start + b, MENTION
    quote = text[start:end] if text else sec.text[start - sec.start : end - sec.start]
    return TimelineEntry(
        date=meta.date, minute_id=sec.minute_id, doc_number=meta.doc_number, meeting_number=meta.meeting_number,
        label=sec.label, section_id=sec.section_id, title=sec.title, quote=quote, start=start, end=end, kind=kind,
        relevance=round(found.relevance, 4),
    )


def build_timeline(
    topic: str,
    retrieve: Callable[[str, Filters, int], list[Hit]],
    *,
    ledger: LedgerLookup | None = None,
    minute_text: Callable[[str], str] | None = None,
    date_from: str = "",
    date_to: str = "",
    floor: float = DEFAULT_FLOOR,
    candidates: int = DEFAULT_CANDIDATES,
) -> Timeline:
    """The timeline of ``topic``.

    ``retrieve(query, filters, k)`` is the hybrid retriever, asked for ``candidates``;
    ``ledger(minute_id)`` gives a minute's ledger entries; ``minute_text(minute_id)`` the
    minute's text, against which quotes are cut (a merged long item's text is already the
    minute's slice, so the section text is used when it is not given).
    """
    topic = (topic or "").strip()
    if not topic:
        return Timeline(topic="", date_from=date_from, date_to=date_to)
    matcher = TopicMatcher(topic)
    filters = Filters(date_from=date_from, date_to=date_to)
    n = candidates
    while True:
        hits = retrieve(topic, filters, n)
        per_minute: dict[str, list[_Scored]] = {}
        passed = 0
        for rank, hit in enumerate(hits):
            if hit.section.kind in _SKIP_KINDS:
                continue
            relevance, body, quote = _score_section(hit, matcher)
            if relevance < floor:
                continue
            passed += 1
            per_minute.setdefault(hit.section.minute_id, []).append(_Scored(hit, rank, relevance, body, quote))
        # most candidates about the topic: a large archive may hold more of them further down
        if passed * 2 < n or len(hits) < n // 2 or n >= candidates * MAX_WIDENINGS:
            break
        log.info("timeline %r: %d of %d candidates pass, asking for %d", topic, passed, n, 2 * n)
        n *= 2
    out: list[TimelineEntry] = []
    for minute_id, found in per_minute.items():
        entries = list(ledger(minute_id)) if ledger is not None else []
        text = minute_text(minute_id) if minute_text is not None else ""

        def key(f: _Scored, entries: list = entries) -> tuple:
            sec = f.hit.section
            has_entry = any(sec.start <= e.start < sec.end and e.kind in _LEDGER_RANK for e in entries)
            # an agenda item before the preamble that lists it; what was decided or assigned
            # there; a sentence that discusses the topic before a heading that only names it
            return (_KIND_RANK.get(sec.kind, 1), not has_entry, f.body < floor, -f.relevance, f.rank)

        out.append(_entry_for(min(found, key=key), entries, matcher, text))
    out.sort(key=lambda e: (e.date or "9999", e.minute_id, e.start))
    out = one_per_passage(out)  # the same minute filed twice is one meeting
    log.debug("timeline %r: %d candidates, %d minutes above the floor %.2f", topic, len(hits), len(out), floor)
    return Timeline(topic=topic, entries=tuple(out), date_from=date_from, date_to=date_to, candidates=len(hits))


_P = TypeVar("_P", "TimelineEntry", "LedgerEntry")


def one_per_passage(items: Sequence[_P]) -> list[_P]:
    """The first of the entries that quote the same passage of the same minute: a minute
    filed twice (another folder, another format) has two ids but is one meeting, as
    retrieval's dedupe of identical passages already treats it."""
    seen: set[tuple[str, str, str, str]] = set()
    out: list[_P] = []
    for e in items:
        same = (e.date, e.doc_number, e.label, "".join(e.quote.split()))
        if same not in seen:
            seen.add(same)
            out.append(e)
    return out


def with_candidates(retriever: Any, candidates: int) -> Any:
    """A Retriever like ``retriever`` that fetches ``candidates`` per retriever."""
    from minutes_rag.retrieve import Retriever

    cfg = replace(retriever.config, candidates=candidates, k=candidates)
    # no cross-encoder: reranking hundreds of sections is slow, and the floor, not the order, decides
    return Retriever(retriever.index, retriever.store, retriever.embedder, cfg, None)
