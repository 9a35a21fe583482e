"""Where sentences and clauses end: one rule set for titles, long-section parts and quotes.

- ``first_sentence`` / ``shorten``: a heading's or paragraph's first sentence, as a title;
- ``PART_BOUNDARIES``: where a long section may be cut into parts, best first;
- ``split_spans`` / ``heading_end`` / ``heading_only``: a section's text as quotable spans
  (sentences, or lines of a list). Quotes must be exact substrings of the minute, so this never edits text: it
  returns (start, end) pairs into the string it was given, trimmed of surrounding whitespace.
"""

from __future__ import annotations

import itertools
import re

from minutes_rag.text.lang import CJK_TEXT, HAN
from minutes_rag.text.patterns import BLOCK_MARKER, DOC_NUMBER_CORE, ENUMERATOR, LABEL, ZH_DATE

# Sentence-final punctuation: Chinese (full width) and Western.
ZH_STOPS = "。！？；"
EN_STOPS = ".!?;"
# Abbreviations whose dot ends no sentence ("No. 5", "a.m.", "Mr. Adams", "J. Smith").
_ABBREV = re.compile(
    r"(?:\b[A-Za-z]|\b[A-Za-z]\.[A-Za-z]|\b(?:Mr|Mrs|Ms|Dr|St|No|Nos|Inc|Co|Corp|Ltd|Ave|Rd|Jr|Sr|vs|etc|e\.g|i\.e))$"
)


def is_abbreviation(before_dot: str) -> bool:
    """Whether the text before a dot ends with an abbreviation (so the dot ends no sentence)."""
    return _ABBREV.search(before_dot[-10:]) is not None


def shorten(s: str, limit: int) -> str:
    """``s`` on one line, cut to ``limit`` characters at a clause boundary, with "…"."""
    s = re.sub(r"\s+", " ", s).strip()
    if len(s) <= limit:
        return s
    cut = s[:limit]
    # prefer a clause boundary in the second half of the allowance
    k = max(cut.rfind("，"), cut.rfind(","), cut.rfind("、"), cut.rfind(" "))
    if k >= limit // 2:
        cut = cut[:k]
    return cut.rstrip("，,、 ") + "…"


def first_sentence(s: str, limit: int = 60) -> str:
    """The first sentence of the first line of ``s``, shortened to ``limit`` characters."""
    s = s.strip().split("\n", 1)[0]
    for m in re.finditer(rf"[{ZH_STOPS}]|[{EN_STOPS}](?=\s|$)", s):
        if m.group() == "." and is_abbreviation(s[: m.start()]):
            continue  # "a.m." / "No." do not end a sentence
        if m.start() > 0:
            s = s[: m.start()]
            break
    return shorten(s, limit)


