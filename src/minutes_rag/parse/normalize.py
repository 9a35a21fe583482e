"""Text normalisation and page-break repair.

Every format reader hands its plain text to :func:`normalize_text` once; the splitter's
offsets point into the result, so nothing may change the text after this step.

What it does, in order:

1. unify line endings (``\\r\\n``, ``\\r``, U+2028/2029; a form feed is a page break and
   becomes a blank line), drop BOM / zero-width characters / soft hyphens, turn no-break
   spaces into spaces, strip each line at both ends;
2. remove running page headers and footers: whole lines such as ``Page 3 of 18``,
   ``3 of 18``, ``January 12, 2011  2 of 18``, ``- 3 -``, ``第 3 页 共 18 页``, and the same
   ``<date> N of M`` / ``N of M`` markers glued to the start or end of a text line (PDF
   extraction often runs the header into the first line of the page);
3. collapse runs of blank lines into one blank line;
4. repair page-break artefacts: a heading or sentence that a page break cut in two shows
   up as two blocks separated by a blank line. The blocks are joined when the first one
   clearly does not end there (see :func:`_should_join`): it ends without terminal
   punctuation and either ends with a comma-type mark, or is a long body paragraph (or
   its last hard-wrapped line is about as wide as the document's lines), or it is a
   numbered heading followed by a short non-sentence fragment and then the next numbered
   item. Short standalone lines (titles, document numbers, dates, ``记录：…``, ``（此件
   公开发布）``) are never joined, and nothing is joined onto a block that starts with an
   item marker or a label such as ``出席：``.

CJK text is joined without a space, Latin text with one space; a hard-wrapped block (one
that already has line breaks) is continued with a line break, which keeps its layout.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from minutes_rag.text.lang import HAN, is_cjk
from minutes_rag.text.patterns import BLOCK_MARKER, DOC_NUMBER_CORE, EN_MONTH, LABEL
from minutes_rag.text.words import EN_FUNCTION_WORDS

__all__ = ["NormalizedPages", "normalize_pages", "normalize_text"]

_DROP = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad\u180e\ufffe"), None)
_SPACES = {ord(c): " " for c in "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008"}

# ---------------------------------------------------------------- running headers

_MONTH = rf"(?i:{EN_MONTH})"
_DATE = rf"(?:{_MONTH}\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}})"
_PAGE_OF = r"(?:(?P<page>Page|PAGE|Pg\.?|p\.)\s*)?(?P<n>\d{1,4})\s+(?:of|OF)\s+(?P<m>\d{1,4})"
# "<date>  2 of 18" / "Page 2 of 18" / "2 of 18" at the start of a line, followed by text
_HEAD_RE = re.compile(rf"^(?P<date>{_DATE}\s+)?{_PAGE_OF}(?=\s|$)\s*")
# the same at the end of a line
_TAIL_RE = re.compile(rf"(?:^|\s+)(?P<date>{_DATE}\s+)?{_PAGE_OF}$")
# lines that are nothing but a page marker
_PAGE_LINE_RES = [
    re.compile(rf"^(?:{_DATE}\s+)?(?:Page|PAGE|Pg\.?)\s*\d{{1,4}}(?:\s*(?:of|OF|/)\s*\d{{1,4}})?(?:\s+{_DATE})?$"),
    re.compile(r"^\d{1,4}\s+(?:of|OF)\s+\d{1,4}$"),
    re.compile(r"^[-－—–~～]\s*\d{1,4}\s*[-－—–~～]$"),
    re.compile(r"^第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^(?:共\s*\d{1,4}\s*页\s*[,，]?\s*)?第\s*\d{1,4}\s*页$"),
]


def _recurring_totals(lines: list[str]) -> set[str]:
    """Totals M of "N of M" markers that occur at a line edge with at least two different N:
    a running footer, not a phrase like "3 of 5 members"."""
    seen: dict[str, set[str]] = {}
    for line in lines:
        for rx in (_HEAD_RE, _TAIL_RE):
            m = rx.search(line)
            if m and int(m.group("n")) <= int(m.group("m")):
                seen.setdefault(m.group("m"), set()).add(m.group("n"))
    return {total for total, ns in seen.items() if len(ns) >= 2}


def _marker_ok(m: re.Match[str], totals: set[str]) -> bool:
    if int(m.group("n")) > int(m.group("m")) or int(m.group("n")) == 0:
        return False
    return bool(m.group("date") or m.group("page") or m.group("m") in totals)


# the page number inside a page marker: after Page/第, between dashes, or before "of"
_MARKER_NUMBER = re.compile(r"(?:Page|PAGE|Pg\.?|第|^[-－—–~～])\s*(\d{1,4})|^(\d{1,4})\s+(?:of|OF)")


def _marker_number(line: str) -> str:
    m = _MARKER_NUMBER.search(line)
    return (m.group(1) or m.group(2)) if m else ""


def _strip_page_marker(line: str, totals: set[str]) -> tuple[str, str]:
    """The line without a running page marker ("" when it was nothing else), and the page
    number the marker printed ("" when there was none)."""
    if any(rx.match(line) for rx in _PAGE_LINE_RES):
        return "", _marker_number(line)  # the whole line was only a page marker
    number = ""
    m = _HEAD_RE.match(line)
    if m and _marker_ok(m, totals):
        number = m.group("n")
        line = line[m.end():].strip()
    m = _TAIL_RE.search(line) if line else None
    if m and _marker_ok(m, totals):
        number = number or m.group("n")
        line = line[: m.start()].rstrip()
    return line, number


def _remove_page_markers(lines: list[str]) -> list[str]:
    totals = _recurring_totals(lines)
    out: list[str] = []
    for line in lines:
        kept, _ = _strip_page_marker(line, totals)
        if kept or not line:
            out.append(kept)
    return out


# ---------------------------------------------------------------- page-break repair

_TERMINAL = set("。！？；：…”’」』）)】〕］]》〉>!?;:.．")
_COMMA_END = set("，、,（(《“‘「『【〔［[—–-－·&/")
_INNER_STOP = re.compile(r"[。！？；.!?;]")
_INNER_PUNCT = re.compile(r"[，。；、,;]")

# item markers and labels that start a new block (never a continuation)
_LABEL_RE = re.compile("^" + LABEL)
_STANDALONE_RES = [
    re.compile(rf"^[{HAN}]{{0,12}}\s*{DOC_NUMBER_CORE}$"),  # 〔2020〕21号
    re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?.{0,6}$"),  # 2020年7月9日(印发)
    re.compile(r"^[（(]此件.{0,16}[）)]$"),
    re.compile(r"^.{0,30}(?:整理|印发|制发)$"),
    re.compile(r"^第\s*[一二三四五六七八九十百零〇\d]{1,6}\s*[次期号]$"),
    re.compile(rf"^{_DATE}$"),
]


def _is_wide(ch: str) -> bool:
    return is_cjk(ch) or unicodedata.east_asian_width(ch) in "WF"


def _width(s: str) -> float:
    """Display width: a CJK or full-width character is 1, anything else 1/2 (so a line of
    Chinese and a line of digits/Latin compare on the page's scale)."""
    return sum(1.0 if _is_wide(c) else 0.5 for c in s)


def _is_word_char(ch: str) -> bool:
    return is_cjk(ch) or ch.isalnum()


def _is_standalone(block: str) -> bool:
    return "\n" not in block and any(rx.match(block) for rx in _STANDALONE_RES)


def _starts_new_block(line: str) -> bool:
    return bool(BLOCK_MARKER.match(line) or _LABEL_RE.match(line))


def _heading_like(block: str) -> bool:
    """A single-line numbered heading: starts with a marker and holds no sentence."""
    return (
        "\n" not in block
        and bool(BLOCK_MARKER.match(block))
        and not _INNER_STOP.search(block[:-1])
        and _width(block) <= 60
    )


def _typical_width(blocks: list[str]) -> float | None:
    """Median width of hard-wrapped lines (all but the last line of multi-line blocks)."""
    widths = [_width(line) for b in blocks if "\n" in b for line in b.split("\n")[:-1]]
    return statistics.median(widths) if len(widths) >= 5 else None


def _is_long(block: str, last: str, width: float | None) -> bool:
    """Does the block's last line run to the edge of the page (so the text may go on)?"""
    w = _width(last)
    if "\n" in block:
        return width is not None and w >= 0.8 * width
    if is_cjk(last[-1]) or _is_wide(last[-1]):
        # an unwrapped paragraph: a long one, or a sentence-like one that filled a line
        return w >= 40 or (w >= 20 and bool(_INNER_PUNCT.search(last)))
    return len(last) >= 60


def _should_join(a: str, b: str, after: str | None, width: float | None) -> bool:
    a_last = a.rsplit("\n", 1)[-1]
    b_first = b.split("\n", 1)[0]
    if not a_last or not b_first:
        return False
    if _is_standalone(a) or _is_standalone(b) or _starts_new_block(b_first):
        return False
    end, start = a_last[-1], b_first[0]
    if end in _TERMINAL:
        return False
    if end in _COMMA_END:
        return True
    cjk = is_cjk(end) or is_cjk(start)
    if _heading_like(a):
        # a heading cut at the page's end: the rest is a short fragment that is no
        # sentence, and the next block is the next numbered item (or nothing)
        return (
            "\n" not in b
            and _width(a) >= (16 if cjk else 30)
            and _width(b) <= max(40.0, _width(a))
            and not _INNER_STOP.search(b)
            and (after is None or _starts_new_block(after.split("\n", 1)[0]))
        )
    if not (_is_word_char(end) and (_is_word_char(start) or start in "“‘「『《(（\"'")):
        return False
    if not _is_long(a, a_last, width):
        return False
    if cjk:
        return True
    # Latin: a lower-case continuation, or a line ending on a function word
    last_word = re.findall(r"[A-Za-z']+$", a_last)
    return start.islower() or bool(last_word and last_word[0].lower() in EN_FUNCTION_WORDS)


def _joiner(a: str, b: str) -> str:
    if "\n" in a:
        return "\n"  # hard-wrapped text: keep the wrap as a line break
    end, start = a[-1], b[0]
    if _is_wide(end) or _is_wide(start) or end == "-":
        return ""
    return " "


def _repair_blocks(blocks: list[str]) -> list[tuple[str, list[int]]]:
    """The blocks after the page-break repair: each output block with the offset in it where
    each input block it took in begins."""
    width = _typical_width(blocks)
    out: list[tuple[str, list[int]]] = []
    i = 0
    while i < len(blocks):
        cur, starts = blocks[i], [0]
        i += 1
        while i < len(blocks):
            after = blocks[i + 1] if i + 1 < len(blocks) else None
            if not _should_join(cur, blocks[i], after, width):
                break
            cur = cur + _joiner(cur, blocks[i])
            starts.append(len(cur))
            cur += blocks[i]
            i += 1
        out.append((cur, starts))
    return out


def _repair_page_breaks(text: str) -> str:
    return "\n\n".join(b for b, _ in _repair_blocks([b for b in text.split("\n\n") if b]))


def normalize_text(text: str) -> str:
    """Unify line endings, drop BOM/zero-width characters and trailing spaces, remove
    running page headers/footers, collapse blank lines and repair page-break artefacts.

    The result ends with one newline (or is empty); paragraphs are separated by exactly
    one blank line."""
    return normalize_pages([text]).text


@dataclass(frozen=True)
class NormalizedPages:
    """``normalize_pages``' result: the text, the offset in it where each page's text starts
    (a page without text starts where the next one does) and the number each page prints
    ("" where it shows none)."""

    text: str
    starts: tuple[int, ...]
    printed: tuple[str, ...]


def _clean_lines(text: str) -> list[str]:
    text = text.translate(_DROP).translate(_SPACES)
    text = re.sub(r"\r\n?|[\u2028\u2029\x85\v]", "\n", text).replace("\f", "\n\n")
    return [line.strip() for line in text.split("\n")]


def normalize_pages(pages: Sequence[str]) -> NormalizedPages:
    """``normalize_text`` over the pages of a document, keeping where each page begins.

    The pages are read as one text with a blank line between pages (so a sentence a page
    break cut is joined by the same repair), each line remembering its page; the page
    markers the header/footer removal drops give the printed page numbers."""
    lines: list[str] = []
    tags: list[int] = []
    for p, page in enumerate(pages):
        if p:
            lines.append("")
            tags.append(p)
        page_lines = _clean_lines(page)
        lines += page_lines
        tags += [p] * len(page_lines)
    totals = _recurring_totals(lines)
    printed = [""] * len(pages)
    # blocks of non-blank lines (a blank line, or several, separates blocks)
    blocks: list[list[tuple[str, int]]] = [[]]
    for line, p in zip(lines, tags):
        kept, number = _strip_page_marker(line, totals) if line else ("", "")
        if number and not printed[p]:
            printed[p] = number
        if kept:
            blocks[-1].append((kept, p))
        elif not line and blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    repaired = _repair_blocks(["\n".join(line for line, _ in b) for b in blocks])
    first: dict[int, int] = {}  # page -> offset of its first line in the output
    offset, bi = 0, 0
    for text, starts in repaired:
        for start in starts:
            pos = offset + start
            for line, p in blocks[bi]:
                first.setdefault(p, pos)
                pos += len(line) + 1
            bi += 1
        offset += len(text) + 2
    out = "\n\n".join(t for t, _ in repaired)
    out = out + "\n" if out else ""
    page_starts: list[int] = [0] * len(pages)
    nxt = len(out)
    for p in range(len(pages) - 1, -1, -1):
        nxt = first.get(p, nxt)
        page_starts[p] = nxt
    return NormalizedPages(out, tuple(page_starts), tuple(printed))
