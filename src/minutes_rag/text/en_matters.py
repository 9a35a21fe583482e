"""Council items numbered by the body, found in one place for the splitter (where items
start, their labels) and the metadata (which item numbers a minute has).

Two families besides the "38 Request of ..." agendas of ``text.agenda``:

* matters with the body's own file number, one per line: "Int 0268-2018  A Local Law ...",
  "Res 0763-2019", "LU 0352-2019", "M 0140-2019", "T2023-3392" (NYC-style Legistar files),
  "Ord. No. 11-10. By Council Member ...", "Res. No. 26-15", "File No. 32-10", "Int. No. 123".
  The label is the number as printed ("Ord. No. 11-10"), so that a question naming it finds
  the item. Numbered agenda headings between them ("1.  Roll Call", "11.  Reports of
  Standing Committees") are items too when they run 1, 2, 3 ... without a gap (restarting
  at 1 is allowed: a charter meeting's agenda before the stated meeting's).
* numbered lists that restart under each heading (a licensing board's "1. Northeast Foods,
  LLC ... GRANTED", hearing by hearing). A numbered line that opens with "That" or
  "Section" is the text of an ordinance or resolution ("1. That the Director of Finance is
  authorized ...") and stays inside its item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "Int 0268-2018", "LU 0352-2019", "T2023-3392": a prefix and number-year
_FILE_FORM = r"(?:Int|Res|LU|SLR|Prop|Intro|Bill|Ord|File|M|T)\.?[ \t]?\d{2,5}-\d{2,4}[A-Z]?"
# "Ord. No. 11-10", "Res. No. 26-15", "File No. 32-10", "Int. No. 123", "Resolution No. 2024-12"
_NO_FORM = (
    r"(?:Ord(?:inance)?|Res(?:olution)?|File|Int(?:ro)?|Bill|Prop|Petition|Communication|Report|Motion)\.?"
    r"[ \t]+No\.?[ \t]*\d[\w]*(?:-\d+[A-Z]?)?"
)
MATTER_ID = re.compile(
    rf"^[ \t\f]*(?:~\w+[ \t]+)?(?:Preconsidered[ \t]+)?(?P<id>{_NO_FORM}|{_FILE_FORM})"
    r"(?=[.:,]?(?:[ \t]+\S|[ \t]*\n|[ \t]*$))",
    re.MULTILINE,
)
# a numbered agenda heading or list entry at a line start: "1.  Roll Call", "12. BIG HOUSE",
# "1). Coppersmith Hall", "10.Trustees of ..."
NUMBERED_LINE = re.compile(r"^\f?(?P<num>\d{1,3})(?:\)\.|\.|\))[ \t]*(?=[A-Z0-9\"“(])", re.MULTILINE)
# numbered lines that are the text of an ordinance or resolution, not items
ORDINANCE_TEXT = re.compile(r"(?:That|THAT|Section|SECTION|Sec\.|WHEREAS|Whereas|BE\s+IT)\b")
MIN_MATTERS = 2


@dataclass(frozen=True)
class Marked:
    start: int  # where the item's line starts
    body_start: int  # just after its label
    label: str  # as printed, whitespace collapsed: "Ord. No. 11-10", "3."


def _label(s: str) -> str:
    return " ".join(s.split())


def matter_items(text: str, end: int | None = None) -> list[Marked]:
    """Matters with file numbers and the numbered headings between them; empty when the
    minute has fewer than MIN_MATTERS matters."""
    stop = len(text) if end is None else end
    matters = list(MATTER_ID.finditer(text, 0, stop))
    if len(matters) < MIN_MATTERS:
        return []
    out = [Marked(m.start() + len(m.group()) - len(m.group().lstrip(" \t\f")), m.end("id"), _label(m.group("id"))) for m in matters]
    nxt = 1
    for m in NUMBERED_LINE.finditer(text, 0, stop):
        n = int(m.group("num"))
        if n not in (nxt, 1) or ORDINANCE_TEXT.match(text, m.end()):
            continue
        nxt = n + 1
        out.append(Marked(m.start() + (1 if text[m.start()] == "\f" else 0), m.end(), f"{n}."))
    out.sort(key=lambda x: x.start)
    return out


def restarting_lists(text: str, end: int | None = None) -> list[Marked]:
    """Numbered entries at line starts whose numbering runs 1, 2, 3 ... and may restart at 1
    (under each heading); ordinance text ("1. That ...") is skipped. Empty unless the
    numbering restarts at least once (one plain run is ``text.agenda``'s case)."""
    stop = len(text) if end is None else end
    out: list[Marked] = []
    runs = 0
    prev = 0
    for m in NUMBERED_LINE.finditer(text, 0, stop):
        n = int(m.group("num"))
        if ORDINANCE_TEXT.match(text, m.end()):
            continue
        if n == 1:
            runs += 1
        elif n != prev + 1:
            continue
        prev = n
        label = text[m.start() : m.end()].strip().lstrip("\f")
        out.append(Marked(m.start() + (1 if text[m.start()] == "\f" else 0), m.end(), label))
    return out if runs >= 2 else []
