"""The ledger's data: one entry per decision, assignment or report found in a section.

An entry is its own citation: ``quote`` is a verbatim piece of the minute's text and
``minute.text[start:end] == quote``. ``to_json()`` is the ``actions --json`` contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KINDS = ("decision", "assignment", "report")

# The contract's keys, in order (``actions --json``; README "Command-line contract").
JSON_FIELDS = (
    "item_id",
    "minute_id",
    "doc_number",
    "meeting_number",
    "date",
    "label",
    "section_id",
    "kind",
    "lead",
    "partners",
    "task",
    "deadline",
    "outcome",
    "subject",
    "vote",
    "generic",
    "quote",
    "start",
    "end",
    "origin",  # added compatibly: "rules" or "llm" (ledger.llm_pass)
)


@dataclass(frozen=True)
class LedgerEntry:
    """One row of the 督办台账. Empty strings / tuples where a field does not apply."""

    item_id: str  # stable id: minute id + section + offset
    minute_id: str
    doc_number: str  # 〔2020〕21号
    meeting_number: int | None
    date: str  # YYYY-MM-DD
    label: str  # section label: 四（一）, 47
    section_id: str
    kind: str  # "decision" | "assignment" | "report"
    lead: tuple[str, ...] = ()  # responsible units (责任单位) / reporting unit
    partners: tuple[str, ...] = ()  # 配合单位
    task: str = ""  # the assignment's task (verbatim piece of the quote)
    deadline: str = ""  # 年底前, 6月30日前, by March 1 (verbatim)
    outcome: str = ""  # decision: 原则同意 / Adopted / Referred to ...
    subject: str = ""  # the matter: 《苏州市…方案》 / council item title
    vote: str = ""  # English votes when given: Y-5, 4-1, Aye (5)
    generic: bool = False  # addressee is generic (各有关部门 ...), no named unit
    quote: str = ""  # verbatim, == minute.text[start:end]
    start: int = 0
    end: int = 0
    origin: str = "rules"  # "rules" | "llm" (proposed by the optional LLM pass, validated: ledger.llm_pass)

    def to_json(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "minute_id": self.minute_id,
            "doc_number": self.doc_number,
            "meeting_number": self.meeting_number,
            "date": self.date,
            "label": self.label,
            "section_id": self.section_id,
            "kind": self.kind,
            "lead": list(self.lead),
            "partners": list(self.partners),
            "task": self.task,
            "deadline": self.deadline,
            "outcome": self.outcome,
            "subject": self.subject,
            "vote": self.vote,
            "generic": self.generic,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "origin": self.origin,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> LedgerEntry:
        d = dict(d)
        d["lead"] = tuple(d.get("lead") or ())
        d["partners"] = tuple(d.get("partners") or ())
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})

    def units(self) -> tuple[str, ...]:
        return self.lead + self.partners


@dataclass(frozen=True)
class LedgerFilter:
    """Filters of ``actions`` and the ledger tab. Empty means no filter.

    ``minute``: minute id or document number; ``dept``: substring of a lead or partner
    unit; ``keyword``: substring of the quote, task or subject; dates inclusive."""

    minute: str = ""
    dept: str = ""
    kind: str = ""  # "" or one of KINDS
    date_from: str = ""  # YYYY-MM-DD
    date_to: str = ""  # YYYY-MM-DD
    named_only: bool = False  # drop generic entries (各有关部门 ...)
    keyword: str = ""

    def matches(self, e: LedgerEntry) -> bool:
        """The filter as a predicate (the storage applies the same rules in SQL where it can)."""
        if self.minute and self.minute not in (e.minute_id, e.doc_number):
            return False
        if self.kind and e.kind != self.kind:
            return False
        if self.date_from and (not e.date or e.date < self.date_from):
            return False
        if self.date_to and (not e.date or e.date > self.date_to):
            return False
        if self.named_only and e.generic:
            return False
        if self.dept and not any(self.dept.lower() in u.lower() for u in e.units()):
            return False
        if self.keyword:
            k = self.keyword.lower()
            if not any(k in s.lower() for s in (e.quote, e.task, e.subject, e.outcome)):
                return False
        return True
