"""Metadata of Chinese government minutes (市政府常务会议纪要): the title line, the document
number (〔2020〕21号), the preamble "2020年6月30日上午，李亚平市长主持召开市政府第102次常务会议",
the 出席/列席 block, 记录, the 印发 date. Each field is read only where the text states it;
anything not found stays empty, never guessed.
"""

from __future__ import annotations

import re

from minutes_rag.model import MinuteMeta
from minutes_rag.parse.attendance import extract_attendance
from minutes_rag.text.lang import HAN
from minutes_rag.text.patterns import (
    DOC_NUMBER,
    ZH_DATE,
    ZH_MEETING_ORDINAL,
    field_label,
    format_doc_number,
    minute_meeting_number,
    zh_date_iso,
    zh_dates,
)

_KIND = re.compile(
    rf"^(?P<body>.*?)(?:{ZH_MEETING_ORDINAL})?"
    r"(?P<kind>(?:常务|专题|办公|全体|工作|联席|主任|党组|协调|现场|市长办公|区长办公|县长办公|局长办公|主任办公)?会议纪要|纪要)"
)
_NEWS_BODY = re.compile(rf"^([{HAN}]{{2,20}}?(?:人民政府|政府|委员会|管委会))(?:召开|举行)")
_TITLES = sorted(
    """常务副市长 副市长 市长 常务副区长 副区长 区长 常务副县长 副县长 县长 常务副省长 副省长 省长
    副州长 州长 副镇长 镇长 副主任 主任 副书记 书记 副局长 局长 副秘书长 秘书长 副主席 主席
    副院长 院长 副部长 部长 副厅长 厅长 副主任委员 主任委员 常务副主任 总理 副总理 组长 副组长 总指挥""".split(),
    key=len,
    reverse=True,
)
_TITLE_ALT = "|".join(_TITLES)
_NAME = rf"[{HAN}]{{2,3}}?"
_CHAIR_PATTERNS = (
    # 李亚平市长主持召开 / ，王翔副市长主持
    re.compile(rf"(?:^|[，,。；;\s：:、]|上午|下午|晚上|早上|中午|日)(?P<name>{_NAME})(?:{_TITLE_ALT})(?:同志)?主持"),
    # 会议由张三副市长主持 / 由李亚平主持召开
    re.compile(rf"由\s*(?P<name>{_NAME})(?:{_TITLE_ALT})?(?:同志)?主持"),
    # 市长李亚平主持 / 国务院总理李强8月30日主持召开 / 市长龚正今天主持召开 (readouts)
    re.compile(rf"(?:{_TITLE_ALT})(?P<name>{_NAME})(?:同志)?(?:\d{{1,2}}月\d{{1,2}}日|今天|今日|日前|近日)?"
               r"(?:上午|下午|晚上)?主持"),
    # 主持：李亚平 / 主持人：李亚平
    re.compile(field_label("主持") + rf"\s*(?P<name>[{HAN}]{{2,4}})"),
)
_RECORDER = re.compile(field_label("记录") + r"\s*(?P<names>[^\n]+)")
_ISSUE = re.compile(ZH_DATE.pattern + r"\s*印\s*发")


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def _zh_title(lines: list[str]) -> tuple[str, str]:
    """(title, body) from the first lines: the one that says 纪要, possibly over two lines."""
    head = lines[:6]
    for i, line in enumerate(head):
        candidates = [line]
        if i + 1 < len(head):
            candidates.append(line + head[i + 1])
        for cand in candidates:
            compact = re.sub(r"\s+", "", cand)
            if "纪要" in compact and len(compact) <= 40 and not re.search(r"[。，]", compact):
                title = compact[: compact.index("纪要") + 2]  # drop a trailing (第21期) and such
                m = _KIND.match(title)
                body = m.group("body").strip() if m else ""
                return title, body
    # News-style readouts have a headline instead: "东湖市政府召开第114次常务会议"
    if head:
        first = re.sub(r"\s+", "", head[0])
        if len(first) <= 40 and "会议" in first and not re.search(r"[。；;，,]", first):
            m = _NEWS_BODY.match(first)
            return first, (m.group(1) if m else "")
    return "", ""


def _zh_preamble(text: str) -> tuple[int, str]:
    """Where the opening sentence starts and its text: the first line holding a date whose
    sentence speaks of the meeting (主持/召开/会议). Works on lines, not paragraphs: PDF
    text has no blank lines between paragraphs, and the sentence may wrap."""
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if not ZH_DATE.search(line):
            continue
        chunk = text[start : start + 400]
        end = re.search(r"\n\s*\n|。", chunk)
        sentence = chunk[: end.start()] if end else chunk
        if re.search(r"主持|召开|会议", sentence):
            return start, sentence
    return -1, ""


def _zh_doc_number(text: str, preamble_at: int) -> str:
    # The number sits in the header, above the preamble: look only there, so that a
    # document cited in the body (苏府〔2019〕3号) is never taken for the minute's own.
    head = text[:preamble_at] if preamble_at >= 0 else text[:600]
    for line in _lines(head)[:12]:
        m = DOC_NUMBER.search(line)
        if not m:
            continue
        prefix = m.group("prefix")
        if any(w in prefix for w in ("纪要", "会议", "政府", "根据", "号")):
            prefix = ""
        return format_doc_number(m.group("year"), m.group("num"), prefix)
    return ""


def _zh_meeting_number(preamble: str, text: str) -> int | None:
    for where in (preamble, text[:3000]):
        n = minute_meeting_number(where)
        if n is not None:
            return n
    return None


