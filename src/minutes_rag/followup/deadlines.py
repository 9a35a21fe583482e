"""Deadlines as dates: 年底前, 6月30日前, 三季度末, 下月中旬, 月底前, 一季度, "by March 1",
"within 30 days", "by the end of the year", read relative to the meeting's date.

The ledger keeps the deadline's words verbatim (``LedgerEntry.deadline``); this turns them
into the last day the task may take, or None when the words name no day (尽快, 春节前, "by
the next meeting"): an entry without a date is never overdue. A day or month that is
already past at the meeting means the next year's (a meeting in November that says 3月底前
means next March). "Before month X" (6月前) is read as the end of the month before it.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from minutes_rag.text.patterns import CN_NUM, MONTHS, ascii_digits, cn_to_int

_N = rf"(?:\d{{1,4}}|[{CN_NUM}]+)"
_YEAR = r"(?:(?P<year>\d{4}|[〇○零一二三四五六七八九]{4})\s*年|(?P<rel>今|本|当|明|次|下)年度?)?"

_ZH_DAY = re.compile(_YEAR + rf"\s*(?P<month>{_N})\s*月\s*(?P<day>{_N})\s*[日号]")
_ZH_MONTH_PART = re.compile(
    _YEAR + rf"\s*(?:(?P<month>{_N})\s*月份?|(?P<mrel>本|当|下|次|上)个?月)\s*(?P<part>底|末|上旬|中旬|下旬|初|份|前|之前|以前|内)?"
)
_ZH_BARE_MONTH_END = re.compile(r"(?P<part>月底|月末)")
_ZH_QUARTER = re.compile(_YEAR + r"\s*第?(?P<q>[一二三四1-4])\s*季度")
_ZH_HALF = re.compile(_YEAR + r"\s*(?P<half>上半年|下半年|年中|年底|年末|年内|底)")
_ZH_WITHIN = re.compile(rf"(?P<n>{_N})\s*个?\s*(?P<unit>工作日|日|天|周|星期|个月|月)\s*(?:内|之内)")

_EN_WITHIN = re.compile(
    r"\bwithin\s+(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|thirty|sixty|ninety)\s+"
    r"(?P<kind>business\s+|working\s+|calendar\s+)?(?P<unit>days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)
_EN_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
             "ten": 10, "twelve": 12, "thirty": 30, "sixty": 60, "ninety": 90}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_EN_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?(?:,?\s*(?P<year>\d{{4}}))?", re.IGNORECASE)
_EN_DAY_MONTH = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s*(?P<year>\d{{4}}))?", re.IGNORECASE)
_EN_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
_EN_NUMERIC = re.compile(r"\b(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{2,4})\b")
_EN_END_OF_MONTH_NAME = re.compile(rf"\bend\s+of\s+(?:the\s+month\s+of\s+)?{_MONTH}(?:,?\s*(?P<year>\d{{4}}))?", re.IGNORECASE)
_EN_MONTH_ALONE = re.compile(rf"\b(?:by|before|in)\s+{_MONTH}(?:,?\s*(?P<year>\d{{4}}))?\b", re.IGNORECASE)
_EN_YEAR_END = re.compile(r"\b(?:end\s+of\s+(?:the\s+)?(?:(?P<fiscal>fiscal\s+)?year|(?P<yr>\d{4}))|year[- ]end|(?:this|the)\s+year)\b", re.IGNORECASE)
_EN_MONTH_END = re.compile(r"\bend\s+of\s+(?:the\s+|this\s+)?month\b", re.IGNORECASE)
_EN_NEXT_MONTH = re.compile(r"\b(?:end\s+of\s+)?next\s+month\b", re.IGNORECASE)
_EN_QUARTER = re.compile(
    r"\b(?:end\s+of\s+)?(?:the\s+)?(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter|q(?P<n>[1-4]))\b",
    re.IGNORECASE,
)
_EN_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(m: re.Match[str], meeting: date) -> tuple[int, bool]:
    """The year a match names, and whether it named one (a year not named rolls forward)."""
    if m.groupdict().get("year"):
        y = cn_to_int(m.group("year")) or meeting.year
        return (y + 2000 if y < 100 else y), True
    rel = m.groupdict().get("rel")
    if rel:
        return meeting.year + (1 if rel in "明次下" else 0), True
    return meeting.year, False


def _not_past(d: date | None, meeting: date, explicit: bool) -> date | None:
    """A date without a year that is already past at the meeting is next year's."""
    if d is not None and not explicit and d < meeting:
        return _safe(d.year + 1, d.month, d.day) or _month_end(d.year + 1, d.month)
    return d


def _workdays(start: date, n: int) -> date:
    d = start
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def _within(n: int, unit: str, meeting: date, business: bool) -> date:
    unit = unit.lower()
    if unit.startswith(("工作日",)) or (business and unit.startswith("day")):
        return _workdays(meeting, n)
    if unit.startswith(("日", "天", "day")):
        return meeting + timedelta(days=n)
    if unit.startswith(("周", "星期", "week")):
        return meeting + timedelta(weeks=n)
    if unit.startswith("year"):
        return _add_months(meeting, 12 * n)
    return _add_months(meeting, n)


