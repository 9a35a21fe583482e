"""Readouts without numbering: one item per matter (text/readout.py says how a matter opens).

A news-style readout (新闻联播 versions of State Council meetings, provincial and city
executive meetings, party committees, people's congresses, ministries) has no 一、/（一）; its
matters open with 会议指出 / 会议强调 / 会议审议通过 / 会议听取 / 会议决定 / 会议要求 ….
Each such matter becomes a section of kind "item" labelled 第1项, 第2项 … (the readout prints no
label; the order is what a reader cites), its numbered points (一要…, 二是…) sub-items
("第2项", "一"). What comes before the first matter is the preamble; 会议还研究了其他事项 and
what follows is the closing.

Where the readout is laid out in paragraphs (one per line), a matter opens only at the start
of a line, so 会议指出 inside a paragraph stays with its matter. Where the whole text is one
block (a news article stored as one line), every sentence may open one, except a comment
(指出/强调/认为/建议) right after the sentence that put a matter before the meeting, which
is about that matter. Returns None when no sentence opens a matter (the minute is then read
as paragraphs).
"""

from __future__ import annotations

from dataclasses import dataclass

from minutes_rag.split.around import ZH_LABELS
from minutes_rag.split.spans import Line, Span, trim
from minutes_rag.text.readout import CLOSING, LISTED_REPORT, NUMBERED_POINT, OPENER, POINTS_AHEAD, SENTENCE
from minutes_rag.text.sentences import first_sentence

# a readout laid out in paragraphs has its title and at least two paragraph lines
PARAGRAPH_LAYOUT_LINES = 3


@dataclass
class _Open:
    start: int
    point: str = ""  # "一" for a numbered point, "" for a matter


def _sentences(text: str, lines: list[Line]) -> list[tuple[int, str, bool]]:
    """(start, sentence, starts a line) of the text's sentences."""
    out = []
    for ln in lines:
        for k, m in enumerate(SENTENCE.finditer(text, ln.start, ln.end)):
            s, e = trim(text, m.start(), m.end())
            if e > s:
                out.append((s, text[s:e], k == 0))
    return out


def _opens(text: str, lines: list[Line]) -> tuple[list[_Open], int | None]:
    by_line = len(lines) >= PARAGRAPH_LAYOUT_LINES
    opens: list[_Open] = []
    closing: int | None = None
    chain = False  # the previous sentence put a matter before the meeting (or continued one)
    heard = False  # the previous sentence reported what the meeting heard
    for start, sent, line_start in _sentences(text, lines):
        if CLOSING.match(sent):
            closing = start
            break
        if by_line and not line_start:
            continue
        m = OPENER.match(sent)
        if m and (m.group("agenda") or m.group("at")):
            opens.append(_Open(start))
            chain, heard = bool(m.group("agenda")), "听取" in (m.group("agenda") or "")
        elif m:
            if not chain or by_line:
                opens.append(_Open(start))
            chain, heard = chain and not by_line, False
        elif heard and LISTED_REPORT.match(sent):
            opens.append(_Open(start))
            chain = True
        elif (p := NUMBERED_POINT.match(sent)) and opens:
            opens.append(_Open(start, p.group("n")))
            chain = heard = False
        elif POINTS_AHEAD.search(sent) and not chain:
            opens.append(_Open(start))
            chain = heard = False
        else:
            chain = heard = False
    return opens, closing


def readout_spans(text: str, lines: list[Line]) -> list[Span] | None:
    """Preamble, one item per matter (points as sub-items), closing; None without matters."""
    opens, closing = _opens(text, lines)
    if not opens:
        return None
    end_all = closing if closing is not None else len(text)
    spans: list[Span] = []
    first = opens[0].start
    if text[:first].strip():
        spans.append(Span("preamble", ZH_LABELS["preamble"], first_sentence(text[:first]), 0, first))
    n = 0
    title = ""
    for k, op in enumerate(opens):
        end = opens[k + 1].start if k + 1 < len(opens) else end_all
        s, e = trim(text, op.start, end)
        if e <= s:
            continue
        if op.point and n:
            path: tuple[str, ...] = (f"第{n}项", op.point)
        else:
            n += 1
            path = (f"第{n}项",)
            title = first_sentence(text[s:e])
        spans.append(Span("item", path, title, s, e))
    if closing is not None and text[closing:].strip():
        spans.append(Span("closing", ZH_LABELS["closing"], first_sentence(text[closing:]), closing, len(text)))
    return spans
