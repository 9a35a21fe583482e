"""References to a particular minute written in a question: 第102次常务会议, 〔2020〕21号,
2020年6月30日, "the January 12, 2011 meeting"; and questions about a minute's metadata
(who chaired, attended, recorded; when it was issued)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOC = re.compile(r"[〔\[（(【［]\s*(\d{4})\s*[〕\]）)】］]\s*(\d{1,4})\s*号")
_MEETING = re.compile(r"第\s*(\d{1,4})\s*次")
# "the 102nd executive meeting", "the 50th regular session": an ordinal that numbers a meeting
_EN_MEETING = re.compile(
    r"\b(\d{1,4})(?:st|nd|rd|th)\s+(?:[A-Za-z-]+\s+){0,3}?(?:meeting|session|sitting)\b", re.IGNORECASE)
_ZH_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        "january february march april may june july august september october november december".split()
    )
}
_EN_DATE = re.compile(
    r"\b(" + "|".join(_MONTHS) + r")\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.IGNORECASE
)
_EN_DATE2 = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(_MONTHS) + r"),?\s+(\d{4})\b", re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")

# metadata intents -> the words that signal them
_INTENTS = {
    "chair": ("主持", "主持人", "chair", "chaired", "presided", "presiding", "led the meeting"),
    "attendees": ("出席", "参加", "参会", "与会", "attended", "attendees", "attendance", "were present", "members present"),
    "observers": ("列席",),
    "recorder": ("记录", "记录人", "recorded", "recorder", "took the minutes", "clerk"),
    "issue_date": ("印发", "发布日期", "issued", "印发日期"),
    # the document number (文号) is printed in the minute's heading, above the first paragraph
    "doc_number": ("文号", "发文字号", "文件编号", "document number", "document no"),
    # officers in attendance and the times members arrived or the meeting adjourned are
    # recorded in the opening (and closing) lines, not in any agenda item
    "officers": ("sergeant at arms", "clerk of the council", "city clerk", "council clerk", "arrived", "arrive",
                 "arrival", "adjourn", "adjourned", "recessed", "recess"),
    "date": ("哪天", "何时", "什么时候", "日期", "哪一天", "when was", "what date", "which date"),
}


@dataclass(frozen=True)
class References:
    doc_numbers: tuple[str, ...] = ()
    meeting_numbers: tuple[int, ...] = ()
    dates: tuple[str, ...] = ()  # YYYY-MM-DD
    intents: tuple[str, ...] = ()

    @property
    def any_minute(self) -> bool:
        return bool(self.doc_numbers or self.meeting_numbers or self.dates)


def find_references(question: str) -> References:
    docs = tuple(f"〔{y}〕{int(n)}号" for y, n in _DOC.findall(question))
    meetings = tuple(dict.fromkeys(int(n) for n in _MEETING.findall(question) + _EN_MEETING.findall(question)))
    dates: list[str] = []
    for y, m, d in _ZH_DATE.findall(question):
        dates.append(f"{int(y):04d}-{int(m):02d}-{int(d):02d}")
    for mon, d, y in _EN_DATE.findall(question):
        dates.append(f"{int(y):04d}-{_MONTHS[mon.lower()]:02d}-{int(d):02d}")
    for d, mon, y in _EN_DATE2.findall(question):
        dates.append(f"{int(y):04d}-{_MONTHS[mon.lower()]:02d}-{int(d):02d}")
    for y, m, d in _ISO.findall(question):
        dates.append(f"{y}-{m}-{d}")
    lower = question.lower()
    intents = tuple(name for name, words in _INTENTS.items() if any(_says(lower, w) for w in words))
    return References(docs, meetings, tuple(dict.fromkeys(dates)), intents)


def _says(lower: str, word: str) -> bool:
    """Chinese words match anywhere; English words only as whole words ("chair" is not "chairs")."""
    if word.isascii():
        return re.search(r"\b" + re.escape(word) + r"\b", lower) is not None
    return word in lower
