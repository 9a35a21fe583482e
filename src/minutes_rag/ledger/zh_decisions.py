"""Chinese decisions, and reports that name no unit.

Decisions, at the start of a clause:
  [会议|经研究]? (原则同意|审议通过|同意|不同意|暂缓…) 《方案》 / the matter
  …《A》和《B》                         one decision per title
  [并]决定将/对/任命/追授… / 建议提请…审议   a disposition (people's congresses, readouts);
                                      after a decision in the same sentence it is part of it
议定：1、成立… / 议定：一、…: every point of the list is a decision (outcome 议定 where it
has no verb of its own). One sentence may hold several (会议讨论并原则通过《X》，决定将草案提请…审议); each then quotes its
own clause. Reports without a unit: 听取…情况汇报 / 听取关于…的汇报 (readouts seldom say who
reported); a plan of what a coming session will hear (拟安排听取…, 议题是：听取…) is not one.
"""

from __future__ import annotations

import re

from minutes_rag.ledger.found import Found
from minutes_rag.ledger.zh_sentences import CLAUSE_SEP, clause_starts
from minutes_rag.ledger.zh_unit_forms import bodies_before_about
from minutes_rag.text import ledger_vocab as V

_MORE_TITLES = re.compile(r"\s*(?:和|、|及|以及|与)\s*(《[^》]{2,80}》)")
_CLAUSE_END = re.compile(f"[{CLAUSE_SEP}。！？]")


def _clause_end(text: str, pos: int, b: int) -> int:
    m = _CLAUSE_END.search(text, pos, b)
    return m.start() if m else b


AGREED = re.compile(r"议定(?:事项)?(?:如下)?[：:]")
_MARK_BEFORE = re.compile(r"(?:\d{1,2}[.、．]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]{1,3}[）)])\s*$")


def marked_before(text: str, a: int) -> bool:
    """The sentence at ``a`` follows an item marker (2. / 二、 / （2）) the sentence splitter
    left out of it: the next point of a list."""
    return bool(_MARK_BEFORE.search(text, max(0, a - 6), a))


def decisions(text: str, a: int, b: int, *, agreed: bool = False) -> list[Found]:
    """Decisions of the sentence ``text[a:b]``; ``agreed``: it is (or continues) a list of
    points after 议定：, each point a decision even without a verb of its own."""
    out: list[Found] = []
    first = True
    agreed = agreed or bool(AGREED.search(text, a, b))
    for p in clause_starts(text, a, b):
        q = p
        mark = V.ZH_ITEM_MARK.match(text, q)
        point = (bool(mark and mark.end() > q) or (q > a and text[q - 1] in "：:" and AGREED.search(text, a, q))
                 or (q == a and marked_before(text, a)))
        if mark:
            q = mark.end()
        n_before = len(out)
        lead_in = V.ZH_DECISION_LEAD_IN.match(text, q)
        had_lead_in = bool(lead_in and lead_in.end() > q)
        if lead_in:
            q = lead_in.end()
        disp = V.ZH_DISPOSITION.match(text, q)
        if disp:
            end = _clause_end(text, disp.end(), b)
            subject = text[disp.end() : end].strip()
            if out:  # 原则通过《X》，决定将草案提请…审议: what becomes of that decision, not another
                out[-1].end = end
            elif subject:
                out.append(Found("decision", p, end, outcome=disp.group("verb"), subject=subject))
            first = False
            continue
        for verb in V.ZH_DECISION_VERBS:
            if not text.startswith(verb, q):
                continue
            after = q + len(verb)
            rest = text[after:b]
            bare = verb in ("同意", "通过", "批准", "决定")
            if verb == "决定" and not had_lead_in:
                break
            if bare and not (had_lead_in or rest.startswith(("了《", "《")) or (verb == "同意" and first)):
                break
            if verb == "同意" and rest.startswith(("后", "的")):
                break
            m = re.match(r"了?\s*(《[^》]{2,80}》)", rest)
            if m:
                subject = m.group(1)
                subj_end = after + m.end()
            else:
                sub = re.match(r"[^，。；;！？]*", rest.lstrip("了，, "))
                subject = sub.group().strip() if sub else ""
                subj_end = after
            if not subject and verb not in ("暂缓", "不同意"):
                break
            out.append(Found("decision", p, _clause_end(text, subj_end, b), outcome=verb, subject=subject))
            pos = subj_end
            if m and _MORE_TITLES.match(text, pos, b):
                out[-1].end = subj_end  # the first title's clause ends with it
            while m and (more := _MORE_TITLES.match(text, pos, b)):  # 审议通过《A》和《B》
                out.append(Found("decision", more.start(1), more.end(1), outcome=verb, subject=more.group(1)))
                pos = more.end()
            break
        if agreed and point and len(out) == n_before and not text.startswith(("由", "请"), q):
            end = _clause_end(text, q, b)  # 议定：1、成立城市更新工作领导小组
            if end - q >= 4:
                out.append(Found("decision", p, end, outcome="议定", subject=text[q:end]))
        first = False
    if len(out) == 1:  # one decision: its sentence is its quote
        out[0].start, out[0].end = a, b
    return out


_UNNAMED_REPORT = re.compile(
    rf"{V.ZH_HEARD}(?:关于)?(?P<subject>[^，。；;！？]{{2,80}}?)(?:的)?(?:{'|'.join(V.ZH_REPORT_NOUNS)})(?=[，。；;！？、和及并]|$)"
)
# what a coming session will hear: 拟安排听取…, 议题是：听取…, 听取审议X的报告 (an agenda line)
PLANNED = re.compile(r"拟|议题(?:是|为)?[：:]|将(?:听取|审议)|听取审议(?!了)")


def unnamed_reports(text: str, a: int, b: int) -> list[Found]:
    """听取…情况汇报 at a clause start, where no unit is named (those are read by zh._reports)."""
    out: list[Found] = []
    for p in clause_starts(text, a, b):
        q = p
        lead = re.match(r"(?:会议|会上)?(?:还|并|同时|首先)?", text[q:b])
        q += lead.end() if lead else 0
        m = _UNNAMED_REPORT.match(text, q, b)
        if not m or PLANNED.search(text, a, m.end()):
            continue
        subject = m.group("subject")
        if subject.startswith(("了", "和")) or "关于" in subject and (
                V.ZH_UNIT_START.match(subject) or bodies_before_about(text, m.start("subject"))):
            continue  # 听取了市政府关于…: a named unit, zh._reports reads it
        out.append(Found("report", p, _clause_end(text, m.end(), b), subject=subject.lstrip("关于"), generic=True))
    return out
