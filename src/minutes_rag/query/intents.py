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
    Intent(
        "issue_date",
        re.compile(r"印发|下发|发布日期|\bissued?\b", re.I),
        re.compile(r"印发|issued", re.I),
        _ATTENDANCE,
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
