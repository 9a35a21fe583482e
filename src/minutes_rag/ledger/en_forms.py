"""English ledger rules for minutes that are not council columns (``ledger.en`` keeps
those): labelled action lines and disposition lines of council and board items, decisions
written as sentences by committees and working groups, tasks people take on ("Ryan will own
...", "Tess: I will ping the issue", "ACTION: Tess to ping ..."), and who reported
("Julian gave an overview of ..."). Vocabulary: ``text.en_ledger_forms``.

Quotes are clipped to the line they stand on: notes written as bullets put one statement on
a line, often without a full stop.
"""

from __future__ import annotations

import functools
import re

from minutes_rag.ledger.zh import Found
from minutes_rag.text import en_ledger_forms as F


def _ws(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _line_end(text: str, pos: int, b: int) -> int:
    e = text.find("\n", pos, b)
    e = b if e < 0 else e
    while e > pos and text[e - 1].isspace():
        e -= 1
    return e


def _line_start(text: str, pos: int, a: int) -> int:
    return max(a, text.rfind("\n", 0, pos) + 1)


def _clip(text: str, sa: int, sb: int, pos: int) -> tuple[int, int]:
    """The part of sentence text[sa:sb] on the line that holds ``pos``, trimmed."""
    s = max(sa, _line_start(text, pos, sa))
    e = min(sb, _line_end(text, pos, sb))
    while s < e and (text[s].isspace() or text[s] in "-*+>"):
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def item_dispositions(text: str, a: int, b: int) -> list[tuple[int, int, str]]:
    """Dispositions of one item printed as a labelled action line ("Action: Laid Over by
    Council -- ...") or as a line of their own ("GRANTED", "No Violation", "Violation -
    Written Warning"): (start, end of line, outcome)."""
    out = []
    for m in F.ACTION_LINE.finditer(text, a, b):
        what = re.sub(r"\s*\(.*\)$", "", _ws(m.group("what")))  # the vote in brackets is the vote
        out.append((m.start() + len(m.group()) - len(m.group().lstrip()), _line_end(text, m.end("what"), b), what))
    for rx in (F.DISPOSITION_LINE, F.DISPOSITION_LINE_END):
        for m in rx.finditer(text, a, b):
            out.append((m.start("what"), _line_end(text, m.end("what"), b), _ws(m.group("what"))))
    return out


def pass_fail(text: str, s: int, e: int) -> str:
    m = F.PASS_FAIL.search(text, s, e + 1)
    return m.group(1) if m else ""


def _segments(text: str, sa: int, sb: int) -> list[tuple[int, int]]:
    """The lines of sentence text[sa:sb]: notes put one statement on a line."""
    out = []
    pos = sa
    while pos < sb:
        nl = text.find("\n", pos, sb)
        e = sb if nl < 0 else nl
        if text[pos:e].strip():
            out.append((pos, e))
        pos = e + 1
    return out


def _view_agreed(text: str, la: int, m: re.Match[str]) -> bool:
    """"participants agreed that ...": people sharing a view, not the body deciding."""
    if not F.VIEW_AGREED.search(m.group()):
        return False
    before = text[la : m.start()]
    if F.PEOPLE_SUBJECT.search(re.split(r"[,;:.]\s", before)[-1]):
        return True
    sentence = re.split(r"[.;:]\s", before)[-1]
    return bool(F.SECOND_VERB.search(before) and F.PEOPLE_SENTENCE.match(sentence))


def formal_decisions(text: str, sa: int, sb: int) -> list[Found]:
    """Decisions written as a sentence ("By unanimous vote, the Committee ratified ...",
    "We agreed to defer until next week", "Strong hum for adoption", "Hearing no
    objections, the agenda is approved"): one per line of the sentence; questions and
    conditions ("Do we have consensus to ...?", "If it's without objection, ...") are none."""
    out = []
    for la, lb in _segments(text, sa, sb):
        if not F.FORMAL_HINT.search(text, la, lb):
            continue
        m = next((m for m in F.FORMAL_DECISION.finditer(text, la, lb) if not _view_agreed(text, la, m)), None)
        if not m:
            continue
        s, e = _clip(text, la, lb, m.start())
        if e <= s or F.NOT_STATED.search(text[s:e]) or F.NEXT_MEETING.match(text, m.end(), e):
            continue
        vote = F.IN_FAVOUR.search(text, s, e)
        out.append(Found("decision", s, e, outcome=_ws(m.group()), vote=_ws(vote.group()) if vote else ""))
    return out


def _who(raw: str) -> str:
    who = _ws(re.sub(r"\s*\([^)]*\)", "", raw))
    return "" if F.NOT_A_NAME.match(who) or F.NOT_A_NAME_ADVERB.match(who) else who


_ATTENDANCE = re.compile(r"(?im)^[#*\s]*(?:present|attendance|attendees|participants|members\s+present)\b")


@functools.lru_cache(maxsize=256)
def _known(text: str, who: str) -> bool:
    """The minute names this person elsewhere -- as a speaker ("Carol: ..."), as an @handle
    or in its attendance -- so that "Consent to agenda" or "Unable to record" names no one."""
    if F.GENERIC_WHO.match(who):
        return True
    first = re.escape(who.split()[0].lstrip("@"))
    if re.search(rf"(?m)^[ \t]*(?:[-*+][ \t]+)?@?{first}\b[^\n:]{{0,30}}:|@{first}\b", text):
        return True
    for m in _ATTENDANCE.finditer(text):
        # the attendance block: from the label to the first blank line after some names
        body = m.end() + len(text[m.end() : m.end() + 1500]) - len(text[m.end() : m.end() + 1500].lstrip())
        stop = text.find("\n\n", body, body + 1500)
        if re.search(rf"\b{first}\b", text[m.start() : body + 1500 if stop < 0 else stop]):
            return True
    return False


def task_stated(text: str, sa: int, said: str, who: str) -> bool:
    """Whether "<who> will ..." in the sentence starting at ``sa`` records a task: not a
    rule's "shall", not under a condition ("If ..., the Committee will ..."), not the
    meeting's own body stating a policy ("the Committee will respond to ...")."""
    return not (F.STANDING_VERB.search(said) or F.CONDITIONAL.match(text, sa) or F.OWN_BODY.match(who))


def _stated_task(text: str, la: int, lb: int, pos: int) -> bool:
    """The task at ``pos`` is stated: not asked ("Will new codes need ...?"), not the
    speaker's own turn at the meeting or vote ("I'll walk you through ...", "I'll check my
    box"). A condition is no test here: "If the council agrees, I'll invite X" is a task."""
    if F.NOT_A_TASK.match(text, pos, lb):
        return False
    end = re.search(r"[.!?](?:\s|$)|$", text[pos:lb])
    return not (end and end.group().startswith("?"))


def _speaker_task(text: str, la: int, lb: int) -> tuple[str, int] | None:
    """(speaker, where the task starts) for "Tess: I will ping the issue", "Rod: ... Will
    turn that into a PR", "Mnot: to take it to the list"."""
    ls = _line_start(text, la, 0)
    spk = F.SPEAKER.match(text, ls)
    if not spk:
        return None
    body = max(la, spk.end())
    m = F.FIRST_PERSON_TASK.search(text, body, lb)
    if not m:
        # with the subject left out: at the start of the statement or of one of its sentences
        for at in [body] + [x.end() for x in re.finditer(r"(?:[.!]|\s-|--)\s+", text[body:lb])]:
            at = at if at == body else body + at
            m = F.ELIDED_TASK.match(text, at, lb) or (F.ELIDED_TO.match(text, at, lb) if at == spk.end() else None)
            if m:
                break
    if not m:
        return None
    raw = spk.group("who")
    who = _who(raw) or (raw if raw.islower() else "")
    return (who, m.start("task")) if who else None


def named_tasks(text: str, sa: int, sb: int) -> list[Found]:
    """Tasks a named person or body takes on: "Ryan will own the team repo merge", "Carol
    to turn these notes into ...", "Tess: I will ping the issue" (one per line)."""
    out = []
    for la, lb in _segments(text, sa, sb):
        if not F.TASK_HINT.search(text, la, lb):
            continue
        who, pos = "", 0
        m = F.NAMED_WILL.search(text, la, lb)
        if m and _who(m.group("who")) and not task_stated(text, sa, m.group(), _who(m.group("who"))):
            continue
        if m and _who(m.group("who")):
            who, pos = _who(m.group("who")), m.start("task")
        else:
            m = F.NAMED_TO.search(text, la, lb)
            if m and _who(m.group("who")) and _known(text, _who(m.group("who"))):
                who, pos = _who(m.group("who")), m.start("task")
            else:
                st = _speaker_task(text, la, lb)
                if st:
                    who, pos = st
        if not who or not _stated_task(text, la, lb, pos):
            continue
        s, e = _clip(text, la, lb, pos)
        if e <= s:
            continue
        f = Found("assignment", s, e, lead=[who], task=_ws(text[pos:e]).rstrip("."))
        f.generic = bool(F.GENERIC_WHO.match(who))
        out.append(f)
    return out


def named_reports(text: str, sa: int, sb: int) -> list[Found]:
    """Who reported: "Julian gave an overview of ...", "Mark presented the changes"."""
    if not F.REPORT_HINT.search(text, sa, sb):
        return []
    m = F.NAMED_REPORT.search(text, sa, sb)
    if not m:
        return []
    who = _who(m.group("who"))
    if not who:
        return []
    s, e = _clip(text, sa, sb, m.start())
    return [Found("report", s, e, lead=[who], subject=_ws(text[m.end() : e]))] if e > s else []