# Where a long section may be cut, best first: sentence ends and paragraph breaks, line
# breaks (hard-wrapped text), clause ends and spaces.
PART_BOUNDARIES: tuple[re.Pattern[str], ...] = (
    re.compile(r"[。！？；!?;]+[”’」』）)]*|\.(?=\s)|\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"[，、,：:]|\s"),
)

# Where a sentence of a generated reply (prose, not a minute's layout) ends: the citation
# checker takes the sentence before a [n] marker as its claim.
REPLY_SENTENCE_BREAK = re.compile(r"[。！？!?\n]|(?<=[.;])\s")

# Chinese sentence ends, with any closing quotes/brackets that belong to the sentence.
_ZH_END = re.compile(r"[。！？!?]+[”’」』）)]*")
# English sentence end: . ! ? followed by space and an uppercase letter, digit or quote.
_EN_END = re.compile(r"(?<=[.!?])[\"”')]*\s+(?=[A-Z0-9\"“(*])")
# A line that starts a new unit even without a sentence end before it: an enumerator
# (一、 （一） 1. (1) Item 38) or a field label (出席： 列席： 记录： Present:).
# A document number or a date on its own line (minute headers and tails) too.
_LINE_START = re.compile(rf"{ENUMERATOR}|{LABEL}|{DOC_NUMBER_CORE}|{ZH_DATE.pattern}")
# CJK text and its punctuation (CJK symbols, full-width forms)
_CJK_CHAR = re.compile(f"[{CJK_TEXT}]")
# Soft limit: longer spans (run-on list-like text, OCR'd tables) are cut at wide gaps.
MAX_SPAN = 400


def _trim(text: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if b > a else None


# A heading line: an item marker, a short text with no clause left open, its line end.
_HEADING_LINE = re.compile(rf"[ \t\u3000]*(?:{BLOCK_MARKER.pattern})[^\n]{{0,58}}[^\n，、,]$")


def _hard_breaks(text: str, headings: bool = False) -> list[int]:
    """Positions where a new unit starts at the beginning of a line. With ``headings``, a
    heading line ("二、研究秋粮收购工作") and a line ending in ；are units of their own too
    (text read without its sections' titles: the ledger reads an item with its sub-items)."""
    cuts = []
    line_start = 0
    for m in re.finditer(r"\n[ \t\u3000]*", text):
        pos = m.end()
        line, line_start = text[line_start : m.start()], pos
        if headings and (_HEADING_LINE.fullmatch(line) or line.rstrip()[-1:] in ("；", ";")):
            cuts.append(m.start())
            continue
        if pos < len(text) and _LINE_START.match(text, pos):
            cuts.append(m.start())
        # a blank line between non-Chinese text is a paragraph break (in Chinese text it
        # is often a page-break artefact inside a sentence: "安\n\n全生产")
        elif "\n" in text[m.start() + 1 : pos] or text[m.start() - 1 : m.start()] == "\n":
            before = text[:m.start()].rstrip()[-1:]
            if before and pos < len(text) and not _CJK_CHAR.match(before) and not _CJK_CHAR.match(text[pos]):
                cuts.append(m.start())
        # a line that ends with a colon ("会议议定以下意见：") closes its unit
        elif m.start() > 0 and text[m.start() - 1] in "：:":
            cuts.append(m.start())
    return cuts


def _sentence_cuts(text: str) -> list[int]:
    cuts = [m.end() for m in _ZH_END.finditer(text)]
    for m in _EN_END.finditer(text):
        if not (text[m.start() - 1] == "." and is_abbreviation(text[: m.start() - 1])):
            cuts.append(m.start())
    return cuts


_FIELD_LINE = re.compile(rf"[ \t\u3000]*[{HAN}]{{1,6}}[：:][^\n]*\n[ \t\u3000]*\n")


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
    m = re.match(rf"\s*(?:{ENUMERATOR}[.:]?)?\s*", text)
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


def heading_only(text: str, title: str) -> bool:
    """Whether a section says nothing but its heading ("四、审议《…方案》", its substance in
    the sub-items that carry the same title)."""
    head = heading_end(text, title)
    return bool(head) and all(b <= head for _, b in split_spans(text, title))


def split_spans(text: str, title: str = "", *, headings: bool = False) -> list[tuple[int, int]]:
    """Sentence/line spans of ``text`` as (start, end), in order, whitespace-trimmed.
    With the section's ``title``, a heading at the start of the text is its own span; with
    ``headings``, every heading line is (see ``_hard_breaks``)."""
    head = heading_end(text, title) if title else 0
    cuts = sorted({0, len(text), *_sentence_cuts(text), *_hard_breaks(text, headings), *_field_line_ends(text)})
    if head:
        cuts = sorted({0, head, *[c for c in cuts if c > head]})
    spans: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(cuts):
        t = _trim(text, a, b)
        if not t:
            continue
        if t[1] - t[0] > MAX_SPAN:
            spans.extend(_cut_long(text, *t))
        else:
            spans.append(t)
    return spans


def spans_between(text: str, a: int = 0, b: int | None = None, *, headings: bool = False) -> list[tuple[int, int]]:
    """``split_spans`` of ``text[a:b]``, as offsets into ``text``."""
    b = len(text) if b is None else b
    return [(a + x, a + y) for x, y in split_spans(text[a:b], headings=headings)]


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
