"""The parts of a minute around its agenda items: closing, attendance, tail, transcript,
and the paragraphs of minutes without numbered items.

closing    after the last item, from a paragraph that opens with 会上/会议还/会议最后/此外/
           另外/... (zh) or from the adjournment sentence (en, found by the caller), up to
           the attendance block;
attendance from the first 出席：/列席：/记录：/请假：... (Present:/Absent:...) line through
           everything up to the tail (wrapped name lists, "…的代表" lines, 记录：);
tail       the distribution block after that: 整理 / date / （此件公开发布） / 分送： / 印发
           lines (en: Distribution:, cc:, ...);
paragraph  minutes without any numbering (news-style readouts) get one section per
           paragraph (short title/date lines are merged into the paragraph that follows).
"""

from __future__ import annotations

import re
import statistics

from minutes_rag.split.spans import Line, Span, en_title, paragraphs
from minutes_rag.text.agenda import transcript_start
from minutes_rag.text.lang import HAN, is_han
from minutes_rag.text.patterns import ATTENDANCE_FIELDS, DISTRIBUTION_FIELDS, EN_ATTENDANCE_LABEL, ZH_DATE, field_label
from minutes_rag.text.sentences import first_sentence

EN_LABELS = {"preamble": ("Preamble",), "closing": ("Closing",), "attendance": ("Attendance",),
             "tail": ("Distribution",), "transcript": ("Transcript",)}
ZH_LABELS = {"preamble": ("导语",), "closing": ("结尾",), "attendance": ("出席",), "tail": ("附注",)}

_ZH_CLOSING = re.compile(r"^(?:会上|会议还|会议最后|会议结束前|会议期间|会议同时|会后|此外|另外|最后[，,])")
ATT_LABEL = re.compile(rf"^(?:{field_label(*ATTENDANCE_FIELDS)}|{EN_ATTENDANCE_LABEL})", re.IGNORECASE)
_TAIL_LINE = re.compile(
    rf"^(?:{field_label(*DISTRIBUTION_FIELDS)}"
    r"|.{0,30}(?:整理|印发|制发)$"
    r"|[（(]此件.{0,16}[）)]$"
    rf"|(?:{ZH_DATE.pattern})$"
    rf"|[{HAN}]{{2,24}}(?:人民政府|办公室|办公厅|委员会)$"
    r"|(?:Distribution|cc|Copies\s+to|Respectfully\s+submitted|Submitted\s+by|Prepared\s+by|Attest)\b)",
    re.IGNORECASE,
)
_STRONG_TAIL = re.compile(rf"^{field_label('分送', '抄送', '主送', '印送')}|^.{{0,30}}(?:整理|印发)$|^[（(]此件")


def _attendance_title(text: str) -> str:
    labels = []
    for line in text.split("\n"):
        m = ATT_LABEL.match(line.strip())
        if m:
            lab = re.sub(r"\s*[:：]$", "", m.group(0)).strip()
            if lab not in labels:
                labels.append(lab)
    sep = "、" if labels and is_han(labels[0][0]) else ", "
    return sep.join(labels)


def _is_strong_tail(s: str) -> bool:
    """Tail lines that cannot end an item's text (distribution list, 整理/印发 lines)."""
    return bool(_STRONG_TAIL.match(s))


def _is_body(s: str) -> bool:
    """A paragraph of running prose (never part of an attendance list)."""
    return len(s) > 150 and bool(re.search(r"。|[.!?]\s", s))


def after_agenda(
    text: str, lines: list[Line], from_line: int, closing_at: int | None, end: int, zh: bool
) -> tuple[int, list[Span]]:
    """Find closing / attendance / tail after ``lines[from_line]`` (the last item's first
    line) and before ``end``. ``closing_at`` is where the closing starts if the caller
    found it (the English adjournment sentence). Returns (where the agenda ends, spans)."""
    att = tail = None
    closing = closing_at
    # paragraph starts: after a blank line, or after a line that ends a sentence (text
    # extracted from PDFs often has no blank lines at all)
    short = 0.6 * statistics.median(len(ln.text) for ln in lines)
    paras = [
        ln
        for prev, ln in zip(lines[from_line:], lines[from_line + 1 :])
        if ln.start < end
        and (
            ln.para_start
            or prev.text.rstrip()[-1:] in "。！？；：.!?;:"
            or len(prev.text) < short
            or ATT_LABEL.match(ln.text.strip())
        )
    ]
    for k, ln in enumerate(paras):
        s = ln.text.strip()
        if att is not None and _is_body(s):
            att = None  # the label belonged to a header; prose follows
        if att is None and ATT_LABEL.match(s):
            att = ln.start
            continue
        if closing is None and att is None and _ZH_CLOSING.match(s):
            closing = ln.start
        if tail is None and (_is_strong_tail(s) or (att is not None and _TAIL_LINE.match(s))):
            # weak tail lines (an office name, a date) just before it belong to the tail
            j = k
            while (
                j > 0
                and _TAIL_LINE.match(paras[j - 1].text.strip())
                and not ATT_LABEL.match(paras[j - 1].text.strip())
                and (att is None or paras[j - 1].start > att)
            ):
                j -= 1
            tail = paras[j].start
            break
    if closing is not None and (att is not None and att < closing or tail is not None and tail < closing):
        closing = None
    cuts = [c for c in (closing, att, tail) if c is not None]
    agenda_end = min(cuts) if cuts else end
    labels = ZH_LABELS if zh else EN_LABELS
    spans: list[Span] = []
    if closing is not None:
        c_end = min([c for c in (att, tail) if c is not None] or [end])
        spans.append(Span("closing", labels["closing"], first_sentence(text[closing:c_end]), closing, c_end))
    if att is not None:
        a_end = tail if tail is not None else end
        spans.append(Span("attendance", labels["attendance"], _attendance_title(text[att:a_end]), att, a_end))
    if tail is not None:
        spans.append(Span("tail", labels["tail"], first_sentence(text[tail:end]), tail, end))
    return agenda_end, spans


def transcript_span(text: str, start: int) -> Span:
    return Span("transcript", EN_LABELS["transcript"], en_title(text, start, len(text)), start, len(text))


def paragraph_spans(text: str, lines: list[Line], zh: bool) -> list[Span]:
    """One section per paragraph, for minutes without numbered items."""
    t_at = None if zh else transcript_start(text)
    t_start = len(text) if t_at is None else t_at
    # the attendance / distribution block at the end still gets its own sections
    _, after = after_agenda(text, lines, 0, None, t_start, zh)
    after = [s for s in after if s.kind != "closing"]  # a readout's last paragraph is just a paragraph
    agenda_end = after[0].start if after else t_start
    spans: list[Span] = []
    pending: int | None = None  # start of short heading-like paragraphs merged forward
    n = 0
    paras = paragraphs(text, 0, agenda_end)
    for k, (s, e) in enumerate(paras):
        body = text[s:e]
        short = len(body) <= 40 and "\n" not in body and body[-1] not in "。！？.!?"
        if short and k + 1 < len(paras):
            pending = s if pending is None else pending
            continue
        start = pending if pending is not None else s
        pending = None
        n += 1
        label = (f"第{n}段",) if zh else (f"¶{n}",)
        # the title is the paragraph's first sentence, or the headline merged into it
        spans.append(Span("paragraph", label, first_sentence(text[start:e]), start, e))
    if t_at is not None:
        spans.append(transcript_span(text, t_at))
    return spans + after
