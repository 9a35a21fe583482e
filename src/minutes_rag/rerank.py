"""A reranker of our own that reads the minutes' structure: the fused ranking of dense and
BM25 scores whole sections, and a long item that mentions every word of a question once
ranks beside the short one that answers it. Over the first ``TOP`` hits this adds what the
structure says:

* the item's **title** holds the question's telling words (an agenda item is about what its
  title says);
* the **plan named in 《》** in the question is named by the section;
* the question's telling words occur **together**, in one window of a few sentences (the
  coverage of the best window, not of the whole section).

score' = fused score x (1 + TITLE x title share + WINDOW x window share + PLAN x plan named),
x OTHER_BODY for a question about the meeting itself (who attended, recorded ...: the query's
intents) that names the place of one issuing body among the hits (苏州, Suzhou, Portland),
when the hit's minute was issued by a body of another place: every minute's attendance block
or tail reads alike ("记录：X"), and the place is what tells them apart. (A question about
content is told apart by its topic; the answerer weighs the body named for it.)

Then **a heading-only item gives way to its sub-items**: "四、审议《…方案》" says nothing but
its title, which each of its sub-items carries as its own title, so it matches every question
about the item at least as well as the sub-item that answers it. When its title holds telling
words of the question (the item is on topic: with no shared word, as for a question in the
other language outside the glossary, nothing says so) and one of its sub-items is among the
first hits, the best-ranked one takes the heading's place and the heading follows it (the
scores stay in order: each place keeps its score).
Section kinds for metadata intents stay with ``retrieve.kind_weight`` (already in the fused
score). The weights were chosen on the dev sets (docs/evaluation.md, "Ranking"); a
cross-encoder the user configures (``rerank_model``) runs after this one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from minutes_rag.model import Hit
from minutes_rag.query import Query
from minutes_rag.relevance import windows
from minutes_rag.text.lang import HAN_RE
from minutes_rag.text.patterns import body_places, find_dates
from minutes_rag.text.sentences import heading_only
from minutes_rag.text.words import stem

TOP = 10
TITLE = 0.6
WINDOW = 1.2
PLAN = 0.4
OTHER_BODY = 0.5
_WINDOW_SENTENCES = 3
_PLAN = re.compile(r"《([^》]{2,60})》")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*|\d+(?:[.,]\d+)*")


@lru_cache(maxsize=256)
def _reference_words(question: str) -> frozenset[str]:
    """The words of the dates the question names a minute by ("of 30 June 2020": 30, june,
    2020): they tell which minute, not which of its sections."""
    text = " ".join(question[d.start:d.end] for d in find_dates(question)).lower()
    return frozenset({stem(m.group(0)) for m in _EN_WORD.finditer(text)} | ({text} if text else set()))


def _telling(q: Query, hit: Hit) -> list[str]:
    """The question's keywords that tell sections apart: not the issuing body's name, nor
    the date the question names the minute by, nor one-character fragments."""
    body = (hit.meta.body + hit.meta.title).lower()
    refs = _reference_words(q.text)
    zh_hit = (hit.meta.lang or "zh") == "zh"
    if (q.lang == "zh") != zh_hit:
        # a question in the other language: its glossary terms in the section's script, and
        # what both scripts share (numbers, quoted names)
        own = [kw for kw in q.keywords if bool(HAN_RE.search(kw)) == zh_hit or kw.isdigit()]
        kws = own + [t for t in q.cross_terms if bool(HAN_RE.search(t)) == zh_hit and t not in own]
    else:
        kws = list(q.keywords)
    return [kw for kw in kws if len(kw) >= 2 and kw.lower() not in body and not _in_refs(kw.lower(), refs)]


def _in_refs(kw: str, refs: frozenset[str]) -> bool:
    return kw in refs or (bool(HAN_RE.search(kw)) and any(kw in r for r in refs))


def _has(text: str) -> Callable[[str], bool]:
    low = text.lower()
    stems = {stem(m.group(0)) for m in _EN_WORD.finditer(text) if m.group(0)[0].isalpha()}

    def has(kw: str) -> bool:
        if HAN_RE.search(kw) or not kw.isalpha():
            return kw.lower() in low
        return kw in stems

    return has


def _share(kws: Sequence[str], text: str) -> float:
    if not kws:
        return 0.0
    has = _has(text)
    return sum(1 for kw in kws if has(kw)) / len(kws)


def _window_share(kws: Sequence[str], text: str, title: str) -> float:
    best = 0.0
    for window in windows(text, title, _WINDOW_SENTENCES):
        best = max(best, _share(kws, window))
        if best >= 1.0:
            break
    return best


def named_places(q: Query, bodies: Iterable[str]) -> set[str]:
    """The places of these issuing bodies that the question names (苏州 in "苏州市…", or
    through the glossary in "Suzhou …"; Portland as a word)."""
    named: set[str] = set()
    for place in {p for body in bodies for p in body_places(body)}:
        if HAN_RE.search(place):
            if place in q.text or any(place in t for t in q.cross_terms):
                named.add(place)
        elif re.search(rf"\b{re.escape(place)}\b", q.text):
            named.add(place)
    return named


def structure_rerank(q: Query, hits: Sequence[Hit], top: int = TOP) -> list[Hit]:
    """``hits`` with the first ``top`` re-scored by what the minutes' structure says."""
    head, tail = list(hits[:top]), list(hits[top:])
    plans = [m.group(1) for m in _PLAN.finditer(q.text)]
    named = named_places(q, (h.meta.body for h in head)) if q.intents else set()
    rescored: list[Hit] = []
    on_topic: set[str] = set()  # heading-only items whose title holds telling words
    for hit in head:
        kws = _telling(q, hit)
        sec = hit.section
        title = _share(kws, sec.title) if sec.title else 0.0
        window = _window_share(kws, sec.text, sec.title)
        plan = 1.0 if plans and any(p in sec.text or p in sec.title for p in plans) else 0.0
        factor = 1.0 + TITLE * title + WINDOW * window + PLAN * plan
        places = body_places(hit.meta.body)
        if named and places and not named & set(places):
            factor *= OTHER_BODY
        if title > 0:
            on_topic.add(sec.section_id)
        rescored.append(replace(hit, score=hit.score * factor))
    # the factor is >= 1 but for another body's minutes: the hits below the first ``top``
    # stay below them, in their order, unless it is a passage of another body's minute
    ranked = sorted(rescored + tail, key=lambda h: -h.score)
    return sub_items_first(ranked[:top], on_topic) + ranked[top:]


def _is_sub_item(sub: Hit, head: Hit) -> bool:
    p, c = head.section.label_path, sub.section.label_path
    return sub.section.minute_id == head.section.minute_id and len(c) > len(p) and c[: len(p)] == p


def sub_items_first(hits: Sequence[Hit], on_topic: set[str] | None = None) -> list[Hit]:
    """``hits`` (best first) with each heading-only item (of ``on_topic``, default all)
    placed right after its best-ranked sub-item, when one is among them; each place keeps
    its score, so the order and the scores agree."""
    out = list(hits)
    done: set[str] = set()
    i = 0
    while i < len(out):
        head = out[i]
        sec = head.section
        if (sec.kind == "item" and sec.section_id not in done and (on_topic is None or sec.section_id in on_topic)
                and heading_only(sec.text, sec.title)):
            done.add(sec.section_id)
            j = next((j for j in range(i + 1, len(out)) if _is_sub_item(out[j], head)), None)
            if j is not None:
                out.insert(i, out.pop(j))
                continue  # the sub-item now at i may be a heading of its own
        i += 1
    scores = [h.score for h in hits]
    return [h if h.score == s else replace(h, score=s) for h, s in zip(out, scores, strict=True)]
