"""What kind of answer a question asks for, decided once per question (fields of ``Query``).

``Query.answer_type`` names the kind of fact ("since", "year", "time", "number", "decided",
"department", "title", or "" for none in particular); ``Query.is_list`` says whether the
question asks for every item of a list ("哪些措施", "哪几个方面", "which items", "What
measures ..."). The answerers read them (and the cues below, through the Query) instead of
matching the question again: one home for the decision.
"""

from __future__ import annotations

import re

from minutes_rag.text.lang import HAN

_LIST_Q = re.compile(
    r"哪些|有哪几|哪几[个项条方]|分别|都有|包括什么|列出|"
    r"\bwhich\s+(?:items|ones|departments|people|members|commissioners|councillors|councilors|projects|agreements|grants)\b"
    r"|\bwho\s+(?:were|are)\b|\blist\b|\bwhat\s+(?:items|projects|grants|contracts)\b"
    # measures, steps, requirements ... asked for in the plural (issue 20: "采取哪些措施来…" is
    # matched by 哪些 above; "What measures …", "在哪几方面", "什么措施")
    r"|\bwhat\s+(?:measures|steps|actions|requirements|conditions|aspects|areas|tasks|changes|recommendations)\b"
    r"|\bin\s+what\s+(?:ways|respects|areas)\b|什么(?:措施|举措|要求)",
    re.I,
)

# what the sentence answering a question of this type contains
_TYPES: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    # "since which year?" is answered by the year something started (自2007年实施以来), not by
    # any year the passage names
    ("since", re.compile(r"(?:从|自)哪一?年|哪一?年(?:以来|起|开始)|\bsince\s+(?:when|which|what)\b", re.I),
     re.compile(r"(?:自|从|始于)\s*(?:19|20)\d{2}\s*年|(?:19|20)\d{2}\s*年(?:以来|起|开始)"
                r"|\b(?:since|from|began\s+in|started\s+in|launched\s+in|introduced\s+in)\s+(?:19|20)\d{2}\b", re.I)),
    ("year", re.compile(r"哪一?年|几几年|\b(?:which|what)\s+year\b", re.I),
     re.compile(r"(?:19|20)\d{2}")),
    ("time", re.compile(r"几点|\b(?:what|which)\s+time\b|\bwhen\s+did\b.*\b(?:arrive|adjourn|recess|leave)", re.I),
     re.compile(r"\d{1,2}[:：]\d{2}\s*(?:[ap]\.?\s?m\.?)?|\d{1,2}\s*[ap]\.m\.|[上下]午\s*\d{1,2}[时点]", re.I)),
    # a count or an amount: digits that are not a year or a date (2020年, 2020-06-30, 6月30日),
    # or a Chinese numeral with a measure word
    ("number", re.compile(r"多少|(?<!哪)几[个项条家名人次套所亿万]|\bhow\s+(?:many|much)\b|\bwhat\s+(?:amount|sum|fee|number)\b", re.I),
     re.compile(r"(?<![\d\-])(?!(?:19|20)\d\d(?:\s*年|-\d))\d[\d,.]*(?![\d,.]*\s*[月日])"
                r"|[一二三四五六七八九十两百千万亿]+[个项条家名人次套所辆台亿万元]")),
    # a yes/no question on a decision ("是否决定取消…？", "Did the council reject …?") is answered
    # by the sentence that records what was decided (原则同意《…》), not by one that describes
    # the matter
    ("decided", re.compile(r"是否(?:决定|同意|通过|批准|否决)|^\s*(?:did|has|have)\s+(?:the\s+)?(?:[\w'-]+\s+){0,3}?"
                           r"(?:decide|approve|adopt|reject|pass|accept|refer)(?:d|ed|red|s)?\b", re.I),
     re.compile(r"同意|通过|批准|决定|否决|暂缓|\b(?:approved|adopted|rejected|passed|failed|accepted|referred|continued)\b",
                re.I)),
    # "which department", also with a word or two between ("Which Suzhou department", "哪个市级部门")
    ("department", re.compile(rf"哪个[{HAN}]{{0,3}}?(?:部门|单位|机构)|哪些(?:部门|单位)|何(?:部门|单位)"
                              r"|\bwhich\s+(?:[\w'-]+\s+){0,2}?(?:department|office|bureau|agency)\b", re.I),
     re.compile(rf"[市区县省][{HAN}]{{1,10}}?(?:局|委|办|厅|中心|公司)|\b(?:Bureau|Office|Department|Commission)\b")),
    # "审议了哪个工作方案？" is answered by the sentence naming the plan (原则同意《…方案》), not
    # by one that only says "按照方案内容"; Chinese documents are named in 《》, English ones by
    # a capitalised title ending in the document's kind
    ("title", re.compile(rf"(?:哪个|哪一?份|哪一?项|哪部|什么|何种?)[{HAN}]{{0,4}}?(?:方案|办法|规划|条例|计划|规定|细则|文件)"
                         r"|\bwhich\s+(?:[\w'-]+\s+){0,2}?(?:plan|programme|program|policy|ordinance|resolution|scheme|strategy)\b",
                         re.I),
     re.compile(r"《[^》]{2,}》|\b(?:[A-Z][\w'-]*\s+){1,8}(?:Plan|Program|Programme|Policy|Ordinance|Resolution|Scheme|Strategy)\b")),
)


# question types whose answer is a fact of that type: no sentence without one answers them
STRICT_TYPES = ("number", "year", "since", "time")
# ... and, when no sentence says it as that type does, the broader type that still answers it
# (a minute may give the starting year without "自…以来": any year then)
_BROADER = {"since": "year"}


def answer_type(text: str) -> str:
    """"since", "year", "time", "number", "decided", "department", "title" or "" (what kind of
    fact the question ``text`` asks for)."""
    for name, question, _ in _TYPES:
        if question.search(text):
            return name
    return ""


def type_cue(name: str) -> re.Pattern[str] | None:
    """What a sentence holding an answer of type ``name`` contains."""
    return next((cue for n, _, cue in _TYPES if n == name), None)


def strict_cues(name: str) -> tuple[re.Pattern[str], ...]:
    """The cues a quote for a strict-type question must match, to try in order (empty for
    other types)."""
    if name not in STRICT_TYPES:
        return ()
    names = [name] + ([_BROADER[name]] if name in _BROADER else [])
    return tuple(cue for n in names for t, _, cue in _TYPES if t == n)


def is_list(text: str) -> bool:
    """Whether the question ``text`` asks for every item of a list."""
    return bool(_LIST_Q.search(text))
