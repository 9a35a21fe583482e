"""Which quotes earn a citation: the rules both answerers apply before showing a citation.

A user checks an answer by its citations, so every one must bear on the question:

* a quote must say something (never "。" or a lone marker) and must not be text planted to
  steer an assistant (``answer.injection``);
* a quote is trimmed to whole sentences or clauses (no stray leading "。");
* an item's heading is never cited beside its own sub-item (the sub-item says it all);
* the number of citations follows the question: a question after one fact gets one, unless
  a further quote is nearly as well supported (lexically, and densely: its section's cosine
  is close to the best one's) *and* holds question words the first one lacks; a list
  question ("哪些", "which items") gets one per item, up to the answerer's limit.

The support floor is relative to the best citation (``RELATIVE_FLOOR``), calibrated on the
dev sets (docs/evaluation.md, "Citation discipline").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from minutes_rag.answer.evidence import keyword_weights
from minutes_rag.answer.injection import looks_like_instruction
from minutes_rag.model import Hit
from minutes_rag.query import Query
from minutes_rag.text.lang import HAN
from minutes_rag.text.patterns import ENUMERATOR

# a further citation must score at least this share of the best one ...
RELATIVE_FLOOR = 0.75
# ... and, for a list question, this share (list items are scored alike)
LIST_FLOOR = 0.55
# a heading gives way to a sentence of its item (or sub-item) scoring at least this share of it
HEADING_SWAP = 0.4
# and its section's dense cosine may trail the best cited section's by at most this much
DENSE_MARGIN = 0.03

_WORDISH = re.compile(rf"[\w{HAN}]")
_ENUMERATOR = re.compile(rf"^{ENUMERATOR}\.?", re.I)
_LEAD_PUNCT = "。．.，,、；;：:！!？?）)]】」』”’ \t\n\u3000"
_TRAIL_PUNCT = "，,、；;：:（([【「『“‘ \t\n\u3000"

# what a sentence that records a decision says (原则同意《…》 names the plan as the heading
# does, and is not a mere restatement of it)
_DECISION = re.compile(
    r"同意|通过|批准|决定|明确|议定|要求|由[^。；]{1,20}(?:负责|牵头|会同|根据)|"
    r"\b(?:approved?|adopted?|passed|accepted|referred|awarded|authori[sz]ed|confirmed|placed\s+on\s+file)\b",
    re.I,
)


def records_decision(text: str) -> bool:
    return bool(_DECISION.search(text))




def quotable(text: str) -> bool:
    """Whether a span may be quoted: it says something (more than an enumerator or an item
    number: "ITEM 3.", "（二）"), and it does not address an assistant."""
    bare = _ENUMERATOR.sub("", text.strip(), count=1)
    return len(_WORDISH.findall(bare)) >= 2 and not looks_like_instruction(text)


def trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Span [a, b) of ``text`` without stray punctuation at its edges (a quote that starts
    with the "。" of the sentence before it); closing brackets and stops stay at the end."""
    while a < b and text[a] in _LEAD_PUNCT:
        a += 1
    while b > a and text[b - 1] in _TRAIL_PUNCT:
        b -= 1
    return a, b


def is_parent_label(parent: str, child: str) -> bool:
    """"四" is the heading of "四（一）"; "58" of "58.1"; not of itself."""
    p, c = parent.strip(), child.strip()
    return bool(p) and c != p and c.startswith(p) and not c[len(p)].isdigit()


@dataclass
class Candidate:
    hit_index: int
    a: int
    b: int
    score: float
    heading: bool = False  # the span is the item's heading (or a heading-only item)


