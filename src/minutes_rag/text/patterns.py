"""The written conventions of minutes, in one place: document numbers, meeting numbers,
dates, Chinese numerals, item markers and field labels.

Minutes and questions are read with the same patterns, so a document number, a meeting
number or a date is recognised in a question exactly when it would be in a minute.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from minutes_rag.text.lang import HAN

# ---------------------------------------------------------------- issuing bodies
# How a question names the body that issued a minute, in one place: by its name without the
# kind of body (``body_short_name``: 枫林市科教城 of 枫林市科教城人民政府, portland of City of
# Portland; a reference's scope is narrowed by it) or by the place it governs (``body_places``:
# 苏州 of 苏州市人民政府, also asked as Suzhou through the glossary; the rerank reads it).

# what a question drops of a body's name: 人民政府 is asked as 政府 or left out (枫林市科教城政府
# 第183次常务会议), "City of Portland" and "Portland City Council" are asked as Portland
_ZH_GOVERNMENT = re.compile(r"(?:人民)?政府$")
_EN_BODY_KIND = re.compile(
    r"^(?:the\s+)?(?:city|town|county|village|borough|district)\s+of\s+|\s+(?:(?:city|town|county)\s+)?council$", re.I
)
# the place a Chinese body's name starts with (苏州 of 苏州市…); the capitalised words of an
# English one that are not the kind of body (Portland, Riverton)
_ZH_PLACE = re.compile(rf"^([{HAN}]{{2,8}}?)(?:市|县|区|省|自治州|州)")
_EN_BODY_WORDS = frozenset({"City", "Town", "County", "Village", "Borough", "Council", "Board", "Commission", "Committee",
                            "Government", "Municipal", "Metropolitan", "Regular", "Meeting", "Minutes", "Official",
                            "The", "Of", "Today"})
_EN_PLACE = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*\b")


def _body_name(body: str) -> str:
    """The body's name without the kind of body, case kept."""
    return _EN_BODY_KIND.sub("", _ZH_GOVERNMENT.sub("", body.strip())).strip()


def body_short_name(body: str) -> str:
    """The part of an issuing body's name by which a question names it, lower-cased:
    枫林市科教城人民政府 -> 枫林市科教城, City of Portland -> portland ("" when too short to tell)."""
    name = _body_name(body).lower()
    return name if len(name) >= 2 else ""


def body_places(body: str) -> tuple[str, ...]:
    """The place names an issuing body's name holds: ("苏州",) for 苏州市人民政府, ("Portland",)
    for City of Portland; () when it names none."""
    name = _body_name(body)
    m = _ZH_PLACE.match(name)
    if m:
        return (m.group(1),)
    words = [w for m in _EN_PLACE.finditer(name) for w in m.group(0).replace("-", " ").split()]
    return tuple(dict.fromkeys(w for w in words if w not in _EN_BODY_WORDS))


# ---------------------------------------------------------------- Chinese numerals

