"""Sentences and clauses of a Chinese minute as the ledger rules read them: sentence spans
that survive page-break line breaks, clause openings after lead-ins like 会议要求，, and the
；-separated parts of a sentence (each may carry its own addressee). Offsets are into the
text handed in."""

from __future__ import annotations

from minutes_rag.text import ledger_vocab as V

_MARKER = V.ZH_ITEM_MARK
_SENT_END = "。！？"
CLAUSE_SEP = "，；：,;:"
_LEAD_INS = (
    "会议要求", "会议强调", "会议指出", "会议认为", "会议明确", "会议提出",
    "同时", "其中", "明确", "此外", "另外", "下一步", "下一阶段", "下阶段", "当前", "今后", "并",
)


# --------------------------------------------------------------------------- sentences


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans in ``text[start:end]``: cut after 。！？ and at line breaks that end a
    heading or precede an item marker (other line breaks are page-break artefacts)."""
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    s = start
    i = start
    while i < end:
        ch = text[i]
        if ch in _SENT_END:
            j = i + 1
            while j < end and text[j] in "”’\"）)":
                j += 1
            out.append((s, j))
            s = i = j
            continue
        if ch == "\n":
            prev = text[s:i].strip()
            nxt = text[i:end].lstrip()
            if not prev or _MARKER.match(nxt) or (prev and prev[-1] in "：:；;") or (len(prev) <= 60 and "\n" not in prev and _is_heading(prev)):
                if prev:
                    out.append((s, i))
                s = i + 1
        i += 1
    if text[s:end].strip():
        out.append((s, end))
    # trim whitespace and leading item markers
    trimmed = []
    for a, b in out:
        seg = text[a:b]
        m = _MARKER.match(seg)
        if m:
            a += m.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            trimmed.append((a, b))
    return trimmed


def _is_heading(line: str) -> bool:
    return bool(_MARKER.match(line)) and line[-1] not in "，、"


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
