"""The ledger tables of ``state.sqlite``: ``ledger`` (decisions, assignments, reports of each
minute, written with its sections) and ``ledger_state`` (the extractor version of each
minute's rows)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from minutes_rag.index.connection import Connections
from minutes_rag.ledger.model import LedgerEntry, LedgerFilter


class LedgerMixin(Connections):
    @staticmethod
    def _write_ledger(db: sqlite3.Connection, minute_id: str, entries: Sequence[LedgerEntry], version: str) -> None:
        db.execute("DELETE FROM ledger WHERE minute_id=?", (minute_id,))
        db.executemany(
            "INSERT INTO ledger VALUES (?,?,?,?,?,?,?,?)",
            [
                (
                    e.item_id, e.minute_id, e.doc_number, e.section_id, e.kind,
                    int(e.date.replace("-", "")) if e.date else None, e.start,
                    json.dumps(e.to_json(), ensure_ascii=False),
                )
                for e in entries
            ],
        )
        if version:
            db.execute("INSERT OR REPLACE INTO ledger_state VALUES (?, ?)", (minute_id, version))
        else:
            db.execute("DELETE FROM ledger_state WHERE minute_id=?", (minute_id,))

    # -- ledger --------------------------------------------------------------------------
    def replace_ledger(self, minute_id: str, entries: Sequence[LedgerEntry], version: str) -> None:
        """Replace one minute's ledger rows (re-extraction), if the minute is still there."""
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM minutes WHERE minute_id=?", (minute_id,)).fetchone():
                self._write_ledger(db, minute_id, entries, version)
                # how the minute was read counts its ledger entries (reading.MinuteRead)
                db.execute("UPDATE minute_reads SET ledger_entries=? WHERE minute_id=?", (len(entries), minute_id))
                self._bump(db)

    def ledger_stale(self, version: str) -> list[str]:
        """Minutes whose ledger was made by another extractor version, or never."""
        rows = self._q(
            "SELECT m.minute_id FROM minutes m LEFT JOIN ledger_state l ON l.minute_id = m.minute_id"
            " WHERE l.version IS NULL OR l.version != ? ORDER BY m.minute_id",
            (version,),
        )
        return [r[0] for r in rows]

    def ledger_count(self, minute_id: str | None = None) -> int:
        """Ledger entries of the archive, or of one minute."""
        if minute_id is not None:
            return int(self._q("SELECT COUNT(*) FROM ledger WHERE minute_id=?", (minute_id,))[0][0])
        return int(self._q("SELECT COUNT(*) FROM ledger")[0][0])

    def ledger_entries(self, flt: LedgerFilter = LedgerFilter()) -> list[LedgerEntry]:
        """Ledger entries passing the filter, in date order (then minute, then text order).
        Minute, kind and dates are filtered in SQL; unit, keyword and named-only by
        ``LedgerFilter.matches``."""
        sql = ["SELECT data FROM ledger WHERE 1=1"]
        args: list[object] = []
        if flt.minute:
            sql.append("AND (minute_id = ? OR doc_number = ?)")
            args += [flt.minute, flt.minute]
        if flt.kind:
            sql.append("AND kind = ?")
            args.append(flt.kind)
        if flt.date_from:
            sql.append("AND date >= ?")
            args.append(int(flt.date_from.replace("-", "")))
        if flt.date_to:
            sql.append("AND date <= ?")
            args.append(int(flt.date_to.replace("-", "")))
        sql.append("ORDER BY date IS NULL, date, minute_id, start, kind")
        entries = [LedgerEntry.from_json(json.loads(r[0])) for r in self._q(" ".join(sql), args)]
        return [e for e in entries if flt.matches(e)]