CN_DIGITS = {"〇": 0, "○": 0, "Ｏ": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM = "".join(CN_DIGITS) + "".join(CN_UNITS)  # a character class body: f"[{CN_NUM}]"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def cn_to_int(s: str) -> int | None:
    """'102', '一百零二', '二十一', '十', '两千' -> int; '二〇二〇' digit by digit -> 2020;
    None if not a number."""
    s = s.strip().translate(_FULLWIDTH_DIGITS)
    if s.isdigit():
        return int(s)
    if not s or any(c not in CN_DIGITS and c not in CN_UNITS for c in s):
        return None
    if all(c in CN_DIGITS for c in s) and len(s) > 1:  # digit by digit: 二〇二〇
        return int("".join(str(CN_DIGITS[c]) for c in s))
    total, digit = 0, 0
    for c in s:
        if c in CN_DIGITS:
            digit = CN_DIGITS[c]
        else:
            total += (digit or 1) * CN_UNITS[c]
            digit = 0
    return total + digit


def ascii_digits(text: str) -> str:
    """Full-width digits (２０２０) as ASCII; the length of the text is kept."""
    return text.translate(_FULLWIDTH_DIGITS)


# ---------------------------------------------------------------- document numbers

BRACKET_OPEN = "〔［\\[（(【"
BRACKET_CLOSE = "〕］\\]）)】"
# 〔2020〕21号 in any of the brackets minutes and users type: 〔〕 [] （） () 【】 ［］
DOC_NUMBER_CORE = (
    rf"[{BRACKET_OPEN}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{BRACKET_CLOSE}]\s*第?\s*(?P<num>\d{{1,5}})\s*号"
)
# with the issuing office's prefix (苏府〔2020〕21号)
DOC_NUMBER = re.compile(rf"(?P<prefix>[{HAN}]{{0,10}})\s*" + DOC_NUMBER_CORE)
_DOC_NUMBER_CORE = re.compile(DOC_NUMBER_CORE)


def format_doc_number(year: str | int, num: str | int, prefix: str = "") -> str:
    """The normal form of a document number: 〔YYYY〕N号 (number without leading zeros)."""
    return f"{prefix}〔{int(year)}〕{int(num)}号"


def find_doc_numbers(text: str) -> list[str]:
    """Document numbers in ``text``, normalised (〔2020〕21号), without prefix, in order."""
    found = (format_doc_number(m.group("year"), m.group("num")) for m in _DOC_NUMBER_CORE.finditer(text))
    return list(dict.fromkeys(found))


# ---------------------------------------------------------------- meeting numbers

ZH_MEETING_ORDINAL = rf"第\s*(?P<meeting>\d{{1,4}}|[{CN_NUM}]{{1,6}})\s*次"
_ZH_MEETING = re.compile(ZH_MEETING_ORDINAL)
# in a minute: an ordinal that numbers the meeting (第102次常务会议), not 第一次 of the prose
_ZH_MEETING_OF = re.compile(ZH_MEETING_ORDINAL + r"[^，。,；\n]{0,14}?会议")
# "the 102nd executive meeting", "the 50th regular session"
_EN_MEETING = re.compile(
    r"\b(\d{1,4})(?:st|nd|rd|th)\s+(?:[A-Za-z-]+\s+){0,3}?(?:meeting|session|sitting)\b", re.IGNORECASE)


def meeting_numbers(text: str) -> list[int]:
    """Meeting numbers a text names: 第102次 / 第一百零二次 / "the 102nd meeting"."""
    found = [cn_to_int(m.group("meeting")) for m in _ZH_MEETING.finditer(text)]
    found += [int(m.group(1)) for m in _EN_MEETING.finditer(text)]
    return list(dict.fromkeys(n for n in found if n is not None))


def minute_meeting_number(text: str) -> int | None:
    """The number of the meeting a minute records: the first 第N次…会议 of ``text``."""
    m = _ZH_MEETING_OF.search(text)
    return cn_to_int(m.group("meeting")) if m else None


# ---------------------------------------------------------------- dates


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    iso: str  # YYYY-MM-DD


def to_iso(year: int | None, month: int | None, day: int | None) -> str:
    """YYYY-MM-DD, or "" when the parts do not make a date."""
    try:
        return _dt.date(year or 0, month or 0, day or 0).isoformat()
    except (TypeError, ValueError):
        return ""


_CN_DIGIT_CHARS = "".join(CN_DIGITS)
# 2020年6月30日 / 二〇二〇年六月三十日
ZH_DATE = re.compile(
    rf"((?:19|20)\d{{2}}|[{_CN_DIGIT_CHARS}]{{4}})\s*年\s*(\d{{1,2}}|[{CN_NUM}]{{1,3}})\s*月"
    rf"\s*(\d{{1,2}}|[{CN_NUM}]{{1,3}})\s*日"
)

MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
MONTHS = {m: i for i, m in enumerate(MONTH_NAMES, 1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
# a month name or abbreviation (no group), for composing: "Jan", "Jan.", "Sept", "January"
EN_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH = rf"(?P<month>{EN_MONTH})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_EN_DATES = (
    re.compile(rf"\b{_DAY}\s+day\s+of\s+{_MONTH}\s*,?\s*{_YEAR}\b", re.IGNORECASE),  # 12TH DAY OF JANUARY, 2011
    re.compile(rf"\b{_MONTH}\s+{_DAY}\s*,?\s*{_YEAR}\b", re.IGNORECASE),  # January 12, 2011 / Jan. 12th 2011
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\s*,?\s*{_YEAR}\b", re.IGNORECASE),  # 12 Jan 2011 / 12th of January, 2011
)
ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
# any date in any of the forms above, without groups, for composing (compile with IGNORECASE)
DATE = "|".join(re.sub(r"\(\?P<\w+>", "(?:", p) for p in (ZH_DATE.pattern, *(d.pattern for d in _EN_DATES), ISO_DATE.pattern))


def is_iso_date(value: str) -> bool:
    """Whether ``value`` is a date written YYYY-MM-DD (the form filters and metadata use)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    return m is not None and bool(to_iso(int(m.group(1)), int(m.group(2)), int(m.group(3))))


def zh_date_iso(m: re.Match[str]) -> str:
    """The ISO form of a ``ZH_DATE`` match ("" if it is no real date)."""
    return to_iso(cn_to_int(m.group(1)), cn_to_int(m.group(2)), cn_to_int(m.group(3)))


def zh_dates(text: str) -> list[DateMatch]:
    return [DateMatch(m.start(), m.end(), d) for m in ZH_DATE.finditer(text) if (d := zh_date_iso(m))]


def en_dates(text: str) -> list[DateMatch]:
    """English dates with month names or abbreviations, and ISO dates, in text order."""
    found: list[DateMatch] = []
    for pat in _EN_DATES:
        for m in pat.finditer(text):
            month = MONTHS.get(m.group("month").lower().rstrip("."))
            iso = to_iso(int(m.group("year")), month, int(m.group("day")))
            if iso:
                found.append(DateMatch(m.start(), m.end(), iso))
    for m in ISO_DATE.finditer(text):
        iso = to_iso(int(m.group("year")), int(m.group("month")), int(m.group("day")))
        if iso:
            found.append(DateMatch(m.start(), m.end(), iso))
    return _first_of_overlaps(found)


def find_dates(text: str) -> list[DateMatch]:
    """Every date in ``text`` (Chinese, English, ISO), in text order."""
    return _first_of_overlaps(zh_dates(text) + en_dates(text))


def _first_of_overlaps(found: list[DateMatch]) -> list[DateMatch]:
    out: list[DateMatch] = []
    for d in sorted(found, key=lambda d: (d.start, -d.end)):
        if not out or d.start >= out[-1].end:
            out.append(d)
    return out


# ---------------------------------------------------------------- item markers

# Chinese enumerators at the start of a line, in the canonical nesting order of Chinese
# documents: 一、 > （一）/(一) > 1./1、/1． > （1）/(1) > ①. (rank, regex); group 1 is the number.
ZH_ITEM_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    # numbers of any size a minute uses (item 100 is not item 10 followed by text)
    (0, re.compile(r"([一二三四五六七八九十百千零〇]{1,8})[、．](?!\d)")),
    (1, re.compile(r"[（(]([一二三四五六七八九十百零〇]{1,6})[）)]")),
    (2, re.compile(r"(\d{1,4})[.．、](?!\d)")),
    (3, re.compile(r"[（(](\d{1,4})[）)]")),
    (4, re.compile(r"([①-⑳])")),
)


@dataclass(frozen=True)
class ItemMarker:
    rank: int  # index in ZH_ITEM_MARKERS
    number: int
    label: str  # the label-path element: 四, （一）, 1, （1）, ①
    length: int  # characters of the marker


def zh_item_marker(line: str) -> ItemMarker | None:
    """The Chinese item marker ``line`` starts with, if any."""
    for rank, rx in ZH_ITEM_MARKERS:
        m = rx.match(line)
        if not m:
            continue
        g = m.group(1)
        if rank == 4:
            return ItemMarker(rank, ord(g) - ord("①") + 1, g, m.end())
        number = cn_to_int(g) or 0
        label = f"（{g}）" if rank in (1, 3) else g
        return ItemMarker(rank, number, label, m.end())
    return None


# An enumerator that opens a heading or list entry (一、 （一） (1) 1. 1、, and Item 38): where
# a quotable unit starts, and what a section's heading begins with.
ZH_ENUMERATOR = r"(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])"
ENUMERATOR = rf"(?:{ZH_ENUMERATOR}|Item\s+\d+)"
ENUMERATOR_RE = re.compile(ENUMERATOR)
# what opens one item of a list written as sentences: "一是…。二是…。", "（一）…", "第一，…", "①",
# "首先…其次…", "First, … Second, …", "(a) …"
LIST_ITEM = re.compile(
    rf"^\s*(?:{ZH_ENUMERATOR}|[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[，,、]|[①-⑳]|首先|其次|再次|最后"
    r"|(?:first|second|third|fourth|fifth|finally|lastly)(?:ly)?\s*,|\(?[a-h]\)\s)",
    re.I,
)
# Everything that starts a new block of a minute and is never the continuation of the block
# before it (page-break repair): the enumerators above, ①, articles (第三条), English agenda
# entries ("38 Request of", "*42", "S-56", "Item No. 7") and lettered sub-items ("a) ").
BLOCK_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十百千零〇]{1,8}[、．.]"
    r"|[（(][一二三四五六七八九十百零〇]{1,6}[）)]"
    r"|[（(]\d{1,4}[）)]"
    r"|\d{1,4}[.．、](?!\d)"
    r"|[①-⑳]"
    r"|第[一二三四五六七八九十百零〇\d]{1,4}[条章节部分项]"
    r"|\*?(?:[A-Z]{1,2}-)?\d{1,4}[.)]?\s+[\"“(]?[A-Z]"
    r"|(?:Item|ITEM)\s+(?:No\.?\s*)?\d"
    r"|[a-z][.)]\s"
    r")"
)
# ---------------------------------------------------------------- field labels

# Fields of a Chinese minute's attendance block and header.
ATTENDANCE_FIELDS = ("出席", "列席", "参加", "参会", "缺席", "请假", "主持", "记录")
# Fields of the distribution block at the end.
DISTRIBUTION_FIELDS = ("分送", "抄送", "主送", "发送", "报送", "印送")
# Fields that end an attendance list (the next field, the distribution, an attachment).
LIST_END_FIELDS = ("出席", "列席", "请假", "缺席", "记录", "抄送", "分送", "主送", "印发", "发送", "报送",
                   "附件", "主题词", "关键词")


def field_label(*fields: str) -> str:
    """A regex for a field label: one of ``fields`` (spaces allowed between its characters,
    as typeset: 出 席), an optional 会议/人员/单位/领导/人, then a colon. 出席：, 列席人员：, 记 录："""
    alts = "|".join(r"\s*".join(map(re.escape, f)) for f in fields)
    return rf"(?:{alts})(?:会议)?(?:人员|单位|领导|人)?\s*[：:]"


# English attendance labels: Present:, Members Absent:, Also Present:, Recorded by: ...
EN_ATTENDANCE_LABEL = (
    r"(?:(?:Council\s+|Board\s+|Committee\s+|Commission\s+)?Members?\s+(?:Present|Absent)"
    r"|Present|Absent|Excused|Also\s+Present|Staff\s+Present|In\s+Attendance|Attendance|Attendees"
    r"|Recorded\s+by|Minutes\s+(?:taken|recorded)\s+by)\s*[:：]"
)
# Any short label before a colon at the start of a line (会议要求：, Present:, Motion:).
LABEL = rf"(?:[{HAN}]{{1,6}}[：:]|[A-Z][A-Za-z]{{1,20}}(?:[ \t]+[A-Za-z]+){{0,3}}:(?=\s|$))"
LABEL_RE = re.compile(LABEL)
