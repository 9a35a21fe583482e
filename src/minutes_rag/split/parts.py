"""Long sections cut into parts of similar size at the best boundaries (``text.sentences``)."""

from __future__ import annotations

import math

from minutes_rag.split.spans import trim
from minutes_rag.text.sentences import PART_BOUNDARIES


def part_bounds(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """(start, end) of the parts of text[start:end]: one if it fits in ``max_chars``, else
    n parts cut at sentence ends (else line breaks, else clause ends or spaces, else
    anywhere) as near as possible to equal sizes."""
    start, end = trim(text, start, end)
    if end - start <= max_chars:
        return [(start, end)] if end > start else []
    n = math.ceil((end - start) / max_chars)
    target = (end - start) / n
    out = []
    cur = start
    while end - cur > max_chars:
        lo, hi = cur + int(target * 0.5), cur + max_chars
        cut = None
        for rx in PART_BOUNDARIES:
            ends = [m.end() for m in rx.finditer(text, lo, hi)]
            if ends:
                cut = min(ends, key=lambda x: abs(x - (cur + target)))
                break
        if cut is None:
            cut = hi
        s, e = trim(text, cur, cut)
        if e > s:
            out.append((s, e))
        cur = cut
    s, e = trim(text, cur, end)
    if e > s:
        out.append((s, e))
    return out
