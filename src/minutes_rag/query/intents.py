"""The one table of question intents: questions about the meeting itself (who chaired,
attended, recorded; when it was held or issued; its document number) rather than about
what it decided.

Each intent says how a question asks for it, what a sentence that answers it contains (the
extractive answerer's cue) and which parts of a minute hold the answer (retrieval's
metadata candidates). Retrieval, the answerers and the follow-up rewrite all read the
intents of a question from here (``Query.intents``), so they never disagree on one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from minutes_rag.text.patterns import DATE, DOC_NUMBER_CORE


@dataclass(frozen=True)
class Intent:
    name: str
    question: re.Pattern[str]  # a question asking for it
    cue: re.Pattern[str] | None  # what a quoted line must contain (None: no line says it alone)
    kinds: tuple[str, ...]  # the section kinds that hold the answer, best first


_ATTENDANCE = ("attendance", "tail")

# In priority order: the first intent a question matches is its main one (Query.intent).
# English words match as whole words ("chair" is not "chairs", "arrive" not "arrivals");
# 记录 alone is not the recorder ("会议记录了哪些意见？" asks what was recorded).
INTENTS: tuple[Intent, ...] = (
    Intent(
        "chair",
        re.compile(r"主持|\bwho\s+(?:chaired|presided|led)\b|\bpresid|\bchair(?:ed|ing|man|person)?\b"
                   r"|\bled\s+the\s+meeting\b", re.I),
        re.compile(r"主持|presid|chair", re.I),
        ("preamble",),
    ),
    Intent("observers", re.compile(r"列席"), re.compile(r"列席"), _ATTENDANCE),
    Intent(
        "attendees",
        re.compile(r"出席|参会|与会|到会|参加.{0,4}(?:会议|人员)|\battend|\bpresent\b|\bwho\s+was\s+there\b", re.I),
        re.compile(r"出席|参会|与会|到会|\bpresent\b|attend", re.I),
        _ATTENDANCE,
    ),
    Intent(
        "recorder",
        re.compile(r"记录(?:人|员)|谁.{0,3}记录|记录.{0,3}(?:是谁|谁)|\brecord(?:ed|er)\b|\bclerk\b"
                   r"|minute[- ]?taker|took\s+the\s+minutes", re.I),
        re.compile(r"记录[：:]|record|clerk", re.I),
        _ATTENDANCE,
    ),
    # when the minute was issued: a question for a date ("是哪天印发的？", "On what date was it
    # issued?"); "修改后印发实施" / "before it is issued" in a question about a task is not
    Intent(
        "issue_date",
        re.compile(r"(?:哪天|哪一天|何时|什么时候|几月几日|日期|时间)[^，,。？?]{0,12}(?:印发|下发|发布)"
                   r"|(?:印发|下发|发布)(?:的)?(?:日期|时间|于哪天|于何时)"
                   r"|\b(?:when|(?:what|which)\s+(?:date|day))\b[^?]*\bissued?\b|\bissued?\s+(?:on|when)\b"
                   r"|\bissue\s+date\b|\bdate\s+of\s+issue\b", re.I),
        re.compile(r"印发|issued", re.I),
        _ATTENDANCE,
    ),
    # who compiled the minute (the closing "XX办公室整理" line of a Chinese minute)
    Intent(
        "compiler",
        re.compile(r"(?:哪个|哪家|哪一个|什么|谁)[^，,。？?]{0,6}整理|整理(?:的)?(?:单位|部门|机关|人)"
                   r"|\b(?:compiled|prepared)\s+(?:by\b|the\s+minutes?\b)|\bwho\s+(?:compiled|prepared)\b", re.I),
        re.compile(r"整理|\bcompiled\b|\bprepared\s+by\b", re.I),
        ("tail",),
    ),
    # the document number (文号) is printed in the minute's heading, above the first paragraph
    Intent(
        "doc_number",
        re.compile(r"文号|发文字号|文件编号|纪要.{0,3}编号|\bdocument\s+(?:number|no)\b", re.I),
        re.compile(DOC_NUMBER_CORE),
        ("preamble",),
    ),
    # officers in attendance and the times members arrived or the meeting adjourned are
    # recorded in the opening (and closing) lines, not in any agenda item; no single cue word
    Intent(
        "officers",
        re.compile(r"\b(?:sergeant\s+at\s+arms|clerk\s+of\s+the\s+council|city\s+clerk|council\s+clerk"
                   r"|arrived?|arrival|adjourn(?:ed)?|recess(?:ed)?)\b", re.I),
        None,
        ("preamble", "attendance", "tail", "closing"),
    ),
    # when the meeting was held; "什么时候前提出实施意见" (a deadline in a decision) is not
    Intent(
        "date",
        re.compile(
            r"(?:什么时候|何时|哪天|哪一天|日期|几月几日|时间).{0,8}(?:召开|举行|开会|开的)"
            r"|(?:召开|举行|开会).{0,6}(?:时间|日期)|会议(?:的)?(?:日期|时间)"
            r"|\b(?:what|which)\s+(?:date|day)\b|\bwhen\b.*\b(?:held|meet|met|meeting|convened?)\b", re.I),
        re.compile(DATE, re.I),  # a date as minutes write it (2020年6月30日, 12TH DAY OF JANUARY, 2011)
        ("preamble",),
    ),
)
BY_NAME = {i.name: i for i in INTENTS}


def find_intents(question: str) -> tuple[str, ...]:
    """The names of the intents ``question`` matches, main one first (may be empty)."""
    return tuple(i.name for i in INTENTS if i.question.search(question))


def cue(name: str) -> re.Pattern[str] | None:
    """What a sentence answering intent ``name`` contains; None for no intent or no cue."""
    intent = BY_NAME.get(name)
    return intent.cue if intent is not None else None


def wanted_kinds(names: tuple[str, ...]) -> tuple[str, ...]:
    """The section kinds that hold the answers to these intents, best first: the widest
    request first (officers are in the opening and closing lines), the preamble when no
    intent names a place."""
    intents = sorted((BY_NAME[n] for n in names if n in BY_NAME), key=lambda i: -len(i.kinds))
    kinds = [k for i in intents for k in i.kinds]
    return tuple(dict.fromkeys(kinds or ["preamble"]))


# --------------------------------------------------------------------------- the ledger
# Questions the ledger (督办台账) or a topic timeline answers, in Chinese and English:
# - ``timeline``: what the meetings did about a topic, meeting by meeting
#   (历次常务会议对老旧小区改造作了哪些部署？ / What has the council decided about X over time?)
# - ``assignments``: the tasks a unit was given, optionally in a year
#   (2020年市住建局承担了哪些任务？ / What was the Water Bureau directed to do?)
# - ``decision``: how a matter was decided (政策性租赁住房试点方案是怎么决定的？ / How was X decided?)
# - ``disposition``: what a council referred / adopted / continued
#   (What was referred to the Commissioner of Finance?)
# Checked in this order; the first form that matches is the question's (Query.ledger).

_Q_END = r"[？?。.！!\s]*$"
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?:度)?")
_SINCE = re.compile(r"(?:自|从)?((?:19|20)\d{2})\s*年(?:以来|起|至今)|since\s+((?:19|20)\d{2})", re.IGNORECASE)

_ZH_TIMELINE = [
    re.compile(r"(?:历次|历年|各次|每次|多次|历届)[^对就关]{0,12}?(?:对|就|关于)(?P<topic>.+?)"
               r"(?:都|分别|先后)?(?:作了|做了|作出了|做出了|作出|做出|有|进行了|提出了)?(?:哪些|什么|怎样的?|何种)"
               r"(?:部署|决定|安排|要求|研究|讨论|决策)" + _Q_END),
    re.compile(r"(?P<topic>.+?)(?:的)?(?:历次|历年)(?:部署|决定|安排|会议|研究)"),
    re.compile(r"(?P<topic>.+?)(?:的)?(?:时间线|时间轴|脉络|来龙去脉)"),
    # which meetings took a topic up: 哪些会议研究了垃圾分类工作？ / 垃圾分类在哪些会议上讨论过？
    re.compile(r"^(?:请问)?(?:有)?(?:哪些|哪几次|哪几个|哪次)(?:常务)?会议(?:上)?(?:都)?(?:研究|讨论|审议|部署|涉及|提到|谈到|听取)"
               r"(?:了|过)?(?:关于)?(?P<topic>.+?)" + _Q_END),
    re.compile(r"^(?P<topic>[^，,。？?]+?)(?:问题|工作|事项)?在哪些(?:常务)?会议上(?:被)?(?:研究|讨论|审议|部署|提到|谈到)(?:过|了)?" + _Q_END),
]
_EN_TIMELINE = [
    re.compile(r"^(?:show\s+(?:me\s+)?)?(?:a\s+|the\s+)?(?:timeline|history)\s+(?:of|for|on)\s+(?P<topic>.+?)" + _Q_END, re.IGNORECASE),
    # Which meetings discussed fire safety? / When was fire safety discussed?
    re.compile(r"^(?:which|what)\s+(?:(?:council|executive|city|government)\s+)?meetings?\s+(?:have\s+|has\s+)?"
               r"(?:discussed|considered|addressed|covered|debated|mentioned|(?:dealt|dealing)\s+with|talked\s+about|took\s+up"
               r"|looked\s+at|decided\s+(?:on|about))\s+(?P<topic>.+?)" + _Q_END, re.IGNORECASE),
    re.compile(r"^when\s+(?:was|were|has|have|did)\s+(?:the\s+)?(?:council\s+|meetings?\s+|city\s+)?(?P<topic>.+?)\s+"
               r"(?:been\s+)?(?:discussed|considered|debated|taken\s+up|addressed|discuss|consider|debate|address)"
               r"(?:\s+(?:at|in)\s+(?:the\s+|a\s+)?meetings?)?" + _Q_END, re.IGNORECASE),
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
class LedgerAsk:
    """What a question asks of the ledger: ``kind`` is timeline | assignments | decision |
    disposition (the Assistant turns it into the ledger's filter)."""

    kind: str
    topic: str = ""  # timeline / decision: the matter asked about
    unit: str = ""  # assignments: the unit (lead or partner)
    keyword: str = ""  # disposition: the body referred to ("Commissioner of Finance")
    outcome: str = ""  # disposition: the verb asked about (referred, adopted ...)
    date_from: str = ""  # 2020年 -> 2020-01-01 .. 2020-12-31; 自2019年以来 / since 2019 -> from only
    date_to: str = ""


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


def find_ledger_ask(question: str) -> LedgerAsk | None:
    """What ``question`` asks of the ledger, or None when retrieval should answer it."""
    q = (question or "").strip()
    if not q:
        return None
    date_from, date_to = _year_range(q)
    for pat in _ZH_TIMELINE + _EN_TIMELINE:
        m = pat.search(q)
        if m and _clean(_strip_dates(m.group("topic"))):
            return LedgerAsk("timeline", topic=_clean(_strip_dates(m.group("topic"))), date_from=date_from,
                             date_to=date_to)
    m = _EN_DISPOSITION.search(q)
    if m:
        to = _clean(m.group("to") or "")
        return LedgerAsk("disposition", keyword=to, outcome=m.group("verb").lower(), date_from=date_from,
                         date_to=date_to)
    for pat in _ZH_ASSIGN + _EN_ASSIGN:
        m = pat.search(q)
        if m:
            unit = _clean(_strip_dates(m.group("unit")))
            if unit and unit not in ("会议", "市政府", "政府", "大家", "哪个部门", "哪些部门", "谁"):
                return LedgerAsk("assignments", unit=unit, date_from=date_from, date_to=date_to)
    for pat in _ZH_DECISION + _EN_DECISION:
        m = pat.search(q)
        if m and len(_clean(m.group("topic"))) >= 2:
            return LedgerAsk("decision", topic=_clean(_strip_dates(m.group("topic"))), date_from=date_from,
                             date_to=date_to)
    return None
