"""Which page a place in a minute is on: lookups in a minute's page map (``Minute.pages``).

The map is written once, at parse time (``parse.normalize.normalize_pages``), as the offset in
the normalised text where each physical page begins; a section or a quote is on the page
whose start is the last one at or before its offset. Pages are 1-based physical pages (the
n-th sheet of the file), which is what a PDF viewer's page box takes; the number printed on
the page is kept beside it when the page shows one that differs (a minute whose cover is
unnumbered prints "1" on its second sheet)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from minutes_rag.model import PageSpan

__all__ = ["page_at", "pages_json", "printed_differs"]


def page_at(pages: Sequence[PageSpan], offset: int) -> PageSpan | None:
    """The page holding character ``offset``; None for a document without pages."""
    if not pages:
        return None
    i = bisect.bisect_right([p.start for p in pages], offset) - 1
    return pages[max(i, 0)]


def printed_differs(span: PageSpan | None) -> str:
    """The printed page number when it is shown and is not the physical one, else ""."""
    if span is None or not span.printed or span.printed == str(span.page):
        return ""
    return span.printed


def pages_json(pages: Sequence[PageSpan], start: int, end: int) -> dict[str, Any]:
    """The page fields of a section of ``[start, end)`` in the JSON contracts: ``page`` (the
    physical page it starts on), ``page_end`` (the one it ends on) and ``printed_page``
    (None unless the page prints a different number); all None for a document without pages."""
    first = page_at(pages, start)
    if first is None:
        return {"page": None, "page_end": None, "printed_page": None}
    last = page_at(pages, max(start, end - 1))
    assert last is not None
    return {"page": first.page, "page_end": last.page, "printed_page": printed_differs(first) or None}