def select(
    q: Query,
    hits: Sequence[Hit],
    cands: Sequence[Candidate],
    matcher: Callable[[str], Callable[[str], bool]],
    *,
    max_quotes: int,
    max_sections: int,
) -> list[Candidate]:
    """The candidates that earn a citation, best first (see the module docstring)."""
    kws = list(q.keywords) + [t for t in q.cross_terms if t not in q.keywords]

    def words_of(c: Candidate) -> set[str]:
        has = matcher(hits[c.hit_index].section.text[c.a:c.b])
        return {kw for kw in kws if has(kw)}

    def title_words(hit: Hit) -> set[str]:
        has = matcher(hit.section.title)
        return {kw for kw in kws if has(kw)}

    ranked = _headings_give_way(q, sorted((c for c in cands if c.score > 0), key=lambda c: (-c.score, c.hit_index, c.a)),
                                hits, words_of, title_words)
    if not ranked:
        return []
    many = q.is_list
    floor = (LIST_FLOOR if many else RELATIVE_FLOOR) * ranked[0].score

    chosen: list[Candidate] = []
    covered: set[str] = set()
    seen: set[str] = set()
    sections: list[int] = []
    best_dense = hits[ranked[0].hit_index].dense
    for c in ranked:
        if len(chosen) >= max_quotes or c.score < floor:
            break
        key = re.sub(r"\s+", "", hits[c.hit_index].section.text[c.a:c.b]).lower()
        if key in seen:
            continue  # the same words in another section ("Leonard: Aye.") add nothing
        if chosen:
            dense = hits[c.hit_index].dense
            if best_dense is not None and dense is not None and dense < best_dense - DENSE_MARGIN:
                continue  # its passage is further from the question than the best one's
            # new telling words only: not generic ones, nor those naming the minute itself
            # (its number, its date: they tell which minute, not which sentence)
            weights = keyword_weights(q, sorted(words_of(c) - covered), hits[c.hit_index], for_sentences=True)
            new = {kw for kw, w in weights.items() if w >= 0.5}
            if not many and not new and c.hit_index not in sections:
                continue  # one fact, one citation: it repeats what is cited
        if c.hit_index not in sections:
            if len(sections) >= max_sections:
                continue
            sections.append(c.hit_index)
        seen.add(key)
        covered |= words_of(c)
        chosen.append(c)
    return _drop_headings(chosen, hits)


def _headings_give_way(q: Query, ranked: list[Candidate], hits: Sequence[Hit], words_of: Callable[[Candidate], set[str]],
                       title_words: Callable[[Hit], set[str]]) -> list[Candidate]:
    """A heading (or a sentence restating it) says what was discussed; the best other
    sentence of its item or of a sub-item says what was decided, so it takes the heading's
    place and score when it is at least HEADING_SWAP as well supported and holds the
    question words the heading holds."""
    out = list(ranked)
    for h in ranked:
        if not h.heading or h not in out:
            continue
        sec = hits[h.hit_index].section
        # the heading's telling words (not 审议, 汇报, "report": every heading has them)
        weights = keyword_weights(q, sorted(words_of(h)), hits[h.hit_index])
        need = {kw for kw, w in weights.items() if w >= 0.5}
        # a sentence stands under its own item's title: the title's words are its words
        # too (a sub-item shares its parent's title, so it must hold them itself)
        under = [c for c in out if not c.heading and c.score >= HEADING_SWAP * h.score
                 and need <= words_of(c) | (title_words(hits[c.hit_index]) if c.hit_index == h.hit_index else set())
                 and hits[c.hit_index].section.minute_id == sec.minute_id
                 and (c.hit_index == h.hit_index or is_parent_label(sec.label, hits[c.hit_index].section.label))]
        if under:
            best = under[0]
            best.score = max(best.score, h.score)
            out.remove(h)
    return sorted(out, key=lambda c: (-c.score, c.hit_index, c.a))


def _drop_headings(chosen: list[Candidate], hits: Sequence[Hit]) -> list[Candidate]:
    """No heading beside its own sub-item, nor beside another sentence of its own section."""
    out = []
    for c in chosen:
        if c.heading:
            sec = hits[c.hit_index].section
            if any(o is not c and hits[o.hit_index].section.minute_id == sec.minute_id
                   and (o.hit_index == c.hit_index or is_parent_label(sec.label, hits[o.hit_index].section.label))
                   for o in chosen):
                continue
        out.append(c)
    return out or chosen[:1]
