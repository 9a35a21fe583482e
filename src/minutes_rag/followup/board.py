"""The follow-up board: the ledger as people follow it up. Applies people's entries and
corrections over the extracted ledger, joins each entry's state (status, notes, trail), and
makes every change (status, note, owner contact, correction, a new entry), each logged with
its user and time in the state database.

An entry is known by its minute and quote (``LedgerEntry.minute_id``, ``.quote``): the state
of an entry a new extractor version finds again is kept; ``item_id`` only names it on the
command line and in the UI.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from minutes_rag.errors import InvalidRequest, NotFound
from minutes_rag.followup.deadlines import deadline_date
from minutes_rag.followup.model import (
    CORRECTABLE,
    DEFAULT_STATUS,
    STATUSES,
    FollowedEntry,
    Note,
    TrailLink,
    now_iso,
)
from minutes_rag.ledger.model import KINDS, LedgerEntry, LedgerFilter

if TYPE_CHECKING:
    from minutes_rag.index import StateIndex

log = logging.getLogger(__name__)

PERSON_ITEM = "p"  # a person's entry's id: <minute id>-p<start>[-n]


def _key(e: LedgerEntry) -> tuple[str, str]:
    return (e.minute_id, e.quote)


def _corrected(e: LedgerEntry, correction: dict[str, Any]) -> LedgerEntry:
    fields: dict[str, Any] = {}
    if "lead" in correction:
        fields["lead"] = tuple(correction["lead"])
    if "deadline" in correction:
        fields["deadline"] = str(correction["deadline"])
    if correction.get("kind") in KINDS:
        fields["kind"] = correction["kind"]
    return replace(e, **fields) if fields else e


class FollowupBoard:
    """The follow-up layer over a state index. ``clock`` gives the time changes are logged
    with (ISO, UTC); ``today`` decides what is overdue."""

    def __init__(self, index: StateIndex, clock: Callable[[], str] = now_iso) -> None:
        self.index = index
        self.clock = clock

    # -- reading ---------------------------------------------------------------------------
    def apply_people(self, entries: Sequence[LedgerEntry], flt: LedgerFilter = LedgerFilter()) -> list[LedgerEntry]:
        """The extracted entries with people's corrections applied, plus the entries people
        added that pass ``flt``, in the ledger's order (date, minute, text order)."""
        states = self.index.followup_states()
        people = [LedgerEntry.from_json(d) for d in self.index.person_entries()]
        theirs = {_key(e) for e in people}
        out: list[LedgerEntry] = []
        for e in [*(e for e in entries if _key(e) not in theirs), *people]:
            correction = states.get(_key(e), {}).get("correction") or {}
            fixed = _corrected(e, correction)
            if flt.matches(fixed):
                out.append(fixed)
        out.sort(key=lambda e: (not e.date, e.date, e.minute_id, e.start, e.kind))
        return out

    def has_corrections(self) -> bool:
        """Whether a person corrected any entry (a filter by kind or unit must then look at
        the corrected entries, not the extracted ones)."""
        return any(s.get("correction") for s in self.index.followup_states().values())

    def view(self, entries: Sequence[LedgerEntry], today: date | None = None) -> list[FollowedEntry]:
        """Each entry with its state as of ``today`` (default: the local date)."""
        today = today or date.today()
        states = self.index.followup_states()
        trails = self.index.trails()
        people = {(d["minute_id"], d["quote"]) for d in self.index.person_entries()}
        notes: dict[tuple[str, str], list[Note]] = {}
        for h in self.index.followup_history():
            if h["action"] == "note":
                notes.setdefault((h["minute_id"], h["quote"]), []).append(Note(str(h["detail"]), h["user"], h["at"]))
        out = []
        for e in entries:
            k = _key(e)
            state = states.get(k, {})
            status = state.get("status") or DEFAULT_STATUS
            due = deadline_date(e.deadline, e.date)
            correction = state.get("correction") or {}
            trail, suggestion = trails.get(k, ([], ""))
            out.append(FollowedEntry(
                entry=e, status=status, deadline_date=due,
                overdue=bool(due) and status != "done" and due < today.isoformat(),
                origin="person" if k in people or correction else "rules",
                notes=tuple(notes.get(k, ())), trail=tuple(TrailLink.from_json(t) for t in trail),
                suggestion=suggestion if status != "done" else "", owner_contact=state.get("owner_contact", ""),
                corrected=tuple(f for f in CORRECTABLE if f in correction),
            ))
        return out

    def history(self, e: LedgerEntry) -> list[dict[str, Any]]:
        """Every change of the entry, oldest first (who, when, what)."""
        return self.index.followup_history(e.minute_id, e.quote)

    @staticmethod
    def find(item_id: str, entries: Sequence[LedgerEntry]) -> LedgerEntry:
        for e in entries:
            if e.item_id == item_id:
                return e
        raise NotFound(f"no ledger entry {item_id!r} (see `minutes-rag actions --json` for the ids)")

    # -- changing --------------------------------------------------------------------------
    def set_state(
        self, e: LedgerEntry, *, user: str, status: str | None = None, note: str | None = None,
        owner_contact: str | None = None,
    ) -> None:
        if status is not None and status not in STATUSES:
            raise InvalidRequest("status", f"unknown status {status!r}: one of {', '.join(STATUSES)}")
        if note is not None and not note.strip():
            raise InvalidRequest("note", "the note is empty")
        self._user(user)
        at = self.clock()
        self.index.update_followup(
            e.minute_id, e.quote, user=user, at=at, default_status=DEFAULT_STATUS,
            status=status, note=note.strip() if note else None, owner_contact=owner_contact,
        )
        change = {k: v for k, v in (("status", status), ("note", note), ("owner_contact", owner_contact)) if v}
        self._changed(e, "state", change, user, at)

    def correct(
        self, e: LedgerEntry, *, user: str, lead: Sequence[str] | None = None, deadline: str | None = None,
        kind: str | None = None, note: str | None = None,
    ) -> None:
        """A person's correction of an entry's lead, deadline or kind: kept over every
        re-extraction (it is stored by the entry's minute and quote)."""
        correction: dict[str, Any] = {}
        if lead is not None:
            correction["lead"] = [u.strip() for u in lead if u.strip()]
        if deadline is not None:
            correction["deadline"] = deadline.strip()
        if kind is not None:
            if kind not in KINDS:
                raise InvalidRequest("kind", f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
            correction["kind"] = kind
        if not correction:
            raise InvalidRequest("correction", "nothing to correct: give --lead, --deadline or --kind")
        self._user(user)
        at = self.clock()
        self.index.update_followup(
            e.minute_id, e.quote, user=user, at=at, default_status=DEFAULT_STATUS,
            correction=correction, note=note.strip() if note and note.strip() else None,
        )
        self._changed(e, "correct", correction, user, at)

    def add(
        self, minute_ref: str, start: int, end: int, kind: str, *, user: str, lead: Sequence[str] = (),
        deadline: str = "", partners: Sequence[str] = (),
    ) -> LedgerEntry:
        """A person's entry: the verbatim text of the minute from ``start`` to ``end``."""
        if kind not in KINDS:
            raise InvalidRequest("kind", f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
        self._user(user)
        minute_id = self.index.resolve_minute(minute_ref)
        minute = self.index.minute(minute_id)
        if not 0 <= start < end <= len(minute.text):
            raise InvalidRequest(
                "offsets", f"offsets {start}..{end} are outside the minute {minute_id} (its text has "
                f"{len(minute.text)} characters; start must be below end)"
            )
        quote = minute.text[start:end]
        if not quote.strip():
            raise InvalidRequest("offsets", f"the text of {minute_id} from {start} to {end} is blank")
        section = next((s for s in self.index.sections_of(minute_id) if s.start <= start < s.end), None)
        taken = {d["item_id"] for d in self.index.person_entries() if d["minute_id"] == minute_id}
        item_id, n = f"{minute_id}-{PERSON_ITEM}{start}", 0
        while item_id in taken:
            n += 1
            item_id = f"{minute_id}-{PERSON_ITEM}{start}-{n}"
        meta = minute.meta
        entry = LedgerEntry(
            item_id=item_id, minute_id=minute_id, doc_number=meta.doc_number, meeting_number=meta.meeting_number,
            date=meta.date, label=section.label if section else "",
            section_id=section.section_id if section else "", kind=kind,
            lead=tuple(u.strip() for u in lead if u.strip()), partners=tuple(u.strip() for u in partners if u.strip()),
            deadline=deadline.strip(), quote=quote, start=start, end=end,
            task=quote if kind == "assignment" else "",
        )
        self.index.add_person_entry(entry.to_json(), user=user, at=self.clock(), default_status=DEFAULT_STATUS)
        from minutes_rag.followup.alerts import Alerts

        Alerts(self.index, self.clock).on_added(entry)
        return entry

    def _changed(self, e: LedgerEntry, action: str, detail: dict[str, Any], user: str, at: str) -> None:
        """Events for whoever follows the entry (``followup/alerts.py``); delivered by the
        next ``Alerts.deliver``."""
        from minutes_rag.followup.alerts import Alerts

        Alerts(self.index, self.clock).on_change(e, action, detail, user, at)

    @staticmethod
    def _user(user: str) -> None:
        if not user or not user.strip():
            raise InvalidRequest("user", "a change needs the name of the user who makes it")
