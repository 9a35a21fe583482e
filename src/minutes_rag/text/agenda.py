"""English agenda items: how council minutes number them, found in one place for the
splitter (where items start) and the metadata (which item numbers a minute has).

Items are numbered "38 Request of ...", "*42 Accept ...", "S-56 Accept ...", "Item 38",
"38." -- also run together on one long line. The item numbers used are the longest
strictly increasing run (gaps up to 10) among all candidates, which drops dollar amounts,
ordinance numbers, years and "Position No. 2". A closed-caption / verbatim transcript that
follows the minutes ("Closed Caption File ...") is not searched: it names items of other
meetings ("when we did it as item 11").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EN_ITEM = re.compile(
    r"(?:(?<=\s)|^)(?P<item>(?:Agenda\s+)?(?:Item|ITEM)\s+(?:No\.?\s*)?)?(?P<star>\*)?"
    r"(?:(?P<prefix>[A-Z]{1,2})-)?(?P<num>\d{1,4})(?:\.(?!\d)|\))?(?=\s+[\"“(]?[A-Z])",
    re.MULTILINE,
)
TRANSCRIPT = re.compile(
    r"^(?:Closed\s+Caption(?:ing)?\s+File|CLOSED\s+CAPTION|(?:Verbatim\s+)?Transcript\b|TRANSCRIPT\b)",
    re.MULTILINE,
)
MAX_GAP = 10


@dataclass(frozen=True)
class EnItem:
    start: int  # where the marker starts
    num: int
    strength: int  # how item-like the marker is: "Item", "*", "S-", at a line start
    body_start: int  # just after the marker


def transcript_start(text: str) -> int | None:
    m = TRANSCRIPT.search(text)
    return m.start() if m else None


def _candidates(text: str, end: int) -> list[EnItem]:
    out = []
    for m in EN_ITEM.finditer(text, 0, end):
        s = m.start()
        before = text[max(0, s - 2) : s]
        strength = (
            (2 if m.group("item") else 0)
            + (1 if m.group("star") or m.group("prefix") else 0)
            + (1 if s == 0 or before.endswith("\n") or before == "  " else 0)
        )
        out.append(EnItem(s, int(m.group("num")), strength, m.end()))
    return out


def _chain(cands: list[EnItem]) -> list[EnItem]:
    """Longest run of strictly increasing item numbers (gaps up to MAX_GAP), ties broken
    by marker strength."""
    n = len(cands)
    if not n:
        return []
    best: list[tuple[int, int]] = [(1, c.strength) for c in cands]
    back = [-1] * n
    for i in range(n):
        lo = max(0, i - 400)  # candidates far back cannot chain with small gaps in practice
        for j in range(lo, i):
            if cands[j].num < cands[i].num <= cands[j].num + MAX_GAP:
                cand = (best[j][0] + 1, best[j][1] + cands[i].strength)
                if cand > best[i]:
                    best[i], back[i] = cand, j
    i = max(range(n), key=lambda k: best[k])
    chain = []
    while i >= 0:
        chain.append(cands[i])
        i = back[i]
    return chain[::-1]


def en_agenda(text: str) -> list[EnItem]:
    """The agenda items of an English minute, in order; empty when fewer than two (a lone
    number is no agenda)."""
    end = transcript_start(text)
    chain = _chain(_candidates(text, len(text) if end is None else end))
    return chain if len(chain) >= 2 else []
