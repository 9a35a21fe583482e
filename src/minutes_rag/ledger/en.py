"""Rules for English council minutes with numbered items.

  decision    the item's disposition: a capitals column (ADOPTED, PASSED TO SECOND READING
              JANUARY 19, 2011, REFERRED TO COMMISSIONER OF ..., (Y-5) 184349), a labelled one
              (Disposition: Approved), or a sentence (The motion carried 4-1; the Consent
              Agenda was adopted), with the vote printed nearest to it (Y-5, 4-1, Aye (5)).
  assignment  "staff was directed to ...", "Council directed the City Manager to ...",
              "Commissioner Fritz will ...", with a deadline when stated (by March 1).
  report      "Presentation by X on Y", "X presented a report on Y".
Offsets are into the text handed in.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from minutes_rag.ledger.en_forms import (
    formal_decisions,
    item_dispositions,
    named_reports,
    named_tasks,
    pass_fail,
    task_stated,
)
from minutes_rag.ledger.zh import Found
from minutes_rag.text import ledger_vocab as V
from minutes_rag.text.sentences import is_abbreviation, spans_between

log = logging.getLogger(__name__)

_ITEM_MARK = re.compile(r"\s*(?:Item\s+(?:No\.?\s*)?)?[*S]?-?\d{1,4}[A-Za-z]?\b[.:)]?\s*", re.IGNORECASE)
_MAX_ITEM_QUOTE = 700
# an item's matter: its text up to the type in brackets, a wide gap or a blank line
_ITEM_HEAD = re.compile(
    r"(.+?)(?=\s*\((?:Ordinance|Resolution|Report|Communication|Emergency|Second\s+Reading|Previous\s+Agenda|Proclamation|Presentation)"
    r"|\s{3,}|\n\s*\n|\.\s|$)",
    re.DOTALL,
)


def sentences(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text[a:b]`` (``text.sentences``: after . ! ? unless an
    abbreviation's, and at blank lines, item markers and field labels)."""
    return spans_between(text, a, b)


