"""The follow-up tables of ``state.sqlite`` (``followup/``): the state a person gave a ledger
entry (status, owner contact, corrections), the append-only history of every change (notes
included), the entries people added from a passage, and the trail computed after ingest.

An entry's identity here is its minute and its quote, not its ``item_id``: a new extractor
version that finds the same quote again keeps the state, and a state whose quote no entry
holds any more is reported (``orphaned_followups``), never deleted. Values are plain strings
and JSON; what they mean (statuses, fields) is ``followup/``'s to decide. A second store
(PostgreSQL) implements the same methods.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from minutes_rag.index.connection import Connections

FOLLOWUP_SCHEMA = """
CREATE TABLE IF NOT EXISTS entry_state (
    minute_id TEXT NOT NULL, quote TEXT NOT NULL, status TEXT NOT NULL, owner_contact TEXT NOT NULL DEFAULT '',
    correction TEXT NOT NULL DEFAULT '{}', updated_at TEXT, updated_by TEXT, PRIMARY KEY (minute_id, quote));
CREATE TABLE IF NOT EXISTS entry_history (
    rid INTEGER PRIMARY KEY AUTOINCREMENT, minute_id TEXT NOT NULL, quote TEXT NOT NULL, action TEXT NOT NULL,
    detail TEXT, user TEXT, at TEXT);
CREATE INDEX IF NOT EXISTS entry_history_key ON entry_history(minute_id, quote);
CREATE TABLE IF NOT EXISTS person_entries (
    item_id TEXT PRIMARY KEY, minute_id TEXT NOT NULL, quote TEXT NOT NULL, data TEXT NOT NULL, user TEXT, at TEXT);
CREATE INDEX IF NOT EXISTS person_entries_minute ON person_entries(minute_id);
CREATE TABLE IF NOT EXISTS entry_trail (
    minute_id TEXT NOT NULL, quote TEXT NOT NULL, trail TEXT NOT NULL, suggestion TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (minute_id, quote));
