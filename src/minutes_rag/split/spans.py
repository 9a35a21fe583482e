"""What the splitter's parts share: the spans they find, the lines and paragraphs of a text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from minutes_rag.text.sentences import first_sentence


@dataclass
class Span:
    """A stretch of the minute that becomes one section (or several parts of one)."""

    kind: str
    label_path: tuple[str, ...]
    title: str
    start: int
    end: int


@dataclass
class Line:
    start: int
    end: int
    text: str
    para_start: bool  # first line of a blank-line separated paragraph


def lines_of(text: str) -> list[Line]:
    """The non-blank lines of ``text`` with their offsets."""
    out: list[Line] = []
    pos = 0
    blank_before = True
    for raw in text.split("\n"):
        end = pos + len(raw)
        if raw.strip():
            out.append(Line(pos, end, raw, blank_before))
            blank_before = False
        else:
            blank_before = True
        pos = end + 1
    return out


def paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the blank-line separated paragraphs inside text[start:end]."""
    return [(start + m.start(), start + m.end()) for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text[start:end])]


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def en_title(text: str, start: int, end: int) -> str:
    """An English item's (or transcript's) title: its first clause, up to "(" / a double
    space / 120 characters."""
    s = text[start:end].strip()
    s = re.split(r"\s{2,}|\(|\n\s*\n", s, maxsplit=1)[0]
    return first_sentence(s, 120)
