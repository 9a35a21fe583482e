"""Cut a section's text into quotable spans (sentences, or lines of a list) with offsets.

Quotes must be exact substrings of the minute, so this never edits text: it returns
(start, end) pairs into the string it was given, trimmed of surrounding whitespace.
"""

from __future__ import annotations

import re

# Chinese sentence ends, with any closing quotes/brackets that belong to the sentence.
_ZH_END = re.compile(r"[。！？!?]+[”’」』）)]*")
# English sentence end: . ! ? followed by space and an uppercase letter, digit or quote.
_EN_END = re.compile(r"(?<=[.!?])[\"”')]*\s+(?=[A-Z0-9\"“(*])")
_EN_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|No|Nos|Inc|Co|Corp|Ltd|St|Ave|Jr|Sr|vs|etc|e\.g|i\.e|a\.m|p\.m|[A-Z])\.)$"
)
# A line that starts a new unit even without a sentence end before it: an enumerator
# (一、 （一） 1. (1) Item 38) or a field label (出席： 列席： 记录： Present:).
_LINE_START = re.compile(
    r"(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]\s?|"
    r"[\u4e00-\u9fff]{1,6}[：:]|[A-Z][A-Za-z ]{1,30}:|Item\s+\d+|"
    # a document number or a date on its own line (minute headers and tails)
    r"[〔\[（(]\d{4}[〕\]）)]\s*\d+\s*号|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
)
_CJK_CHAR = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# Soft limit: longer spans (run-on list-like text, OCR'd tables) are cut at wide gaps.
MAX_SPAN = 400


def _trim(text: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if b > a else None


def _hard_breaks(text: str) -> list[int]:
    """Positions where a new unit starts at the beginning of a line."""
    cuts = []
    for m in re.finditer(r"\n[ \t\u3000]*", text):
        pos = m.end()
        if pos < len(text) and _LINE_START.match(text, pos):
            cuts.append(m.start())
        # a blank line between non-Chinese text is a paragraph break (in Chinese text it
        # is often a page-break artefact inside a sentence: "安\n\n全生产")
        elif "\n" in text[m.start() + 1 : pos] or text[m.start() - 1 : m.start()] == "\n":
            before = text[:m.start()].rstrip()[-1:]
            if before and not _CJK_CHAR.match(before) and not _CJK_CHAR.match(text[pos]):
                cuts.append(m.start())
        # a line that ends with a colon ("会议议定以下意见：") closes its unit
        elif m.start() > 0 and text[m.start() - 1] in "：:":
            cuts.append(m.start())
    return cuts


def _sentence_cuts(text: str) -> list[int]:
    cuts = [m.end() for m in _ZH_END.finditer(text)]
    for m in _EN_END.finditer(text):
        if not _EN_ABBREV.search(text[max(0, m.start() - 6) : m.start()]):
            cuts.append(m.start())
    return cuts


_FIELD_LINE = re.compile(r"[ \t\u3000]*[\u4e00-\u9fff]{1,6}[：:][^\n]*\n[ \t\u3000]*\n")


def _field_line_ends(text: str) -> list[int]:
    """A one-line field ("记录：栗涛") followed by a blank line ends at its line end.
    (A multi-line list such as 列席 may run across a page break, so only one-liners.)"""
    cuts = []
    for m in re.finditer(r"(?:^|\n)", text):
        f = _FIELD_LINE.match(text, m.end())
        if f:
            cuts.append(text.index("\n", m.end()))
    return cuts


def heading_end(text: str, title: str) -> int:
    """Where the section's heading (enumerator + ``title``) ends in ``text``, or 0.

    Headings may be broken across lines by page breaks, so the title's characters are
    matched while skipping whitespace in the text."""
    core = re.sub(r"\s+", "", title)
    if not core:
        return 0
    i = 0
    m = re.match(r"\s*(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|Item\s+\d+[.:]?)?\s*", text)
    if m:
        i = m.end()
    j = 0
    while i < len(text) and j < len(core):
        if text[i].isspace():
            i += 1
            continue
        if text[i] != core[j]:
            return 0
        i += 1
        j += 1
    return i if j == len(core) else 0


def split_spans(text: str, title: str = "") -> list[tuple[int, int]]:
    """Sentence/line spans of ``text`` as (start, end), in order, whitespace-trimmed.
    With the section's ``title``, a heading at the start of the text is its own span."""
    head = heading_end(text, title) if title else 0
    cuts = sorted(set([0, len(text), *_sentence_cuts(text), *_hard_breaks(text), *_field_line_ends(text)]))
    if head:
        cuts = sorted({0, head, *[c for c in cuts if c > head]})
    spans: list[tuple[int, int]] = []
    for a, b in zip(cuts, cuts[1:]):
        t = _trim(text, a, b)
        if not t:
            continue
        if t[1] - t[0] > MAX_SPAN:
            spans.extend(_cut_long(text, *t))
        else:
            spans.append(t)
    return spans


def _cut_long(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Cut an over-long span at semicolons or wide whitespace gaps."""
    inner = [a] + [a + m.end() for m in re.finditer(r"[；;]|\s{2,}", text[a:b])] + [b]
    out: list[tuple[int, int]] = []
    start = a
    for i, pos in enumerate(inner[1:], 1):
        if pos - start >= MAX_SPAN // 2 or i == len(inner) - 1:
            t = _trim(text, start, pos)
            if t:
                out.append(t)
            start = pos
    return out or [(a, b)]