CREATE TABLE IF NOT EXISTS trail_done (minute_id TEXT PRIMARY KEY, version TEXT);
"""


def migrate_add_followup(db: sqlite3.Connection) -> None:
    """The follow-up tables (part of schema 1 -> 2). Statement by statement: the migration
    runs inside a transaction, which ``executescript`` would commit."""
    for statement in FOLLOWUP_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


class FollowupMixin(Connections):
    # -- reading -----------------------------------------------------------------------------
    def followup_states(self, minute_ids: list[str] | None = None) -> dict[tuple[str, str], dict[str, Any]]:
        """(minute id, quote) -> {"status", "owner_contact", "correction", "updated_at", "updated_by"}."""
        sql = "SELECT minute_id, quote, status, owner_contact, correction, updated_at, updated_by FROM entry_state"
        rows = self._q(sql)
        wanted = set(minute_ids) if minute_ids is not None else None
        return {
            (r[0], r[1]): {
                "status": r[2], "owner_contact": r[3], "correction": json.loads(r[4] or "{}"),
                "updated_at": r[5] or "", "updated_by": r[6] or "",
            }
            for r in rows
            if wanted is None or r[0] in wanted
        }

    def followup_history(self, minute_id: str | None = None, quote: str | None = None) -> list[dict[str, Any]]:
        """Every change, oldest first: {"minute_id", "quote", "action", "detail", "user", "at"}."""
        sql, args = "SELECT minute_id, quote, action, detail, user, at FROM entry_history", []
        if minute_id is not None and quote is not None:
            sql += " WHERE minute_id=? AND quote=?"
            args = [minute_id, quote]
        rows = self._q(sql + " ORDER BY rid", args)
        return [
            {"minute_id": r[0], "quote": r[1], "action": r[2], "detail": json.loads(r[3] or "null"),
             "user": r[4] or "", "at": r[5] or ""}
            for r in rows
        ]

    def person_entries(self) -> list[dict[str, Any]]:
        """The entries people added (their ``LedgerEntry.to_json()`` shape), by minute and offset."""
        return [json.loads(r[0]) for r in self._q("SELECT data FROM person_entries ORDER BY minute_id, item_id")]

    def orphaned_followups(self) -> list[dict[str, str]]:
        """States (and people's entries) whose quote no stored entry (or minute text) holds any
        more: reported by ``doctor``, kept in the database."""
        rows = self._q(
            "SELECT s.minute_id, s.quote, s.status FROM entry_state s WHERE NOT EXISTS ("
            " SELECT 1 FROM ledger l WHERE l.minute_id = s.minute_id AND json_extract(l.data, '$.quote') = s.quote)"
            " AND NOT EXISTS (SELECT 1 FROM person_entries p WHERE p.minute_id = s.minute_id AND p.quote = s.quote)"
            " ORDER BY s.minute_id"
        )
        out = [{"minute_id": r[0], "quote": r[1], "status": r[2], "what": "state"} for r in rows]
        for r in self._q(
            "SELECT p.item_id, p.minute_id, p.quote, json_extract(p.data, '$.start'), json_extract(p.data, '$.end'),"
            " m.text FROM person_entries p LEFT JOIN minutes m ON m.minute_id = p.minute_id"
        ):
            item_id, minute_id, quote, start, end, text = r
            if text is None or text[int(start): int(end)] != quote:
                out.append({"minute_id": minute_id, "quote": quote, "status": "", "what": f"person entry {item_id}"})
        return out

    def trails(self) -> dict[tuple[str, str], tuple[list[dict[str, Any]], str]]:
        """(minute id, quote) -> (trail links, suggestion), as computed after the last ingest."""
        return {(r[0], r[1]): (json.loads(r[2]), r[3]) for r in self._q("SELECT minute_id, quote, trail, suggestion FROM entry_trail")}

    def trail_pending(self, version: str) -> list[str]:
        """Minutes whose links were not yet looked for (new or changed since, or linked by
        another version of the linker)."""
        rows = self._q(
            "SELECT m.minute_id FROM minutes m LEFT JOIN trail_done t ON t.minute_id = m.minute_id"
            " WHERE t.version IS NULL OR t.version != (? || ':' || m.content_hash) ORDER BY m.minute_id",
            (version,),
        )
        return [r[0] for r in rows]

    # -- writing (each change and its history row in one transaction) -------------------------
    @staticmethod
    def _log(db: sqlite3.Connection, minute_id: str, quote: str, action: str, detail: Any, user: str, at: str) -> None:
        db.execute(
            "INSERT INTO entry_history (minute_id, quote, action, detail, user, at) VALUES (?,?,?,?,?,?)",
            (minute_id, quote, action, json.dumps(detail, ensure_ascii=False), user, at),
        )

    @staticmethod
    def _ensure_state(db: sqlite3.Connection, minute_id: str, quote: str, status: str) -> None:
        db.execute(
            "INSERT OR IGNORE INTO entry_state (minute_id, quote, status) VALUES (?,?,?)", (minute_id, quote, status)
        )

    def update_followup(
        self, minute_id: str, quote: str, *, user: str, at: str, default_status: str,
        status: str | None = None, note: str | None = None, owner_contact: str | None = None,
        correction: dict[str, Any] | None = None,
    ) -> None:
        """One change of an entry's state, logged with ``user`` and ``at`` (ISO time). A
        ``correction`` is merged over the earlier one, field by field."""
        with self.transaction() as db:
            self._ensure_state(db, minute_id, quote, default_status)
            row = db.execute(
                "SELECT status, owner_contact, correction FROM entry_state WHERE minute_id=? AND quote=?",
                (minute_id, quote),
            ).fetchone()
            if status is not None and status != row[0]:
                db.execute("UPDATE entry_state SET status=? WHERE minute_id=? AND quote=?", (status, minute_id, quote))
                self._log(db, minute_id, quote, "status", {"from": row[0], "to": status}, user, at)
            if owner_contact is not None and owner_contact != row[1]:
                db.execute("UPDATE entry_state SET owner_contact=? WHERE minute_id=? AND quote=?",
                           (owner_contact, minute_id, quote))
                self._log(db, minute_id, quote, "contact", {"from": row[1], "to": owner_contact}, user, at)
            if correction:
                merged = {**json.loads(row[2] or "{}"), **correction}
                db.execute("UPDATE entry_state SET correction=? WHERE minute_id=? AND quote=?",
                           (json.dumps(merged, ensure_ascii=False), minute_id, quote))
                self._log(db, minute_id, quote, "correct", correction, user, at)
            if note:
                self._log(db, minute_id, quote, "note", note, user, at)
            db.execute("UPDATE entry_state SET updated_at=?, updated_by=? WHERE minute_id=? AND quote=?",
                       (at, user, minute_id, quote))

    def add_person_entry(self, data: dict[str, Any], *, user: str, at: str, default_status: str) -> None:
        """Store an entry a person added (``LedgerEntry.to_json()`` shape) and log it."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO person_entries VALUES (?,?,?,?,?,?)",
                (data["item_id"], data["minute_id"], data["quote"], json.dumps(data, ensure_ascii=False), user, at),
            )
            self._ensure_state(db, data["minute_id"], data["quote"], default_status)
            db.execute("UPDATE entry_state SET updated_at=?, updated_by=? WHERE minute_id=? AND quote=?",
                       (at, user, data["minute_id"], data["quote"]))
            self._log(db, data["minute_id"], data["quote"], "add", {"item_id": data["item_id"], "kind": data["kind"]},
                      user, at)

    def write_trails(self, links: dict[tuple[str, str], tuple[list[dict[str, Any]], str]], done: list[str],
                     version: str) -> None:
        """Store trails (replacing each entry's earlier one) and mark ``done`` minutes linked."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO entry_trail VALUES (?,?,?,?)",
                [(m, q, json.dumps(t, ensure_ascii=False), s) for (m, q), (t, s) in links.items()],
            )
            db.executemany(
                "INSERT OR REPLACE INTO trail_done SELECT minute_id, ? || ':' || content_hash FROM minutes WHERE minute_id=?",
                [(version, m) for m in done],
            )