def _zh_meeting_date(preamble: str, text: str) -> str:
    if preamble:
        dates = zh_dates(preamble)
        if dates:
            return dates[0].iso
    # no preamble sentence: the first date of the text that is not the issue date
    stop = re.search(r"出\s*席|列\s*席", text)
    region = text[: stop.start()] if stop else text
    for d in zh_dates(region):
        if not re.match(r"\s*印\s*发", region[d.end : d.end + 6]):
            return d.iso
    return ""


def _date(title: str, preamble: str, text: str) -> str:
    """A minute's own date, or a readout's meeting date (never its publication stamp)."""
    if "纪要" not in title:
        found = readout_date(text)
        if found is not None:
            return found
    return _zh_meeting_date(preamble, text)


def _zh_chair(preamble: str, text: str) -> str:
    for where in (preamble, text[:3000]):
        best: tuple[int, str] | None = None
        for pat in _CHAIR_PATTERNS:
            m = pat.search(where)
            if m and (best is None or m.start("name") < best[0]):
                best = (m.start("name"), m.group("name"))
        if best:
            return best[1]
    return ""


def _zh_recorder(text: str) -> str:
    m = _RECORDER.search(text)
    if not m:
        return ""
    names = [n for n in re.split(r"[\s、，,；;]+", m.group("names")) if re.fullmatch(rf"[{HAN}]{{2,4}}", n)]
    return "、".join(names)


def _zh_issue_date(text: str) -> str:
    found = ""
    for m in _ISSUE.finditer(text):
        found = zh_date_iso(m) or found  # the last one: the 印发 line closes the minute
    return found


# A news item's publication stamp opening the text: "2023-07-14 20:18，正文：", "来源：X日报 |
# 2023年07月20日 09:51:31，正文：", "23-08-17 05:50，" (a date with a time: when it was
# published, not when the meeting met)
_STAMP = re.compile(
    r"^\s*(?:来源：[^\n|｜]{0,40}[|｜]\s*)?(?P<y>\d{4}|\d{2})[-年/.](?P<mo>\d{1,2})[-月/.](?P<d>\d{1,2})日?"
    r"\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?"
)
# in the article: a dateline (8月10日讯 / 8月16日电) moves the reference; the meeting's own day
# is 7月19日, 今天 / 今日, or 28日 (this month), 近日 / 日前 (not known)
_READOUT_DAY = re.compile(
    r"(?P<mo>\d{1,2})月(?P<d>\d{1,2})日(?P<line>讯|电)?|(?P<today>今天|今日)|(?P<vague>近日|日前)"
    r"|(?<![月\d])(?P<day>\d{1,2})日(?:上午|下午|晚上?)?[，,]"
)
# how far into the article the meeting's day is looked for (its first sentence or two)
_READOUT_DAY_WINDOW = 300


# a readout names its body where the meeting is called: 主持召开国务院常务会议, 应急管理部召开会议,
# 闵行区司法局召开…, 国务院国资委党委召开扩大会议; a name relative to the reader (市政府, 省委统战部)
# is not a body's name and is left out
_READOUT_BODY = (
    re.compile(rf"主持召开(?P<body>[{HAN}]{{2,10}}?)(?:第[^，。]{{1,10}}次)?(?:常务|全体)会议"),
    re.compile(rf"(?:^|[，,。\s）)日讯电])(?P<body>[{HAN}]{{2,14}}?(?:部|局|委|院|厅|法院|政府|委员会|政协|人大常委会)"
               r"(?:党组|党委)?)(?:召开|举行)"),
)
_RELATIVE_BODY = re.compile(r"^(?:市|省|区|县|州|本|我|十|该)")


def readout_body(text: str) -> str:
    """The body a readout names where the meeting is called (see _READOUT_BODY), or ""."""
    head = text[: _READOUT_DAY_WINDOW + 100]
    for pat in _READOUT_BODY:
        for m in pat.finditer(head):
            body = m.group("body")
            if not _RELATIVE_BODY.match(body):
                return body
    return ""


def readout_date(text: str) -> str | None:
    """The meeting date of a news readout that opens with a publication stamp: the day the
    article names, the year (and month) taken from the stamp. None: no stamp; "": not said."""
    m = _STAMP.match(text)
    if not m:
        return None
    year = int(m.group("y")) + (2000 if len(m.group("y")) == 2 else 0)
    month, day = int(m.group("mo")), int(m.group("d"))
    for d in _READOUT_DAY.finditer(text, m.end(), m.end() + _READOUT_DAY_WINDOW):
        if d.group("vague"):
            return ""
        if d.group("today"):
            return f"{year:04d}-{month:02d}-{day:02d}"
        if d.group("day"):
            return f"{year:04d}-{month:02d}-{int(d.group('day')):02d}"
        mo, dd = int(d.group("mo")), int(d.group("d"))
        y = year - 1 if mo > month + 1 else year  # a December meeting published in January
        if d.group("line"):
            year, month, day = y, mo, dd
            continue
        return f"{y:04d}-{mo:02d}-{dd:02d}"
    return ""


def zh_metadata(text: str) -> MinuteMeta:
    """The metadata of a Chinese minute (text with ASCII digits)."""
    lines = _lines(text)
    title, body = _zh_title(lines)
    preamble_at, preamble = _zh_preamble(text)
    attendees, observers = extract_attendance(text)
    return MinuteMeta(
        lang="zh",
        body=body or ("" if "纪要" in title else readout_body(text)),
        title=title,
        doc_number=_zh_doc_number(text, preamble_at),
        meeting_number=_zh_meeting_number(preamble, text),
        date=_date(title, preamble, text),
        chair=_zh_chair(preamble, text),
        attendees=tuple(attendees),
        observers=tuple(observers),
        recorder=_zh_recorder(text),
        issue_date=_zh_issue_date(text),
    )
