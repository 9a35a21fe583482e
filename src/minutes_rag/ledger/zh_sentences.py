"""Sentences and clauses of a Chinese minute as the ledger rules read them: the sentence
spans of ``text.sentences`` (the one rule set, which page-break line breaks do not cut; here
with heading lines as units), clause openings after lead-ins like 会议要求，, and the
；-separated parts of a sentence (each may carry its own addressee). Offsets are into the
text handed in."""

from __future__ import annotations

from minutes_rag.text import ledger_vocab as V
from minutes_rag.text.sentences import spans_between

_MARKER = V.ZH_ITEM_MARK
CLAUSE_SEP = "，；：,;:"
_LEAD_INS = (
    "会议要求", "会议强调", "会议指出", "会议认为", "会议明确", "会议提出",
    "同时", "其中", "明确", "此外", "另外", "下一步", "下一阶段", "下阶段", "当前", "今后", "并",
)


# --------------------------------------------------------------------------- sentences


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans in ``text[start:end]`` (``text.sentences``: page-break line breaks do
    not cut), without their leading item markers."""
    trimmed = []
    for a, b in spans_between(text, start, end, headings=True):
        m = _MARKER.match(text, a)
        if m and m.end() <= b:
            a = m.end()
        while a < b and text[a].isspace():
            a += 1
        if b > a:
            trimmed.append((a, b))
    return trimmed


def clause_starts(text: str, a: int, b: int) -> list[int]:
    """Positions in ``text[a:b]`` where a clause opens, after lead-ins like 会议要求，."""
    starts = [a]
    for i in range(a, b):
        if text[i] in CLAUSE_SEP and i + 1 < b:
            starts.append(i + 1)
    out = []
    for p in starts:
        changed = True
        while changed:
            changed = False
            for w in _LEAD_INS:
                if text.startswith(w, p):
                    p += len(w)
                    if p < b and text[p] in "，,：:":
                        p += 1
                    changed = True
        out.append(p)
    return sorted(set(out))


def segments(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A sentence cut at ；(each part may carry its own addressee)."""
    out, s = [], a
    for i in range(a, b):
        if text[i] in "；;":
            out.append((s, i + 1))
            s = i + 1
    if s < b:
        out.append((s, b))
    return out
