"""One OCR'd page's lines -> its text in reading order.

1. Lines below ``MIN_LINE_CONFIDENCE`` are left out of the text (they are counted in the
   page's confidence, so a page of them is reported, not silently emptied).
2. Columns: when enough lines sit wholly left and wholly right of the page's middle and
   few cross it, the page has two columns; lines that cross the middle (a title, a
   full-width paragraph) cut the page into bands, and each band is read left column first.
3. Rows: boxes on the same baseline (vertical overlap over half the line height) are one
   row, left to right.
4. Paragraphs: a row starts a new paragraph when it is indented, when the row before ended
   well short of the column's right edge, when the gap above it is unusually wide, when it
   starts with an item marker (一、 （一） 1.) or a label (出席：), or when it lies in the
   page's top or bottom margin band (running headers, page numbers: the normaliser then
   recognises "- 3 -" / 第3页 共8页 as whole lines and drops them).
5. Joining: rows of a paragraph are joined without a space where either side is CJK, with
   a space between Latin words, and an end-of-line hyphen between two lower-case letters is
   removed ("unani-" + "mously"). Paragraphs are separated by a blank line, the layout the
   text readers give, so the page-break repair of ``parse.normalize`` applies unchanged.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from minutes_rag.parse.ocr import OcrLine
from minutes_rag.text.lang import is_cjk
from minutes_rag.text.patterns import BLOCK_MARKER, LABEL_RE

__all__ = ["MIN_LINE_CONFIDENCE", "join_words", "page_text"]

# RapidOCR's own default score cut (``text_score: 0.5``): below it a line is mostly noise
# (speckle, stamp edges) on the noisy renderings of bench/bench_ocr.py
MIN_LINE_CONFIDENCE = 0.5
# top and bottom share of the page height where running headers and page numbers sit
# (a 297 mm page with 25-37 mm margins: the GB/T 9704 layout of 公文)
MARGIN_BAND = 0.08
# indent / short-line / gap thresholds in units of the median line height: a Chinese
# paragraph is indented two characters (~2 heights), the last row of a paragraph ends at
# least a few characters short; line gaps in minutes are 0.3-1.0 heights
INDENT = 1.0
SHORT_END = 2.0
WIDE_GAP = 1.6
# two columns: at least this share of the lines on each side of the middle, and at most
# this share crossing it
COLUMN_SIDE_SHARE = 0.25
COLUMN_CROSS_SHARE = 0.2

_HYPHEN_END = re.compile(r"[a-z]-$")


def page_text(lines: Sequence[OcrLine], width: int, height: int) -> str:
    """The page's text in reading order, paragraphs separated by a blank line."""
    kept = [ln for ln in lines if ln.confidence >= MIN_LINE_CONFIDENCE and ln.text.strip()]
    if not kept:
        return ""
    h = statistics.median(ln.box[3] - ln.box[1] for ln in kept) or 1.0
    paragraphs: list[str] = []
    for column in _flow(kept, width):
        paragraphs += _paragraphs(_rows(column), h, height)
    return "\n\n".join(paragraphs)


def _flow(lines: list[OcrLine], width: int) -> list[list[OcrLine]]:
    """The page's lines as runs read top to bottom, in reading order (one run for a
    one-column page; for two columns, per band: the left run, then the right one)."""
    mid = width / 2
    left = [ln for ln in lines if ln.box[2] <= mid]
    right = [ln for ln in lines if ln.box[0] >= mid]
    cross = [ln for ln in lines if ln.box[0] < mid < ln.box[2]]
    n = len(lines)
    two = (
        len(left) >= COLUMN_SIDE_SHARE * n and len(right) >= COLUMN_SIDE_SHARE * n and len(cross) <= COLUMN_CROSS_SHARE * n
    )
    if not two:
        return [lines]
    out: list[list[OcrLine]] = []
    cuts = sorted(cross, key=lambda ln: ln.box[1])
    top = float("-inf")
    for cut in [*cuts, None]:
        bottom = cut.box[1] if cut is not None else float("inf")
        for side in (left, right):
            run = [ln for ln in side if top <= _cy(ln) < bottom]
            if run:
                out.append(run)
        if cut is not None:
            out.append([cut])
            top = _cy(cut)
    return out


def _cy(line: OcrLine) -> float:
    return (line.box[1] + line.box[3]) / 2


def _rows(lines: list[OcrLine]) -> list[list[OcrLine]]:
    rows: list[list[OcrLine]] = []
    for ln in sorted(lines, key=_cy):
        if rows:
            last = rows[-1]
            top = min(x.box[1] for x in last)
            bottom = max(x.box[3] for x in last)
            overlap = min(bottom, ln.box[3]) - max(top, ln.box[1])
            if overlap > 0.5 * min(bottom - top, ln.box[3] - ln.box[1]):
                last.append(ln)
                continue
        rows.append([ln])
    return [sorted(r, key=lambda x: x.box[0]) for r in rows]


def join_words(pieces: Sequence[str]) -> str:
    """Pieces of one line, left to right, joined the way the language writes them."""
    text = ""
    for piece in pieces:
        text = _join(text, piece.strip()) if text else piece.strip()
    return text


def _row_text(row: list[OcrLine]) -> str:
    return join_words([ln.text for ln in row])


def _join(a: str, b: str) -> str:
    if not a or not b:
        return a + b
    if _HYPHEN_END.search(a) and b[0].islower():
        return a[:-1] + b  # a word hyphenated at the line's end
    if is_cjk(a[-1]) or is_cjk(b[0]) or not a[-1].isascii() or not b[0].isascii():
        return a + b  # Chinese (and its full-width punctuation) is written without spaces
    return a + " " + b


def _paragraphs(rows: list[list[OcrLine]], h: float, height: int) -> list[str]:
    if not rows:
        return []
    col_left = min(r[0].box[0] for r in rows)
    col_right = max(r[-1].box[2] for r in rows)
    gaps = [rows[i + 1][0].box[1] - max(x.box[3] for x in rows[i]) for i in range(len(rows) - 1)]
    usual_gap = statistics.median(gaps) if gaps else 0.0
    out: list[str] = []
    cur = ""
    for i, row in enumerate(rows):
        text = _row_text(row)
        new = (
            i == 0
            or _in_margin(row, height)
            or _in_margin(rows[i - 1], height)
            or row[0].box[0] - col_left > INDENT * h
            or col_right - rows[i - 1][-1].box[2] > SHORT_END * h
            or gaps[i - 1] > max(WIDE_GAP * h, usual_gap + h)
            or bool(BLOCK_MARKER.match(text) or LABEL_RE.match(text))
        )
        if new and cur:
            out.append(cur)
            cur = ""
        cur = _join(cur, text) if cur else text
    if cur:
        out.append(cur)
    return out


def _in_margin(row: list[OcrLine], height: int) -> bool:
    y = (row[0].box[1] + row[0].box[3]) / 2
    return y < MARGIN_BAND * height or y > (1 - MARGIN_BAND) * height
