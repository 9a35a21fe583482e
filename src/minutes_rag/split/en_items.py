"""English council items: label path (str(number),) for the "38 Request of ..." agendas of
``text.agenda.en_agenda``; the number as printed ("Ord. No. 11-10", "Int 0268-2018", "3.")
for matters with the body's file numbers and for numbered lists that restart under each
heading (``text.en_matters``); markdown minutes go to ``split.md_items``. Title: the item's
first clause, up to "(" / a double space / 120 characters.

An item's text runs to the next item, so a group heading printed between items ("Bureau
of Transportation") ends the previous item's text. The closing starts at the adjournment
sentence ("At 10:31 a.m. Council adjourned."); a transcript that follows the minutes is a
section of its own.
"""

from __future__ import annotations

import re

from minutes_rag.split.around import EN_LABELS, after_agenda, transcript_span
from minutes_rag.split.md_items import md_spans
from minutes_rag.split.spans import Line, Span, en_title
from minutes_rag.text.agenda import en_agenda, transcript_start
from minutes_rag.text.en_matters import Marked, matter_items, restarting_lists
from minutes_rag.text.sentences import shorten

_ADJOURN = re.compile(
    r"(?:There\s+being\s+no\s+further\s+business"
    r"|At\s+\d{1,2}(?::\d{2})?\s*[ap]\.?\s*m\.?,?\s+(?:the\s+)?(?:Council|Board|Commission|Committee|meeting)\s+"
    r"(?:was\s+|stood\s+)?adjourned"
    r"|(?:The\s+)?(?:meeting|Council|Board|Commission|Committee)\s+(?:was\s+)?adjourned"
    r"|Meeting\s+adjourned)",
    re.IGNORECASE,
)


def en_spans(text: str, lines: list[Line]) -> list[Span] | None:
    """Preamble, items, the parts after them and the transcript; None without an agenda."""
    t_at = transcript_start(text)
    t_start = len(text) if t_at is None else t_at
    matters = matter_items(text, t_start)
    if not matters:
        md = md_spans(text, lines)
        if md is not None:
            return md
    chain = matters or _marked(text, t_start)
    if not chain:
        return None
    spans: list[Span] = []
    first = chain[0].start
    if text[:first].strip():
        spans.append(Span("preamble", EN_LABELS["preamble"], shorten(lines[0].text, 80), 0, first))
    last = chain[-1]
    # the closing starts with the sentence that says the meeting adjourned
    adj = _ADJOURN.search(text, last.body_start, t_start)
    closing_at = adj.start() if adj else None
    last_line = max(i for i, ln in enumerate(lines) if ln.start <= last.start)
    agenda_end, after = after_agenda(text, lines, last_line, closing_at, t_start, False)
    for k, c in enumerate(chain):
        end = chain[k + 1].start if k + 1 < len(chain) else agenda_end
        spans.append(Span("item", (c.label,), en_title(text, c.body_start, end), c.start, end))
    spans += after
    if t_at is not None:
        spans.append(transcript_span(text, t_at))
    return spans


def _marked(text: str, end: int) -> list[Marked]:
    """The longer of the increasing agenda run and the numbered lists that restart under
    headings."""
    chain = [Marked(c.start, c.body_start, str(c.num)) for c in en_agenda(text)]
    lists = restarting_lists(text, end)
    return lists if len(lists) > len(chain) else chain
