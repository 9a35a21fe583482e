"""What the rule readers (zh.py, zh_decisions.py, en.py) find: entries with offsets into
the text they read, and the units they name."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Found", "Unit"]


@dataclass
class Unit:
    name: str
    start: int
    end: int
    generic: bool


@dataclass
class Found:
    """An entry found in a text: offsets are into that text."""

    kind: str
    start: int
    end: int
    lead: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    task: str = ""
    deadline: str = ""
    outcome: str = ""
    subject: str = ""
    vote: str = ""
    generic: bool = False
    task_start: int = -1  # where an assignment's task begins (internal)
    clause: int = -1  # the clause an assignment opens (internal)
