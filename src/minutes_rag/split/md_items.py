"""Markdown and plain-text minutes of boards, working groups and steering committees
("## Agenda", "### [Gamepad API](.../issues/662)", "* doc: update charter [#698](...)",
"- Consent to agenda").

Items, each a section labelled by its heading (shortened; these bodies do not number them):
* a heading that has no deeper headings under it, unless it names a part of the record
  rather than a topic (Agenda, Attendance, Present, Links, Minutes, Notes, Next Meeting,
  Q&A); a heading with deeper headings under it (a day, a breakout, a repository) groups
  items and is not one;
* a top-level bullet that links an issue or pull request ("[#18158](...)", ".../issues/231")
  -- the agenda item of GitHub-run bodies -- and then the heading above it only groups;
* every top-level bullet directly under a "Minutes"/"Notes" heading (nested-bullet notes).
The agenda printed before the minutes is a plan, not the record: headings and bullets under
an "Agenda" heading are items unless at least as many items follow it (the record after the
plan); the
bullets that follow an "Agenda:" line are never items.
Everything before the first item is the preamble; a part-of-the-record heading after it
(Q&A, Next Meeting) is a paragraph of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from minutes_rag.split.around import EN_LABELS
from minutes_rag.split.spans import Line, Span
from minutes_rag.text.sentences import shorten

HEADING = re.compile(r"^(#{1,6})[ \t]+(\S.*?)[ \t#]*$")
BULLET = re.compile(r"^[-*+][ \t]+\S")
ISSUE_LINK = re.compile(r"\[#\d+\]|\]\(https?://github\.com/[^)\s]+/(?:issues|pull)/\d+")
# headings that name a part of the record, not a topic
RECORD_PART = re.compile(
    r"^\W*(?:agenda|agendas|call\s+agenda|attendance|attendees|present|regrets|links|minutes|call\s+minutes|notes|"
    r"next\s+meeting|upcoming\s+meetings?|q\s*&\s*a|q/a|action\s+items?\s+from\s+last|review\s+of\s+(?:the\s+)?(?:last|previous)\s+meeting)\b",
    re.IGNORECASE,
)
PLAN = re.compile(r"^\W*(?:agenda|agendas|call\s+agenda)\b", re.IGNORECASE)
NOTES = re.compile(r"^\W*(?:minutes|call\s+minutes|notes)\W*$", re.IGNORECASE)
AGENDA_LINE = re.compile(r"^\W{0,3}agenda\W{0,3}:?\W{0,3}$", re.IGNORECASE)
MIN_HEADINGS = 2
TITLE_CHARS = 80


@dataclass
class _Head:
    line: int
    level: int
    text: str  # without link markup


def _plain(s: str) -> str:
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s).strip(" *_`:")


def md_spans(text: str, lines: list[Line]) -> list[Span] | None:
    """Sections of a markdown minute; None when it is not one (fewer than two headings)."""
    heads = [
        _Head(i, len(m.group(1)), _plain(m.group(2))) for i, ln in enumerate(lines) if (m := HEADING.match(ln.text))
    ]
    if len(heads) < MIN_HEADINGS:
        return None
    n = len(lines)

    def scope_end(k: int) -> int:  # line index where heading k's scope ends
        h = heads[k]
        return next((x.line for x in heads[k + 1 :] if x.level <= h.level), n)

    def parent_chain(line: int) -> list[_Head]:
        chain: list[_Head] = []
        for h in heads:
            if h.line >= line:
                break
            while chain and chain[-1].level >= h.level:
                chain.pop()
            chain.append(h)
        return chain

    first_body = next((i for i, ln in enumerate(lines) if not HEADING.match(ln.text)), n)
    item_lines: list[int] = []
    # bullets that link an issue, and bullets of nested-bullet notes
    in_agenda_list = False
    for i, ln in enumerate(lines):
        s = ln.text
        if AGENDA_LINE.match(s):
            in_agenda_list = True
            continue
        if not BULLET.match(s):
            if not s.startswith((" ", "\t")):
                in_agenda_list = False
            continue
        if in_agenda_list:
            continue
        chain = parent_chain(i)
        direct = chain[-1] if chain else None
        if direct is not None and RECORD_PART.match(direct.text) and not NOTES.match(direct.text):
            continue  # links listed under "Review of last meeting", "Links"
        if ISSUE_LINK.search(s) or (direct is not None and NOTES.match(direct.text)):
            item_lines.append(i)
    bullet_parents = {id(parent_chain(i)[-1]) for i in item_lines if parent_chain(i)}
    for k, h in enumerate(heads):
        if h.level == 1 or h.line < first_body or RECORD_PART.match(h.text) or id(h) in bullet_parents:
            continue
        end = scope_end(k)
        if any(x.line < end and x.level > h.level for x in heads[k + 1 :]):
            continue  # groups deeper headings
        item_lines.append(h.line)
    item_lines = sorted(set(item_lines))
    # the agenda printed before the minutes: drop its items when a later sibling holds items
    for k, h in enumerate(heads):
        if not PLAN.match(h.text):
            continue
        end = scope_end(k)
        inside = [i for i in item_lines if h.line < i < end]
        after = [i for i in item_lines if i >= end]
        if inside and len(after) >= len(inside):  # the record follows the plan
            item_lines = [i for i in item_lines if not h.line < i < end]
    if not item_lines:
        return None
    # part-of-the-record headings after the first item end the item before them
    stops = {h.line for h in heads if RECORD_PART.match(h.text) and h.line > item_lines[0]}
    bounds = sorted(set(item_lines) | stops)
    spans: list[Span] = []
    first = lines[item_lines[0]].start
    if text[:first].strip():
        spans.append(Span("preamble", EN_LABELS["preamble"], shorten(lines[0].text.strip("# "), TITLE_CHARS), 0, first))
    para = 0
    for j, li in enumerate(bounds):
        a = lines[li].start
        b = lines[bounds[j + 1]].start if j + 1 < len(bounds) else len(text)
        title = shorten(_plain(HEADING.sub(r"\2", lines[li].text)).lstrip("-*+ ").strip(), TITLE_CHARS)
        if li in stops:
            para += 1
            spans.append(Span("paragraph", (f"¶{para}",), title, a, b))
        else:
            spans.append(Span("item", (title or f"¶{j + 1}",), title, a, b))
    return spans
