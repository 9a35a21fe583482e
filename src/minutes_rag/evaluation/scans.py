"""Scanned renderings of text minutes, for measuring OCR (``bench/bench_ocr.py``) and for the
scan tests: a minute's text is typeset on A4 pages (indented paragraphs, a "- N -" page
number at the foot), each page is blurred, speckled, given grey noise and a small skew like
a real scan, and the pages are saved as an image-only PDF. The renderer returns what it put
on each page, so the OCR'd text can be scored against it: the character error rate over
Han characters, letters and digits (``cer``), and which page each passage starts on.

Nothing here is a fixture: the renderings are made at run time from the corpus where it
lies, into a temporary folder, and never committed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Rendered", "cer", "page_cer", "render_scan", "significant", "start_pages"]

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # Debian fonts-wqy-zenhei (scripts/system-deps.sh)
DPI = 150
PAGE = (1240, 1754)  # A4 at 150 dpi
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 150, 170, 190
FONT_PX = 30  # ~14.5 pt at 150 dpi: the body size of printed minutes
LINE_GAP = 18

_SIGNIFICANT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9]")


@dataclass(frozen=True)
class Rendered:
    """What ``render_scan`` put where: the text of each page (its paragraphs' pieces, in
    order) and for each page the offset in the source text where it starts."""

    pdf: Path
    page_texts: tuple[str, ...]
    page_starts: tuple[int, ...]
    end: int  # the source text up to here was rendered (less than all of it when pages ran out)

    def page_of(self, offset: int) -> int:
        """The 1-based page the source character at ``offset`` was rendered on."""
        page = 1
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i + 1
        return page


def significant(text: str) -> str:
    """The characters a CER counts: Han, Latin letters, digits (punctuation and spaces,
    which OCR engines render in full- or half-width at will, are left out)."""
    return "".join(_SIGNIFICANT.findall(text))


def cer(truth: str, read: str) -> tuple[int, int]:
    """(edit distance, length of the truth) over the significant characters."""
    a, b = significant(truth), significant(read)
    if not a:
        return len(b), 0
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        prev = cur
    return prev[-1], len(a)


def _wrap(text: str, font, width: int, indent: int) -> list[str]:
    """Greedy line breaking: Chinese anywhere, Latin at spaces (a word too long for a line
    is cut)."""
    lines: list[str] = []
    cur = ""
    avail = width - indent
    tokens = re.findall(r"[A-Za-z0-9.,;:'\"()\-/&%$#@!?]+\s*|\s+|.", text)
    for tok in tokens:
        if font.getlength(cur + tok.rstrip()) <= avail or not cur:
            cur += tok
        else:
            lines.append(cur.rstrip())
            cur = tok.lstrip()
            avail = width
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def render_scan(text: str, pdf: Path, *, seed: int = 0, noise: float = 12.0, skew: float = 0.8,
                max_pages: int = 0) -> Rendered:
    """Typeset ``text`` (paragraphs separated by blank lines) into a noisy, skewed,
    image-only PDF at ``pdf``; ``max_pages`` > 0 stops after that many pages."""
    from PIL import Image, ImageDraw, ImageFont

    rng = random.Random(seed)
    font = ImageFont.truetype(FONT, FONT_PX)
    width = PAGE[0] - 2 * MARGIN_X
    placed: list[list[tuple[int, int, str]]] = [[]]  # per page: (x, y, line)
    texts: list[list[str]] = [[]]
    starts: list[int] = [0]
    y = MARGIN_TOP
    pos = end = 0
    full = False
    for para in text.split("\n\n"):
        at = text.find(para, pos)
        pos = at + len(para)
        flat = re.sub(r"\s*\n\s*", " ", para.strip())
        if not flat:
            continue
        indent = 2 * FONT_PX if re.match(r"[\u4e00-\u9fff]", flat) else 0
        consumed = 0
        for n, line in enumerate(_wrap(flat, font, width, indent)):
            if y + FONT_PX > PAGE[1] - MARGIN_BOTTOM:
                if max_pages and len(placed) >= max_pages:
                    full = True
                    break
                placed.append([])
                texts.append([])
                starts.append(at + min(consumed, max(len(para) - 1, 0)))
                y = MARGIN_TOP
            placed[-1].append((MARGIN_X + (indent if n == 0 else 0), y, line))
            texts[-1].append(line)
            consumed += len(line)
            end = min(at + consumed + 1, at + len(para))
            y += FONT_PX + LINE_GAP
        if full:
            break
        y += LINE_GAP // 2
    scans = []
    for number, lines in enumerate(placed, 1):
        img = Image.new("L", PAGE, 255)
        draw = ImageDraw.Draw(img)
        for x, ly, line in lines:
            draw.text((x, ly), line, font=font, fill=0)
        label = f"- {number} -"
        draw.text(((PAGE[0] - font.getlength(label)) / 2, PAGE[1] - MARGIN_BOTTOM + 70), label, font=font, fill=0)
        scans.append(_degrade(img, rng, noise, skew))
    scans[0].save(pdf, format="PDF", save_all=True, append_images=scans[1:], resolution=DPI)
    return Rendered(pdf, tuple("\n".join(t) for t in texts), tuple(starts), end)


def _degrade(page, rng: random.Random, noise: float, skew: float):
    """Blur, grey noise, speckles and a rotation of up to ``skew`` degrees: a scanner's marks."""
    import numpy as np
    from PIL import Image, ImageFilter

    img = page.filter(ImageFilter.GaussianBlur(0.6))
    gen = np.random.default_rng(rng.randrange(1 << 30))
    arr = np.asarray(img, dtype=np.float64) + gen.normal(0, noise, img.size[::-1])
    specks = gen.random(arr.shape) < 0.0015
    arr[specks] = gen.uniform(0, 120, specks.sum())
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    return img.rotate(rng.uniform(-skew, skew), resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)


def page_cer(rendered: Rendered, text: str, page_starts: Sequence[int]) -> tuple[int, int]:
    """(edits, characters) of an OCR'd minute against what was rendered, page by page
    (``page_starts``: where each page begins in ``text``, the minute's page map)."""
    edits = total = 0
    for i, truth in enumerate(rendered.page_texts):
        a = page_starts[i] if i < len(page_starts) else len(text)
        b = page_starts[i + 1] if i + 1 < len(page_starts) else len(text)
        e, n = cer(truth, text[a:b])
        edits, total = edits + e, total + n
    return edits, total


def start_pages(rendered: Rendered, truth: Sequence[dict], read: Sequence[dict]) -> tuple[int, int]:
    """(right, all): the sections of the text minute (``truth``: ``minutes show --json``
    sections of the source text) rendered on the pages, against the OCR'd minute's sections
    (``read``) with the same label and part: right when the page it names is the page the
    section's first character was rendered on; a section the OCR'd minute lacks is wrong."""
    pages = {(s["label"], s["part"]): s.get("page") for s in read}
    right = total = 0
    for s in truth:
        if s["start"] >= rendered.end:
            continue
        total += 1
        right += pages.get((s["label"], s["part"])) == rendered.page_of(s["start"])
    return right, total
