"""English council items (found by ``text.agenda.en_agenda``): label path (str(number),);
title: the item's first clause, up to "(" / a double space / 120 characters.

An item's text runs to the next item, so a group heading printed between items ("Bureau
of Transportation") ends the previous item's text. The closing starts at the adjournment
sentence ("At 10:31 a.m. Council adjourned."); a transcript that follows the minutes is a
section of its own.
"""

from __future__ import annotations

import re

from minutes_rag.split.around import EN_LABELS, after_agenda, transcript_span
from minutes_rag.split.spans import Line, Span, en_title
from minutes_rag.text.agenda import en_agenda, transcript_start
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
    chain = en_agenda(text)
    if not chain:
        return None
    t_at = transcript_start(text)
    t_start = len(text) if t_at is None else t_at
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
        spans.append(Span("item", (str(c.num),), en_title(text, c.body_start, end), c.start, end))
    spans += after
    if t_at is not None:
        spans.append(transcript_span(text, t_at))
    return spans
