"""Agenda-item splitter: a minute's normalised text -> citable ``Section`` s.

``split_minute(minute)`` cuts ``minute.text`` (already normalised and page-break repaired
by ``parse.normalize``; offsets point into it) into sections that cover the document in
order and never overlap; for every section ``minute.text[s.start:s.end] == s.text``.

Chinese minutes (市政府常务会议纪要 and the like)
    Item markers at the start of a line, ranked 一、 > （一）/(一) > 1./1、/1． > （1）/(1) > ①.
    The top level is the highest-ranked marker type that occurs as a run 1, 2, ... (so a
    minute numbered 1. 2. has those as top level). Deeper markers nest dynamically (a
    （1） directly under 一、 is its second level); at most three levels are kept, deeper
    ones stay in their parent's text. A marker whose number does not continue its level
    (next = previous + 1..3, a first child = 1 or 2) is ordinary text, which keeps stray
    "1." lines and quoted numbers out. Label paths: ("四",), ("四", "（一）"),
    ("四", "（一）", "1"); ``Section.label`` renders 四（一）1.
    Titles: a top-level item's title is its heading without the marker (up to the first
    sentence end, at most 60 characters): 审议《苏州市政策性租赁住房试点工作方案》. A
    sub-item's title is its top-level item's title, because sub-items rarely have headings
    of their own and "四（一） 审议《…方案》" is what a citation card needs to show.
    The top-level item's own section is its heading plus any text before its first
    sub-item.

English council minutes
    Items numbered "38 Request of ...", "*42 Accept ...", "S-56 Accept ...", "Item 38",
    "38." -- also run together on one long line. The item numbers used are the longest
    strictly increasing run (gaps up to 10) among all candidates, which drops dollar
    amounts, ordinance numbers, years and "Position No. 2". Label path (str(number),);
    title: the item's first clause, up to "(" / a double space / 120 characters.

Around the agenda (kind, label zh / en):
    preamble   ("导语",) / ("Preamble",): everything before the first item (title, document
               number, meeting introduction, English header and roll call);
    closing    ("结尾",) / ("Closing",): after the last item, from a paragraph that opens
               with 会上/会议还/会议最后/此外/另外/... (zh) or from the adjournment sentence
               ("At 10:31 a.m. Council adjourned.") (en), up to the attendance block;
    attendance ("出席",) / ("Attendance",): after the agenda, from the first 出席：/列席：/
               记录：/请假：... (Present:/Absent:...) line through everything up to the tail
               (wrapped name lists, "…的代表" lines, 记录：);
    tail       ("附注",) / ("Distribution",): the distribution block after that: 整理 /
               date / （此件公开发布） / 分送： / 印发 lines (en: Distribution:, cc:, ...);
    transcript ("Transcript",): a closed-caption / verbatim transcript that follows the
               minutes ("Closed Caption File ..."), cut into parts like any long section;
    paragraph  ("第1段",) / ("¶1",): minutes without any numbering (news-style readouts) get
               one section per paragraph (short title/date lines are merged into the
               paragraph that follows), titled by the paragraph's first sentence.
    An attendance list inside the header (before the first item) stays in the preamble.
    "Paragraph" here means a blank-line separated block, or in hard-wrapped text without
    blank lines a line that follows a sentence end or a short line.

Known limits: an English item's text runs to the next item, so a group heading printed
between items ("Bureau of Transportation") ends the previous item's text; 第一条-style
articles are not recognised as items.

A section longer than ``max_chars`` is cut at sentence ends (。！？；.!? or a line break,
else a comma or space, else anywhere) into parts 0..n-1 of similar size that share its
label path and title. If a label path repeats (numbering restarted at 一), the later ones
get a suffix on their last element: ("一-2",).
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass

from minutes_rag.ids import section_id_for
from minutes_rag.model import Minute, Section

__all__ = ["split_minute", "detect_lang"]

# --------------------------------------------------------------------------- helpers


@dataclass
class _Span:
    kind: str
    label_path: tuple[str, ...]
    title: str
    start: int
    end: int


@dataclass
class _Line:
    start: int
    end: int
    text: str
    para_start: bool  # first line of a blank-line separated paragraph


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    blank_before = True
    for raw in text.split("\n"):
        end = pos + len(raw)
        if raw.strip():
            out.append(_Line(pos, end, raw, blank_before))
            blank_before = False
        else:
            blank_before = True
        pos = end + 1
    return out


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the blank-line separated paragraphs inside text[start:end]."""
    out = []
    for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text[start:end]):
        out.append((start + m.start(), start + m.end()))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def detect_lang(text: str) -> str:
    """"zh" when CJK characters carry the text, else "en" (a Chinese character is worth
    about one English word of five letters)."""
    cjk = len(re.findall(r"[\u3400-\u9fff]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk * 5 >= latin and cjk > 0 else "en"


_EN_LABELS = {"closing": ("Closing",), "attendance": ("Attendance",), "tail": ("Distribution",)}
_ZH_LABELS = {"closing": ("结尾",), "attendance": ("出席",), "tail": ("附注",)}


def _shorten(s: str, limit: int) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    if len(s) <= limit:
        return s
    cut = s[:limit]
    # prefer a clause boundary in the second half of the allowance
    k = max(cut.rfind("，"), cut.rfind(","), cut.rfind("、"), cut.rfind(" "))
    if k >= limit // 2:
        cut = cut[:k]
    return cut.rstrip("，,、 ") + "…"


_ABBREV = re.compile(r"(?:\b[A-Za-z]|\b[A-Za-z]\.[A-Za-z]|\b(?:Mr|Mrs|Ms|Dr|St|No|Nos|Inc|Jr|Sr|vs|Co|Ltd|Ave|Rd))$")


def _first_sentence(s: str, limit: int = 60) -> str:
    s = s.strip().split("\n", 1)[0]
    for m in re.finditer(r"[。！？；]|[.!?;](?=\s|$)", s):
        if m.group() == "." and _ABBREV.search(s[: m.start()]):
            continue  # "a.m." / "No." do not end a sentence
        if m.start() > 0:
            s = s[: m.start()]
            break
    return _shorten(s, limit)


# --------------------------------------------------------------------------- Chinese items

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_int(s: str) -> int:
    """一 -> 1, 十二 -> 12, 二十三 -> 23, 一百零五 -> 105 (enough for item numbers)."""
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            cur = _CN_DIGITS[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
    return total + cur


_CN_NUM = "一二三四五六七八九十百零〇"
# (rank, regex); the number is group 1. Rank = canonical nesting order of Chinese documents.
_ZH_MARKERS: list[tuple[int, re.Pattern[str]]] = [
    (0, re.compile(rf"([{_CN_NUM}]{{1,4}})[、．](?!\d)")),
    (1, re.compile(r"[（(]([一二三四五六七八九十]{1,3})[）)]")),
    (2, re.compile(r"(\d{1,2})[.．、](?!\d)")),
    (3, re.compile(r"[（(](\d{1,2})[）)]")),
    (4, re.compile(r"([①-⑳])")),
]
_MAX_DEPTH = 3
_MAX_STEP = 3


def _zh_marker(line: str) -> tuple[int, int, str, int] | None:
    """(rank, number, label element, marker length) for a line that starts with a marker."""
    for rank, rx in _ZH_MARKERS:
        m = rx.match(line)
        if not m:
            continue
        g = m.group(1)
        if rank == 0:
            return rank, _cn_int(g), g, m.end()
        if rank == 1:
            return rank, _cn_int(g), f"（{g}）", m.end()
        if rank == 2:
            return rank, int(g), g, m.end()
        if rank == 3:
            return rank, int(g), f"（{g}）", m.end()
        return rank, ord(g) - ord("①") + 1, g, m.end()
    return None


def _top_rank(marks: list[tuple[int, int]]) -> int | None:
    """The highest-ranked marker type that runs 1 -> 2 somewhere (a real list, not a
    stray marker)."""
    for rank in range(len(_ZH_MARKERS)):
        seen_one = False
        for r, v in marks:
            if r != rank:
                continue
            if v == 1:
                seen_one = True
            elif v == 2 and seen_one:
                return rank
    return None


@dataclass
class _Item:
    line: _Line
    label_path: tuple[str, ...]
    depth: int
    body_start: int  # offset just after the marker


def _zh_items(lines: list[_Line]) -> list[_Item]:
    marks = [(i, _zh_marker(ln.text)) for i, ln in enumerate(lines)]
    top = _top_rank([(m[0], m[1]) for _, m in marks if m])
    if top is None:
        return []
    items: list[_Item] = []
    stack: list[tuple[int, int, str]] = []  # (rank, number, label element)
    for i, mk in marks:
        if mk is None:
            continue
        rank, num, elem, mlen = mk
        if rank < top or (not stack and rank != top):
            continue
        parents = [e for e in stack if e[0] < rank]
        if len(parents) >= _MAX_DEPTH:
            continue
        prev = next((e for e in stack if e[0] == rank), None)  # the previous sibling
        if prev is not None:
            # the next number, a small gap, or numbering restarted at the top level
            ok = prev[1] < num <= prev[1] + _MAX_STEP or (rank == top and num == 1 and prev[1] >= 2)
        else:
            ok = 1 <= num <= 2
        if not ok:
            continue
        stack = parents + [(rank, num, elem)]
        ln = lines[i]
        items.append(_Item(ln, tuple(e[2] for e in stack), len(stack), ln.start + mlen))
    return items


_ZH_CLOSING = re.compile(r"^(?:会上|会议还|会议最后|会议结束前|会议期间|会议同时|会后|此外|另外|最后[，,])")
_ATT_LABEL = re.compile(
    r"^(?:(?:出席|列席|参加|参会|缺席|请假|主持|记录)(?:会议)?(?:人员|人)?\s*[：:]"
    r"|(?:(?:Council\s+|Board\s+|Committee\s+|Commission\s+)?Members?\s+(?:Present|Absent)"
    r"|Present|Absent|Excused|Also\s+Present|Staff\s+Present|In\s+Attendance|Attendance|Attendees"
    r"|Recorded\s+by|Minutes\s+(?:taken|recorded)\s+by)\s*[:：])",
    re.IGNORECASE,
)
_TAIL_LINE = re.compile(
    r"^(?:(?:分送|抄送|主送|发送|报送|印送)\s*[：:]"
    r"|.{0,30}(?:整理|印发|制发)$"
    r"|[（(]此件.{0,16}[）)]$"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$"
    r"|[\u4e00-\u9fff]{2,24}(?:人民政府|办公室|办公厅|委员会)$"
    r"|(?:Distribution|cc|Copies\s+to|Respectfully\s+submitted|Submitted\s+by|Prepared\s+by|Attest)\b)",
    re.IGNORECASE,
)


def _attendance_title(text: str) -> str:
    labels = []
    for line in text.split("\n"):
        m = _ATT_LABEL.match(line.strip())
        if m:
            lab = re.sub(r"\s*[:：]$", "", m.group(0)).strip()
            if lab not in labels:
                labels.append(lab)
    sep = "、" if labels and re.match(r"[\u4e00-\u9fff]", labels[0]) else ", "
    return sep.join(labels)


def _is_strong_tail(s: str) -> bool:
    """Tail lines that cannot end an item's text (distribution list, 整理/印发 lines)."""
    return bool(re.match(r"^(?:分送|抄送|主送|印送)\s*[：:]|^.{0,30}(?:整理|印发)$|^[（(]此件", s))


def _is_body(s: str) -> bool:
    """A paragraph of running prose (never part of an attendance list)."""
    return len(s) > 150 and bool(re.search(r"。|[.!?]\s", s))


def _after_agenda(
    text: str, lines: list[_Line], from_line: int, closing_at: int | None, end: int, zh: bool
) -> tuple[int, list[_Span]]:
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
            or _ATT_LABEL.match(ln.text.strip())
        )
    ]
    for k, ln in enumerate(paras):
        s = ln.text.strip()
        if att is not None and _is_body(s):
            att = None  # the label belonged to a header; prose follows
        if att is None and _ATT_LABEL.match(s):
            att = ln.start
            continue
        if closing is None and att is None and _ZH_CLOSING.match(s):
            closing = ln.start
        if tail is None and (_is_strong_tail(s) or (att is not None and _TAIL_LINE.match(s))):
            # weak tail lines (an office name, a date) just before it belong to the tail
            j = k
            while j > 0 and _TAIL_LINE.match(paras[j - 1].text.strip()) and not _ATT_LABEL.match(paras[j - 1].text.strip()) and (att is None or paras[j - 1].start > att):
                j -= 1
            tail = paras[j].start
            break
    if closing is not None and (att is not None and att < closing or tail is not None and tail < closing):
        closing = None
    cuts = [c for c in (closing, att, tail) if c is not None]
    agenda_end = min(cuts) if cuts else end
    labels = _ZH_LABELS if zh else _EN_LABELS
    spans: list[_Span] = []
    if closing is not None:
        c_end = min([c for c in (att, tail) if c is not None] or [end])
        spans.append(_Span("closing", labels["closing"], _first_sentence(text[closing:c_end]), closing, c_end))
    if att is not None:
        a_end = tail if tail is not None else end
        spans.append(_Span("attendance", labels["attendance"], _attendance_title(text[att:a_end]), att, a_end))
    if tail is not None:
        spans.append(_Span("tail", labels["tail"], _first_sentence(text[tail:end]), tail, end))
    return agenda_end, spans


def _zh_spans(text: str, lines: list[_Line]) -> list[_Span] | None:
    items = _zh_items(lines)
    if not items:
        return None
    spans: list[_Span] = []
    first = items[0].line.start
    if text[:first].strip():
        spans.append(_Span("preamble", ("导语",), _first_sentence(text[:first]), 0, first))
    last_idx = lines.index(items[-1].line)
    agenda_end, after = _after_agenda(text, lines, last_idx, None, len(text), True)
    top_title = ""
    for k, it in enumerate(items):
        end = items[k + 1].line.start if k + 1 < len(items) else agenda_end
        if it.depth == 1:
            top_title = _heading_title(text, it, end)
        spans.append(_Span("item", it.label_path, top_title, it.line.start, end))
    return spans + after


def _heading_title(text: str, it: _Item, end: int) -> str:
    head = text[it.body_start : min(it.line.end, end)].strip()
    return _first_sentence(head, 60)


# --------------------------------------------------------------------------- English items

_EN_ITEM = re.compile(
    r"(?:(?<=\s)|^)(?P<item>(?:Agenda\s+)?(?:Item|ITEM)\s+(?:No\.?\s*)?)?(?P<star>\*)?"
    r"(?:(?P<prefix>[A-Z]{1,2})-)?(?P<num>\d{1,4})(?:\.(?!\d)|\))?(?=\s+[\"“(]?[A-Z])",
    re.MULTILINE,
)
_EN_MAX_GAP = 10
_TRANSCRIPT = re.compile(
    r"^(?:Closed\s+Caption(?:ing)?\s+File|CLOSED\s+CAPTION|(?:Verbatim\s+)?Transcript\b|TRANSCRIPT\b)",
    re.MULTILINE,
)
_ADJOURN = re.compile(
    r"(?:There\s+being\s+no\s+further\s+business"
    r"|At\s+\d{1,2}(?::\d{2})?\s*[ap]\.?\s*m\.?,?\s+(?:the\s+)?(?:Council|Board|Commission|Committee|meeting)\s+(?:was\s+|stood\s+)?adjourned"
    r"|(?:The\s+)?(?:meeting|Council|Board|Commission|Committee)\s+(?:was\s+)?adjourned"
    r"|Meeting\s+adjourned)",
    re.IGNORECASE,
)


@dataclass
class _EnCand:
    start: int
    num: int
    strength: int
    body_start: int


def _en_candidates(text: str, end: int) -> list[_EnCand]:
    out = []
    for m in _EN_ITEM.finditer(text, 0, end):
        s = m.start()
        before = text[max(0, s - 2) : s]
        strength = (
            (2 if m.group("item") else 0)
            + (1 if m.group("star") or m.group("prefix") else 0)
            + (1 if s == 0 or before.endswith("\n") or before == "  " else 0)
        )
        out.append(_EnCand(s, int(m.group("num")), strength, m.end()))
    return out


def _en_chain(cands: list[_EnCand]) -> list[_EnCand]:
    """Longest run of strictly increasing item numbers (gaps up to _EN_MAX_GAP), ties
    broken by marker strength."""
    n = len(cands)
    best: list[tuple[int, int]] = [(1, c.strength) for c in cands]
    back = [-1] * n
    for i in range(n):
        lo = max(0, i - 400)  # candidates far back cannot chain with small gaps in practice
        for j in range(lo, i):
            if cands[j].num < cands[i].num <= cands[j].num + _EN_MAX_GAP:
                cand = (best[j][0] + 1, best[j][1] + cands[i].strength)
                if cand > best[i]:
                    best[i], back[i] = cand, j
    if not n:
        return []
    i = max(range(n), key=lambda k: best[k])
    chain = []
    while i >= 0:
        chain.append(cands[i])
        i = back[i]
    return chain[::-1]


def _en_title(text: str, start: int, end: int) -> str:
    s = text[start:end].strip()
    s = re.split(r"\s{2,}|\(|\n\s*\n", s, maxsplit=1)[0]
    return _first_sentence(s, 120)


def _en_spans(text: str, lines: list[_Line]) -> list[_Span] | None:
    tm = _TRANSCRIPT.search(text)
    t_start = tm.start() if tm else len(text)
    chain = _en_chain(_en_candidates(text, t_start))
    spans: list[_Span] = []
    if len(chain) < 2:
        return None
    first = chain[0].start
    if text[:first].strip():
        spans.append(_Span("preamble", ("Preamble",), _shorten(lines[0].text, 80), 0, first))
    last = chain[-1]
    adj = _ADJOURN.search(text, last.body_start, t_start)
    closing_at = None
    if adj:
        # the closing starts with the sentence that says the meeting adjourned
        closing_at = adj.start()
    last_line = max(i for i, ln in enumerate(lines) if ln.start <= last.start)
    agenda_end, after = _after_agenda(text, lines, last_line, closing_at, t_start, False)
    for k, c in enumerate(chain):
        end = chain[k + 1].start if k + 1 < len(chain) else agenda_end
        spans.append(_Span("item", (str(c.num),), _en_title(text, c.body_start, end), c.start, end))
    spans += after
    if tm:
        spans.append(_Span("transcript", ("Transcript",), _en_title(text, t_start, len(text)), t_start, len(text)))
    return spans


# --------------------------------------------------------------------------- fallback


def _paragraph_spans(text: str, lines: list[_Line], zh: bool) -> list[_Span]:
    """One section per paragraph, for minutes without numbered items."""
    tm = None if zh else _TRANSCRIPT.search(text)
    t_start = tm.start() if tm else len(text)
    # the attendance / distribution block at the end still gets its own sections
    _, after = _after_agenda(text, lines, 0, None, t_start, zh)
    after = [s for s in after if s.kind != "closing"]  # a readout's last paragraph is just a paragraph
    agenda_end = after[0].start if after else t_start
    spans: list[_Span] = []
    pending: int | None = None  # start of short heading-like paragraphs merged forward
    n = 0
    paras = _paragraphs(text, 0, agenda_end)
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
        spans.append(_Span("paragraph", label, _first_sentence(text[start:e]), start, e))
    if tm:
        spans.append(_Span("transcript", ("Transcript",), _en_title(text, t_start, len(text)), t_start, len(text)))
    return spans + after


# --------------------------------------------------------------------------- parts


_BOUNDARY_RES = [
    re.compile(r"[。！？；!?;]+[”’」』）)]*|\.(?=\s)|\n\s*\n"),  # sentence ends, paragraph breaks
    re.compile(r"\n"),  # line breaks (hard-wrapped text)
    re.compile(r"[，、,：:]|\s"),  # clause ends, spaces
]


def _part_bounds(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    start, end = _trim(text, start, end)
    if end - start <= max_chars:
        return [(start, end)] if end > start else []
    n = math.ceil((end - start) / max_chars)
    target = (end - start) / n
    out = []
    cur = start
    while end - cur > max_chars:
        lo, hi = cur + int(target * 0.5), cur + max_chars
        cut = None
        for rx in _BOUNDARY_RES:
            ends = [m.end() for m in rx.finditer(text, lo, hi)]
            if ends:
                cut = min(ends, key=lambda x: abs(x - (cur + target)))
                break
        if cut is None:
            cut = hi
        s, e = _trim(text, cur, cut)
        if e > s:
            out.append((s, e))
        cur = cut
    s, e = _trim(text, cur, end)
    if e > s:
        out.append((s, e))
    return out


# --------------------------------------------------------------------------- entry point


def split_minute(minute: Minute, *, max_chars: int = 700) -> list[Section]:
    """Cut a minute into citable sections (see the module docstring for the rules).

    Sections come in document order, do not overlap, have non-blank text, and satisfy
    ``minute.text[s.start:s.end] == s.text``; (label_path, part) is unique per minute."""
    if max_chars < 50:
        raise ValueError("max_chars must be at least 50")
    text = minute.text
    lines = _lines(text)
    if not lines:
        return []
    zh = detect_lang(text) == "zh"
    spans = _zh_spans(text, lines) if zh else _en_spans(text, lines)
    if spans is None:
        spans = _paragraph_spans(text, lines, zh)

    sections: list[Section] = []
    used: dict[tuple[str, ...], int] = {}
    for sp in spans:
        bounds = _part_bounds(text, sp.start, sp.end, max_chars)
        if not bounds:
            continue
        path = sp.label_path
        used[path] = used.get(path, 0) + 1
        if used[path] > 1:  # numbering restarted: keep labels unique
            path = path[:-1] + (f"{path[-1]}-{used[path]}",)
            used[path] = 1
        for part, (s, e) in enumerate(bounds):
            body = text[s:e]
            sections.append(
                Section(
                    section_id=section_id_for(minute.minute_id, path, part, body),
                    minute_id=minute.minute_id,
                    label_path=path,
                    kind=sp.kind,
                    title=sp.title,
                    text=body,
                    start=s,
                    end=e,
                    part=part,
                    parts=len(bounds),
                )
            )
    return sections
