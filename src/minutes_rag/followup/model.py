"""The follow-up view of a ledger entry: the entry (with a person's corrections applied) and
its state. ``FollowedEntry.to_json()`` is the ``actions --json`` entry contract: the ledger's
keys, then status, overdue, deadline_date, origin, notes, trail, suggestion (README)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from minutes_rag.ledger.model import LedgerEntry

STATUSES = ("open", "in_progress", "done", "blocked")
DEFAULT_STATUS = "open"
ORIGINS = ("rules", "llm", "person")
CORRECTABLE = ("lead", "deadline", "kind")
# the keys ``actions --json`` entries gain, after the ledger's (README, the contract)
FOLLOWUP_FIELDS = ("status", "overdue", "deadline_date", "notes", "trail", "suggestion")  # after the ledger's keys (origin is one of those)


def now_iso() -> str:
    """The time a change is logged with: ISO 8601, UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Note:
    text: str
    user: str
    at: str  # ISO time, UTC

    def to_json(self) -> dict[str, str]:
        return {"text": self.text, "user": self.user, "at": self.at}


@dataclass(frozen=True)
class TrailLink:
    """A later minute's entry on the same matter for the same unit."""

    minute_id: str
    date: str
    label: str
    kind: str
    quote: str
    start: int
    end: int
    score: float  # the relevance matcher's measure (timeline.TopicMatcher), 0..1
    doc_number: str = ""
    completes: bool = False  # states the matter completed (a suggestion, never a status)

    def to_json(self) -> dict[str, Any]:
        return {
            "minute_id": self.minute_id, "date": self.date, "label": self.label, "kind": self.kind,
            "quote": self.quote, "start": self.start, "end": self.end, "score": round(self.score, 3),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> TrailLink:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


@dataclass(frozen=True)
class FollowedEntry:
    entry: LedgerEntry  # corrections applied
    status: str = DEFAULT_STATUS
    overdue: bool = False  # as of ``today``: derived, never stored over the status
    deadline_date: str = ""  # YYYY-MM-DD or ""
    origin: str = "rules"
    notes: tuple[Note, ...] = ()
    trail: tuple[TrailLink, ...] = ()
    suggestion: str = ""
    owner_contact: str = ""
    corrected: tuple[str, ...] = ()  # the fields a person corrected
    history: tuple[dict[str, Any], ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, Any]:
        out = self.entry.to_json()
        out.update({
            "status": self.status,
            "overdue": self.overdue,
            "deadline_date": self.deadline_date,
            "origin": self.origin,
            "notes": [n.to_json() for n in self.notes],
            "trail": [t.to_json() for t in self.trail],
            "suggestion": self.suggestion,
            "owner_contact": self.owner_contact,
            "corrected": list(self.corrected),
        })
        return out
