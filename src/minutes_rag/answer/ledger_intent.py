"""Which questions the ledger or a timeline answers, and with what filter.

Four forms, in Chinese and English:
- ``timeline``: what the meetings did about a topic meeting by meeting
  (历次常务会议对老旧小区改造作了哪些部署？ / What has the council decided about X over time?)
- ``assignments``: the tasks a unit was given, optionally in a year
  (2020年市住建局承担了哪些任务？ / What was the Water Bureau directed to do?)
- ``decision``: how a matter was decided (政策性租赁住房试点方案是怎么决定的？ / How was X decided?)
- ``disposition``: what a council referred / adopted / continued
  (What was referred to the Commissioner of Finance?)

Kept in one small module until the one intent table of the ``Query`` analysis exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from minutes_rag.ledger.model import LedgerFilter

_Q_END = r"[？?。.！!\s]*$"
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?:度)?")
_SINCE = re.compile(r"(?:自|从)?((?:19|20)\d{2})\s*年(?:以来|起|至今)|since\s+((?:19|20)\d{2})", re.IGNORECASE)

_ZH_TIMELINE = [
    re.compile(r"(?:历次|历年|各次|每次|多次|历届)[^对就关]{0,12}?(?:对|就|关于)(?P<topic>.+?)"
               r"(?:都|分别|先后)?(?:作了|做了|作出了|做出了|作出|做出|有|进行了|提出了)?(?:哪些|什么|怎样的?|何种)"
               r"(?:部署|决定|安排|要求|研究|讨论|决策)" + _Q_END),
    re.compile(r"(?P<topic>.+?)(?:的)?(?:历次|历年)(?:部署|决定|安排|会议|研究)"),
    re.compile(r"(?P<topic>.+?)(?:的)?(?:时间线|时间轴|脉络|来龙去脉)"),
]
_EN_TIMELINE = [
    re.compile(r"^(?:show\s+(?:me\s+)?)?(?:a\s+|the\s+)?(?:timeline|history)\s+(?:of|for|on)\s+(?P<topic>.+?)" + _Q_END, re.IGNORECASE),
    re.compile(r"what\s+(?:has|have|did)\s+(?:the\s+)?(?:council|government|city|meetings?)\s+"
               r"(?:decided|done|said|discussed|decide|do|say|discuss)\s+(?:about|on|regarding)\s+(?P<topic>.+?)\s+"
               r"(?:over\s+time|meeting\s+by\s+meeting|across\s+(?:the\s+)?meetings|since\s+\d{4})" + _Q_END, re.IGNORECASE),
]
_ZH_ASSIGN = [
    re.compile(r"^(?:请问)?(?P<unit>[^，,。？?\s]{2,24}?)(?:都|一共|共)?(?:承担|负责|牵头|接到|领到|被交办|被安排|被分配)了?"
               r"(?:哪些|什么|多少|几项)(?:任务|工作|事项)" + _Q_END),
    re.compile(r"^(?:会议)?(?:交给|交办给|安排给|分配给|要求)(?P<unit>[^，,。？?\s]{2,24}?)(?:的|了)?(?:哪些|什么)(?:任务|工作|事项)"),
    re.compile(r"^(?P<unit>[^，,。？?\s]{2,24}?)的(?:任务|督办事项|工作任务)(?:有哪些|是什么)" + _Q_END),
]
_EN_ASSIGN = [
    re.compile(r"what\s+(?:was|were|has|have)\s+(?:the\s+)?(?P<unit>.+?)\s+(?:been\s+)?(?:directed|asked|told|tasked|instructed|assigned)"
               r"\s+to\s+do" + _Q_END, re.IGNORECASE),
    re.compile(r"what\s+tasks?\s+(?:was|were|has|have)\s+(?:been\s+)?(?:given|assigned)\s+to\s+(?:the\s+)?(?P<unit>.+?)" + _Q_END, re.IGNORECASE),
]
_ZH_DECISION = [
    re.compile(r"^(?:会议)?(?:对|就|关于)?(?P<topic>.+?)(?:是)?(?:怎么|如何|怎样)(?:决定|议定|审议|处理|定)的?" + _Q_END),
    re.compile(r"^(?:会议)?(?:对|就|关于)(?P<topic>.+?)(?:作出|做出|作|做)了?(?:什么|哪些|何种|怎样的)(?:决定|决议)" + _Q_END),
    re.compile(r"^(?P<topic>.+?)(?:的)?(?:审议结果|审议意见|决定)是什么" + _Q_END),
]
_EN_DECISION = [
    re.compile(r"how\s+(?:was|were)\s+(?:the\s+)?(?P<topic>.+?)\s+decided" + _Q_END, re.IGNORECASE),
    re.compile(r"what\s+(?:was|did\s+the\s+(?:council|meeting))\s+(?:decided|decide)\s+(?:on|about|regarding)\s+(?:the\s+)?"
               r"(?P<topic>.+?)" + _Q_END, re.IGNORECASE),
]
# English dispositions: "What was referred to X?", "Which items were continued?"
_EN_DISPOSITION = re.compile(
    r"(?:what|which(?:\s+items?)?)\s+(?:was|were|got|has\s+been|have\s+been)\s+(?P<verb>referred|adopted|passed|continued|"
    r"accepted|approved|failed|tabled)(?:\s+to\s+(?:the\s+)?(?P<to>.+?))?" + _Q_END, re.IGNORECASE)


@dataclass(frozen=True)
class LedgerIntent:
    """What to read from the ledger: ``kind`` is timeline | assignments | decision | disposition."""

    kind: str
    topic: str = ""  # timeline / decision: the matter asked about
    flt: LedgerFilter = field(default_factory=LedgerFilter)
    outcome: str = ""  # disposition: the verb asked about (referred, adopted ...)


def _clean(s: str) -> str:
    s = s.strip().strip("“”\"'《》「」 ，,")
    return re.sub(r"^(?:the|a|an)\s+", "", s, flags=re.IGNORECASE)


def _year_range(question: str) -> tuple[str, str]:
    m = _SINCE.search(question)
    if m:
        return f"{m.group(1) or m.group(2)}-01-01", ""
    m = _YEAR.search(question)
    if m:
        return f"{m.group(1)}-01-01", f"{m.group(1)}-12-31"
    m = re.search(r"\bin\s+((?:19|20)\d{2})\b", question)
    if m:
        return f"{m.group(1)}-01-01", f"{m.group(1)}-12-31"
    return "", ""


def _strip_dates(s: str) -> str:
    s = _SINCE.sub("", s)
    s = _YEAR.sub("", s)
    return re.sub(r"\b(?:in|since)\s+(?:19|20)\d{2}\b", "", s).strip(" ，,")


def detect(question: str) -> LedgerIntent | None:
    """The ledger intent of ``question``, or None when retrieval should answer it."""
    q = (question or "").strip()
    if not q:
        return None
    date_from, date_to = _year_range(q)
    for pat in _ZH_TIMELINE + _EN_TIMELINE:
        m = pat.search(q)
        if m and _clean(_strip_dates(m.group("topic"))):
            return LedgerIntent("timeline", topic=_clean(_strip_dates(m.group("topic"))),
                                flt=LedgerFilter(date_from=date_from, date_to=date_to))
    m = _EN_DISPOSITION.search(q)
    if m:
        to = _clean(m.group("to") or "")
        return LedgerIntent("disposition", flt=LedgerFilter(kind="decision", keyword=to, date_from=date_from,
                                                            date_to=date_to), outcome=m.group("verb").lower())
    for pat in _ZH_ASSIGN + _EN_ASSIGN:
        m = pat.search(q)
        if m:
            unit = _clean(_strip_dates(m.group("unit")))
            if unit and unit not in ("会议", "市政府", "政府", "大家", "哪个部门", "哪些部门", "谁"):
                return LedgerIntent("assignments", flt=LedgerFilter(dept=unit, kind="assignment", date_from=date_from,
                                                                    date_to=date_to))
    for pat in _ZH_DECISION + _EN_DECISION:
        m = pat.search(q)
        if m and len(_clean(m.group("topic"))) >= 2:
            return LedgerIntent("decision", topic=_clean(_strip_dates(m.group("topic"))),
                                flt=LedgerFilter(kind="decision", date_from=date_from, date_to=date_to))
    return None