def _ws(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _vote_text(s: str) -> str:
    s = _ws(s)
    return s[1:-1] if s.startswith("(") and s.endswith(")") else s


def _vote_near(text: str, a: int, pos: int, end: int) -> str:
    """The vote printed closest before ``pos`` (within the item), else just after it."""
    before = list(V.EN_VOTE.finditer(text, a, pos))
    if before and pos - before[-1].end() < 200:
        return _vote_text(before[-1].group())
    after = V.EN_VOTE.search(text, pos, min(end, pos + 60))
    return _vote_text(after.group()) if after else ""


def _item_head(text: str, a: int, b: int) -> str:
    """The item's matter: its text up to the type in brackets, a wide gap, a blank line or
    the end of the first sentence (not at "Co." or "No.")."""
    pos = a
    for _ in range(6):
        m = _ITEM_HEAD.match(text, pos, b)
        if not m:
            break
        end = m.end(1)
        if text.startswith(".", end) and is_abbreviation(text[max(a, end - 12) : end]):
            pos = end + 1  # an abbreviation: the sentence goes on
            continue
        return _ws(text[a:end])
    return _ws(text[a:pos]) if pos > a else ""


def _dispositions(text: str, a: int, b: int) -> list[tuple[int, int, str, str]]:
    """The dispositions in ``text[a:b]`` in text order: (start, end, outcome, referred-to unit).
    A motion that failed before the item was continued gives two."""
    cands: list[tuple[int, int, str]] = []
    for m in V.EN_DISPOSITION_UPPER.finditer(text, a, b):
        cands.append((m.start(), m.end(), _ws(m.group())))
    for m in V.EN_DISPOSITION_LABELLED.finditer(text, a, b):
        cands.append((m.start(1), m.end(1), _ws(m.group(1))))
    for m in V.EN_DISPOSITION_SENTENCE.finditer(text, a, b):
        cands.append((m.start(1), m.end(1), _ws(m.group(1))))
    for m in V.EN_RESOLVED.finditer(text, a, b):
        cands.append((m.start(1), m.end(1), m.group(1)))
    for m in V.EN_ORDINANCE_NUMBER.finditer(text, a, b):
        cands.append((m.start(1), m.end(1), f"Passed (No. {m.group(1)})"))
    cands += item_dispositions(text, a, b)
    # overlapping candidates are one disposition: keep the longest
    cands.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    kept: list[tuple[int, int, str]] = []
    for c in cands:
        if kept and c[0] < kept[-1][1]:
            continue
        kept.append(c)
    out = []
    for s, e, outcome in kept:
        ref = re.match(r"(?i)referred\s+(?:back\s+)?to\s+(?:the\s+)?(.+)", outcome)
        out.append((s, e, outcome, ref.group(1).strip() if ref else ""))
    return out


def item_decisions(text: str, a: int, b: int, subject: str, label: str = "") -> list[Found]:
    """The decisions on one council item spanning ``text[a:b]``; an item labelled by the
    body's own number ("Int 0268-2018", "Ord. No. 11-10", "3.") has it first in ``subject``."""
    disp = _dispositions(text, a, b)
    if not disp:
        return []
    mark = _ITEM_MARK.match(text, a)
    qa = mark.end() if mark else a
    head = _item_head(text, qa, min(b, qa + 400))
    if head:
        subject = head
    if label and not label.isdigit():
        subject = f"{label} {subject}".strip()
    out: list[Found] = []
    prev = qa
    starts = [x for x, _ in sentences(text, a, b)]
    for s, e, outcome, referred in disp:
        if outcome.upper() in ("RESOLVED", "AGREED"):  # the resolution itself: RESOLVED - That ...
            stop = re.search(r"\.(?=\s|$)|\n\s*\n", text[e:b])
            e = e + stop.end() if stop else b
            while e > s and text[e - 1].isspace():
                e -= 1
        start = prev
        if out:  # a later disposition: from the sentence it is in
            start = max([x for x in starts if prev <= x <= s], default=prev)
        if e - start > _MAX_ITEM_QUOTE:
            start = next((x for x, y in sentences(text, prev, b) if x <= s < y), s)
        while start < s and (text[start].isspace() or text[start] in ".;,"):
            start += 1
        vote = _vote_near(text, max(prev, start), s, b) or pass_fail(text, s, e)
        f = Found("decision", start, e, outcome=outcome, subject=subject, vote=vote)
        if referred:
            f.lead = [referred]
        out.append(f)
        prev = e
    return out


def _sentence_decisions(text: str, a: int, b: int) -> list[Found]:
    out = []
    for m in V.EN_DISPOSITION_SENTENCE.finditer(text, a, b):
        noun = re.match(r"(?i)(?:the\s+)?(.+?)\s+(?:was|were|is|has\s+been)\b", m.group())
        pre = re.search(r"(?:the\s+)?((?:\w+\s+){0,3}of\s+)?$", text[a : m.start()])
        subject = _ws((pre.group(1) or "") + (noun.group(1) if noun else "")) if pre else ""
        out.append(Found("decision", a, b, outcome=_ws(m.group(1)), subject=subject, vote=_vote_near(text, a, m.start(1), b)))
        break
    return out


def _assignments(text: str, a: int, b: int) -> list[Found]:
    out = []
    for rx in (V.EN_DIRECTED, V.EN_DIRECTS, V.EN_WILL):
        m = rx.search(text, a, b)
        if not m:
            continue
        lead = re.sub(r"^(?:the|The)\s+", "", _ws(m.group(1)))
        if rx is V.EN_WILL and not task_stated(text, a, m.group(), lead):
            break
        task = _ws(text[m.end() : b]).rstrip(".;")
        dl = V.EN_DEADLINE.search(text, m.end(), b)
        f = Found("assignment", a, b, lead=[lead], task=task, deadline=_ws(dl.group()) if dl else "")
        f.generic = bool(V.EN_GENERIC.match(lead))
        out.append(f)
        break
    return out


def _reports(text: str, a: int, b: int) -> list[Found]:
    m = V.EN_REPORT.search(text, a, b)
    if not m:
        return []
    unit = _ws(m.group("unit") or m.group("unit2") or "")
    subject = _ws(m.group("subject") or m.group("subject2") or "")
    unit = re.sub(r"^(?:the|The)\s+", "", unit)
    if not unit:
        return []
    return [Found("report", a, b, lead=[unit], subject=subject, generic=bool(V.EN_GENERIC.match(unit)))]


def extract_en(text: str, a: int, b: int, *, item_subject: str | None = None, item_label: str = "") -> list[Found]:
    """Entries in ``text[a:b]``; ``item_subject`` is given when the span is a council item
    (its disposition becomes one decision), ``item_label`` its label."""
    out: list[Found] = []
    decided = False
    if item_subject is not None:
        ds = item_decisions(text, a, b, item_subject, item_label)
        out += ds
        decided = bool(ds)
    for sa, sb in sentences(text, a, b):
        if not decided:
            out += _sentence_decisions(text, sa, sb) or formal_decisions(text, sa, sb)
        out += _assignments(text, sa, sb) or named_tasks(text, sa, sb)
        out += _reports(text, sa, sb) or named_reports(text, sa, sb)
    return out


def en_units(found: Sequence[Found]) -> list[str]:
    return [u for f in found for u in f.lead]
