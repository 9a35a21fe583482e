"""Chinese agenda items: 一、 > （一）/(一) > 1./1、/1． > （1）/(1) > ① at the start of a line.

The top level is the highest-ranked marker type that occurs as a run 1, 2, ... (so a
minute numbered 1. 2. has those as top level). Deeper markers nest dynamically (a （1）
directly under 一、 is its second level); at most three levels are kept, deeper ones stay in
their parent's text. A marker whose number does not continue its level (next = previous +
1..3, a first child = 1 or 2) is ordinary text, which keeps stray "1." lines and quoted
numbers out. Label paths: ("四",), ("四", "（一）"), ("四", "（一）", "1").

Titles: a top-level item's title is its heading without the marker (up to the first
sentence end, at most 60 characters). A sub-item's title is its top-level item's title,
because sub-items rarely have headings of their own and "四（一） 审议《…方案》" is what a
citation card needs to show. The top-level item's own section is its heading plus any text
before its first sub-item.
"""

from __future__ import annotations

from dataclasses import dataclass

from minutes_rag.split.around import ZH_LABELS, after_agenda
from minutes_rag.split.spans import Line, Span
from minutes_rag.text.patterns import ZH_ITEM_MARKERS, ItemMarker, zh_item_marker
from minutes_rag.text.sentences import first_sentence

_MAX_DEPTH = 3
_MAX_STEP = 3


def _top_rank(marks: list[ItemMarker]) -> int | None:
    """The highest-ranked marker type that runs 1 -> 2 somewhere (a real list, not a
    stray marker)."""
    for rank in range(len(ZH_ITEM_MARKERS)):
        seen_one = False
        for mk in marks:
            if mk.rank != rank:
                continue
            if mk.number == 1:
                seen_one = True
            elif mk.number == 2 and seen_one:
                return rank
    return None


@dataclass
class _Item:
    line: Line
    label_path: tuple[str, ...]
    depth: int
    body_start: int  # offset just after the marker


def _zh_items(lines: list[Line]) -> list[_Item]:
    marks = [(i, zh_item_marker(ln.text)) for i, ln in enumerate(lines)]
    top = _top_rank([m for _, m in marks if m])
    if top is None:
        return []
    items: list[_Item] = []
    stack: list[tuple[int, int, str]] = []  # (rank, number, label element)
    for i, mk in marks:
        if mk is None:
            continue
        rank, num = mk.rank, mk.number
        if rank < top or (not stack and rank != top):
            continue
        parents = [e for e in stack if e[0] < rank]
        if len(parents) >= _MAX_DEPTH:
            continue
        prev = next((e for e in stack if e[0] == rank), None)  # the previous sibling
        if prev is not None:
            # the next number, a small gap, or numbering restarted at the top level
            ok = prev[1] < num <= prev[1] + _MAX_STEP or (rank == top and num == 1 and prev[1] >= 2)
        else:
            ok = 1 <= num <= 2
        if not ok:
            continue
        stack = [*parents, (rank, num, mk.label)]
        ln = lines[i]
        items.append(_Item(ln, tuple(e[2] for e in stack), len(stack), ln.start + mk.length))
    return items


def _heading_title(text: str, it: _Item, end: int) -> str:
    head = text[it.body_start : min(it.line.end, end)].strip()
    return first_sentence(head, 60)


def zh_spans(text: str, lines: list[Line]) -> list[Span] | None:
    """Preamble, items and the parts after them; None when the minute has no item list."""
    items = _zh_items(lines)
    if not items:
        return None
    spans: list[Span] = []
    first = items[0].line.start
    if text[:first].strip():
        spans.append(Span("preamble", ZH_LABELS["preamble"], first_sentence(text[:first]), 0, first))
    last_idx = lines.index(items[-1].line)
    agenda_end, after = after_agenda(text, lines, last_idx, None, len(text), True)
    top_title = ""
    for k, it in enumerate(items):
        end = items[k + 1].line.start if k + 1 < len(items) else agenda_end
        if it.depth == 1:
            top_title = _heading_title(text, it, end)
        spans.append(Span("item", it.label_path, top_title, it.line.start, end))
    return spans + after
