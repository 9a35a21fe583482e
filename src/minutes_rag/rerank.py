"""A reranker of our own that reads the minutes' structure: the fused ranking of dense and
BM25 scores whole sections, and a long item that mentions every word of a question once
ranks beside the short one that answers it. Over the first ``TOP`` hits this adds what the
structure says:

* the item's **title** holds the question's telling words (an agenda item is about what its
  title says);
* the **plan named in 《》** in the question is named by the section;
* the question's telling words occur **together**, in one window of a few sentences (the
  coverage of the best window, not of the whole section).

score' = fused score x (1 + TITLE x title share + WINDOW x window share + PLAN x plan named).
Section kinds for metadata intents stay with ``retrieve.kind_weight`` (already in the fused
score). The weights were chosen on the dev sets (docs/evaluation.md, "Ranking"); a
cross-encoder the user configures (``rerank_model``) runs after this one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from minutes_rag.model import Hit
from minutes_rag.query import Query
from minutes_rag.text.lang import HAN_RE
from minutes_rag.text.sentences import split_spans
from minutes_rag.text.words import stem

TOP = 10
TITLE = 0.6
WINDOW = 1.2
PLAN = 0.4
_WINDOW_SENTENCES = 3
_PLAN = re.compile(r"《([^》]{2,60})》")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*|\d+(?:[.,]\d+)*")


def _telling(q: Query, hit: Hit) -> list[str]:
    """The question's keywords that tell sections apart: not the issuing body's name, nor
    one-character fragments."""
    body = (hit.meta.body + hit.meta.title).lower()
    zh_hit = (hit.meta.lang or "zh") == "zh"
    if (q.lang == "zh") != zh_hit:
        # a question in the other language: its glossary terms in the section's script, and
        # what both scripts share (numbers, quoted names)
        own = [kw for kw in q.keywords if bool(HAN_RE.search(kw)) == zh_hit or kw.isdigit()]
        kws = own + [t for t in q.cross_terms if bool(HAN_RE.search(t)) == zh_hit and t not in own]
    else:
        kws = list(q.keywords)
    return [kw for kw in kws if len(kw) >= 2 and kw.lower() not in body]


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
    spans = split_spans(text, title)
    if len(spans) <= _WINDOW_SENTENCES:
        return _share(kws, text)
    best = 0.0
    for i in range(len(spans) - _WINDOW_SENTENCES + 1):
        best = max(best, _share(kws, text[spans[i][0]:spans[i + _WINDOW_SENTENCES - 1][1]]))
        if best >= 1.0:
            break
    return best


def structure_rerank(q: Query, hits: Sequence[Hit], top: int = TOP) -> list[Hit]:
    """``hits`` with the first ``top`` re-scored by what the minutes' structure says."""
    head, tail = list(hits[:top]), list(hits[top:])
    plans = [m.group(1) for m in _PLAN.finditer(q.text)]
    rescored: list[Hit] = []
    for hit in head:
        kws = _telling(q, hit)
        sec = hit.section
        title = _share(kws, sec.title) if sec.title else 0.0
        window = _window_share(kws, sec.text, sec.title)
        plan = 1.0 if plans and any(p in sec.text or p in sec.title for p in plans) else 0.0
        factor = 1.0 + TITLE * title + WINDOW * window + PLAN * plan
        rescored.append(replace(hit, score=hit.score * factor))
    rescored.sort(key=lambda h: -h.score)
    # the factor is >= 1, so the hits below the first ``top`` stay below them, in their order
    return rescored + tail