def _zh(text: str, meeting: date) -> date | None:
    text = ascii_digits(text)
    m = _ZH_WITHIN.search(text)
    if m and (n := cn_to_int(m.group("n"))):
        return _within(n, m.group("unit"), meeting, business=False)
    m = _ZH_DAY.search(text)
    if m:
        year, explicit = _year(m, meeting)
        month, day = cn_to_int(m.group("month")) or 0, cn_to_int(m.group("day")) or 0
        return _not_past(_safe(year, month, day), meeting, explicit)
    m = _ZH_QUARTER.search(text)
    if m:
        year, explicit = _year(m, meeting)
        q = cn_to_int(m.group("q")) or 4
        return _not_past(_month_end(year, 3 * q), meeting, explicit)
    m = _ZH_MONTH_PART.search(text)
    if m:
        year, explicit = _year(m, meeting)
        if m.group("month"):
            month = cn_to_int(m.group("month")) or 0
            if not 1 <= month <= 12:
                return None
        else:  # 本月 / 下月 / 上月
            shifted = _add_months(meeting.replace(day=1), {"下": 1, "次": 1, "上": -1}.get(m.group("mrel"), 0))
            year, month, explicit = shifted.year, shifted.month, True
        part = m.group("part") or "底"
        if part in ("前", "之前", "以前") and m.group("month"):  # 6月前: before June
            end = date(year, month, 1) - timedelta(days=1)
        elif part == "上旬":
            end = date(year, month, 10)
        elif part == "中旬":
            end = date(year, month, 20)
        elif part == "初":
            end = date(year, month, 5)
        else:  # 底, 末, 下旬, 份, 内
            end = _month_end(year, month)
        return _not_past(end, meeting, explicit)
    if _ZH_BARE_MONTH_END.search(text):
        return _month_end(meeting.year, meeting.month)
    m = _ZH_HALF.search(text)
    if m:
        year, _ = _year(m, meeting)
        half = m.group("half")
        if half in ("上半年", "年中"):
            return _not_past(date(year, 6, 30), meeting, bool(m.group("year") or m.group("rel")))
        return date(year, 12, 31)
    return None


def _en(text: str, meeting: date) -> date | None:
    m = _EN_WITHIN.search(text)
    if m:
        raw = m.group("n").lower()
        n = int(raw) if raw.isdigit() else _EN_WORDS[raw]
        return _within(n, m.group("unit"), meeting, business=bool(m.group("kind")) and "calendar" not in m.group("kind").lower())
    for pattern in (_EN_ISO, _EN_NUMERIC):
        m = pattern.search(text)
        if m:
            year = int(m.group("year"))
            return _safe(year + 2000 if year < 100 else year, int(m.group("month")), int(m.group("day")))
    m = _EN_END_OF_MONTH_NAME.search(text)
    if m:
        month = MONTHS[m.group("month").lower().rstrip(".")]
        explicit = bool(m.group("year"))
        return _not_past(_month_end(int(m.group("year") or meeting.year), month), meeting, explicit)
    for pattern in (_EN_MONTH_DAY, _EN_DAY_MONTH):
        m = pattern.search(text)
        if m:
            month = MONTHS[m.group("month").lower().rstrip(".")]
            explicit = bool(m.group("year"))
            return _not_past(_safe(int(m.group("year") or meeting.year), month, int(m.group("day"))), meeting, explicit)
    m = _EN_QUARTER.search(text)
    if m:
        q = int(m.group("n")) if m.group("n") else _EN_ORD[m.group("ord").lower()]
        return _not_past(_month_end(meeting.year, 3 * q), meeting, False)
    m = _EN_YEAR_END.search(text)
    if m:
        if m.group("fiscal"):  # a fiscal year ends when the body's does: no day to name
            return None
        return date(int(m.group("yr")) if m.group("yr") else meeting.year, 12, 31)
    if _EN_NEXT_MONTH.search(text):
        return _month_end(*_shift_month(meeting, 1))
    if _EN_MONTH_END.search(text):
        return _month_end(meeting.year, meeting.month)
    m = _EN_MONTH_ALONE.search(text)
    if m:
        month = MONTHS[m.group("month").lower().rstrip(".")]
        explicit = bool(m.group("year"))
        return _not_past(_month_end(int(m.group("year") or meeting.year), month), meeting, explicit)
    return None


def _shift_month(d: date, months: int) -> tuple[int, int]:
    shifted = _add_months(d.replace(day=1), months)
    return shifted.year, shifted.month


def deadline_date(text: str, meeting_date: str) -> str:
    """The deadline's last day as "YYYY-MM-DD", or "" when the words name no day or the
    meeting's date is unknown (a relative deadline needs it)."""
    if not text or not meeting_date:
        return ""
    try:
        meeting = date.fromisoformat(meeting_date)
    except ValueError:
        return ""
    found = _en(text, meeting) if text.isascii() else _zh(text, meeting)
    return found.isoformat() if found else ""
