"""Files, minutes and sections in ``state.sqlite``: a minute's rows written and deleted in one
transaction (the commit point of an ingest, with its lexical-index and ledger rows), and the
reads of minutes and sections by id, document number, scope and filters."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from minutes_rag.errors import NotFound
from minutes_rag.index.connection import Connections
from minutes_rag.lexical import tokenize
from minutes_rag.model import Filters, Minute, MinuteMeta, PageSpan, Section
from minutes_rag.reading import MinuteRead

if TYPE_CHECKING:
    from minutes_rag.ledger.model import LedgerEntry


class MinutesMixin(Connections):
    if TYPE_CHECKING:  # the ledger's (``ledger.LedgerMixin``), written in a minute's transaction

        @staticmethod
        def _write_ledger(db: sqlite3.Connection, minute_id: str, entries: Sequence[LedgerEntry], version: str) -> None: ...

    # -- files ---------------------------------------------------------------------------
    def file_record(self, path: str) -> tuple[str, int, int, str] | None:
        rows = self._q("SELECT minute_id, size, mtime_ns, content_hash FROM files WHERE path=?", (path,))
        return rows[0] if rows else None

    def touch_file(self, path: str, size: int, mtime_ns: int) -> None:
        with self._lock:
            self._db.execute("UPDATE files SET size=?, mtime_ns=? WHERE path=?", (size, mtime_ns, path))

    def all_files(self) -> list[tuple[str, str]]:
        return self._q("SELECT path, minute_id FROM files ORDER BY path")

    # -- minutes and sections ------------------------------------------------------------
    def write_minute(
        self,
        minute: Minute,
        sections: Sequence[Section],
        *,
        size: int,
        mtime_ns: int,
        collection: str,
        lexicon_words: Sequence[str],
        ledger: Sequence[LedgerEntry] = (),
        ledger_version: str = "",
        read: MinuteRead | None = None,
    ) -> tuple[set[str], set[str]]:
        """Replace a minute's rows (sections, lexical index, ledger, file record) in one
        transaction. Returns (old section ids, new section ids)."""
        new_ids = {s.section_id for s in sections}
        token_rows = [" ".join(tokenize(s.title + "\n" + s.text)) for s in sections]
        meta = minute.meta
        with self.transaction() as db:
            old = {r[0] for r in db.execute("SELECT section_id FROM sections WHERE minute_id=?", (minute.minute_id,))}
            db.execute(
                "DELETE FROM sections_fts WHERE rowid IN (SELECT rid FROM sections WHERE minute_id=?)",
                (minute.minute_id,),
            )
            db.execute("DELETE FROM sections WHERE minute_id=?", (minute.minute_id,))
            db.execute(
                "INSERT OR REPLACE INTO minutes VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    minute.minute_id, minute.source, minute.content_hash, minute.text,
                    json.dumps(meta.to_dict(), ensure_ascii=False), meta.doc_number, meta.meeting_number,
                    meta.date_int, meta.title, meta.lang,
                ),
            )
            for order, (sec, toks) in enumerate(zip(sections, token_rows)):
                cur = db.execute(
                    'INSERT INTO sections (section_id, minute_id, label_path, kind, title, text, start, "end", part, parts, ord)'
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        sec.section_id, sec.minute_id, json.dumps(list(sec.label_path), ensure_ascii=False),
                        sec.kind, sec.title, sec.text, sec.start, sec.end, sec.part, sec.parts, order,
                    ),
                )
                db.execute("INSERT INTO sections_fts (rowid, tokens) VALUES (?, ?)", (cur.lastrowid, toks))
            db.execute("DELETE FROM pages WHERE minute_id=?", (minute.minute_id,))
            db.executemany(
                "INSERT INTO pages (minute_id, page, start, printed) VALUES (?,?,?,?)",
                [(minute.minute_id, p.page, p.start, p.printed) for p in minute.pages],
            )
            db.execute(
                "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?)",
                (minute.source, minute.minute_id, size, mtime_ns, minute.content_hash, time.time()),
            )
            db.executemany("INSERT OR IGNORE INTO lexicon VALUES (?)", [(w,) for w in lexicon_words])
            db.execute(
                "INSERT OR REPLACE INTO embedded VALUES (?,?,?)", (collection, minute.minute_id, minute.content_hash)
            )
            self._write_ledger(db, minute.minute_id, ledger, ledger_version)
            if read is not None:
                self._write_read(db, read)
            self._bump(db)
        return old, new_ids

    # -- how minutes were read (reading.py) ------------------------------------------------
    @staticmethod
    def _write_read(db: sqlite3.Connection, read: MinuteRead) -> None:
        db.execute(
            "INSERT OR REPLACE INTO minute_reads VALUES (?,?,?,?,?,?,?)",
            (read.minute_id, read.path, read.family, read.items, read.ledger_entries, read.chars, read.splitter),
        )

    def record_read(self, read: MinuteRead) -> None:
        """Record how a minute was read (its sections unchanged), if it is still there."""
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM minutes WHERE minute_id=?", (read.minute_id,)).fetchone():
                self._write_read(db, read)

    def minute_reads(self) -> list[MinuteRead]:
        """How each minute was last read, by path."""
        rows = self._q("SELECT path, minute_id, family, items, ledger_entries, chars, splitter FROM minute_reads ORDER BY path")
        return [MinuteRead(*r) for r in rows]

    def split_stale(self, version: str) -> list[str]:
        """The minutes whose sections another splitter version made (or an unknown one)."""
        rows = self._q(
            "SELECT m.minute_id FROM minutes m LEFT JOIN minute_reads r ON r.minute_id = m.minute_id"
            " WHERE r.splitter IS NULL OR r.splitter != ? ORDER BY m.minute_id",
            (version,),
        )
        return [r[0] for r in rows]

    def delete_minute(self, minute_id: str) -> int:
        with self.transaction() as db:
            n = db.execute("SELECT COUNT(*) FROM sections WHERE minute_id=?", (minute_id,)).fetchone()[0]
            db.execute("DELETE FROM sections_fts WHERE rowid IN (SELECT rid FROM sections WHERE minute_id=?)", (minute_id,))
            db.execute("DELETE FROM sections WHERE minute_id=?", (minute_id,))
            db.execute("DELETE FROM minutes WHERE minute_id=?", (minute_id,))
            db.execute("DELETE FROM files WHERE minute_id=?", (minute_id,))
            db.execute("DELETE FROM embedded WHERE minute_id=?", (minute_id,))
            db.execute("DELETE FROM ledger WHERE minute_id=?", (minute_id,))
            db.execute("DELETE FROM ledger_state WHERE minute_id=?", (minute_id,))
            db.execute("DELETE FROM minute_reads WHERE minute_id=?", (minute_id,))
            db.execute("DELETE FROM pages WHERE minute_id=?", (minute_id,))
            self._bump(db)
        return int(n)

    def section_ids(self, minute_id: str) -> set[str]:
        return {r[0] for r in self._q("SELECT section_id FROM sections WHERE minute_id=?", (minute_id,))}

    def minute_count(self) -> int:
        return int(self._q("SELECT COUNT(*) FROM minutes")[0][0])

    def section_count(self) -> int:
        return int(self._q("SELECT COUNT(*) FROM sections")[0][0])

    def _section(self, row: tuple) -> Section:
        sid, mid, lp, kind, title, text, start, end, part, parts = row
        return Section(sid, mid, tuple(json.loads(lp)), kind, title, text, start, end, part, parts)

    _SEC_COLS = 'section_id, minute_id, label_path, kind, title, text, start, "end", part, parts'

    def sections_of(self, minute_id: str) -> list[Section]:
        rows = self._q(f"SELECT {self._SEC_COLS} FROM sections WHERE minute_id=? ORDER BY ord", (minute_id,))
        return [self._section(r) for r in rows]

    def section_ids_in(self, minute_ids: Sequence[str], *, limit: int = -1) -> list[str]:
        """Section ids of these minutes (at most ``limit`` of them; -1: all)."""
        if not minute_ids:
            return []
        mids = list(minute_ids)
        rows = self._q(
            f"SELECT section_id FROM sections WHERE minute_id IN ({','.join('?' * len(mids))}) LIMIT ?", [*mids, limit]
        )
        return [r[0] for r in rows]

    def section_ids_of_kinds(self, minute_ids: Sequence[str], kinds: Sequence[str]) -> list[tuple[str, str, str]]:
        """(minute_id, kind, section_id) of those minutes' sections of those kinds, in minute
        order: one indexed query, not a read of each minute's every section."""
        if not minute_ids or not kinds:
            return []
        mids, ks = list(minute_ids), list(kinds)
        rows = self._q(
            f"SELECT minute_id, kind, section_id FROM sections WHERE minute_id IN ({','.join('?' * len(mids))})"
            f" AND kind IN ({','.join('?' * len(ks))}) ORDER BY ord",
            [*mids, *ks],
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def sections_by_id(self, ids: Sequence[str]) -> dict[str, Section]:
        out: dict[str, Section] = {}
        ids = list(ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self._q(f"SELECT {self._SEC_COLS} FROM sections WHERE section_id IN ({marks})", chunk):
                out[r[0]] = self._section(r)
        return out

    def meta(self, minute_id: str) -> MinuteMeta:
        rows = self._q("SELECT meta FROM minutes WHERE minute_id=?", (minute_id,))
        if not rows:
            raise NotFound(f"no minute {minute_id!r} in the index")
        return MinuteMeta.from_dict(json.loads(rows[0][0]))

    def metas(self, minute_ids: Sequence[str]) -> dict[str, MinuteMeta]:
        ids = list(set(minute_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._q(f"SELECT minute_id, meta FROM minutes WHERE minute_id IN ({marks})", ids)
        return {r[0]: MinuteMeta.from_dict(json.loads(r[1])) for r in rows}

    def minute(self, minute_id: str) -> Minute:
        rows = self._q("SELECT minute_id, source, content_hash, text, meta FROM minutes WHERE minute_id=?", (minute_id,))
        if not rows:
            raise NotFound(f"no minute {minute_id!r} in the index")
        mid, source, chash, text, meta = rows[0]
        pages = self.page_maps([mid]).get(mid, ())
        return Minute(mid, source, chash, text, MinuteMeta.from_dict(json.loads(meta)), pages=pages)

    def page_maps(self, minute_ids: Sequence[str]) -> dict[str, tuple[PageSpan, ...]]:
        """The page maps of these minutes (a minute without pages is left out)."""
        ids = list(set(minute_ids))
        out: dict[str, list[PageSpan]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = self._q(
                f"SELECT minute_id, page, start, printed FROM pages WHERE minute_id IN ({','.join('?' * len(chunk))})"
                " ORDER BY minute_id, page",
                chunk,
            )
            for mid, page, start, printed in rows:
                out.setdefault(mid, []).append(PageSpan(page, start, printed or ""))
        return {k: tuple(v) for k, v in out.items()}

    def resolve_minute(self, ref: str) -> str:
        """A minute id, a document number (〔2020〕21号 or 2020-21 style), or a source path."""
        ref = ref.strip()
        if self._q("SELECT 1 FROM minutes WHERE minute_id=?", (ref,)):
            return ref
        rows = self._q("SELECT minute_id FROM minutes WHERE doc_number=? ORDER BY date", (ref,))
        if not rows:
            rows = self._q("SELECT minute_id FROM minutes WHERE source=? OR source LIKE ?", (ref, "%/" + ref))
        if not rows:
            raise NotFound(f"no minute with id or document number {ref!r}")
        return rows[0][0]

    def list_minutes(self) -> list[dict]:
        rows = self._q(
            "SELECT m.minute_id, m.title, m.doc_number, m.meeting_number, m.meta, m.source,"
            " (SELECT COUNT(*) FROM sections s WHERE s.minute_id=m.minute_id)"
            " FROM minutes m ORDER BY m.date IS NULL, m.date, m.doc_number, m.source"
        )
        out = []
        for mid, title, doc, meeting, meta, source, n in rows:
            out.append(
                {
                    "minute_id": mid,
                    "title": title,
                    "doc_number": doc,
                    "meeting_number": meeting,
                    "date": json.loads(meta).get("date", ""),
                    "source": source,
                    "sections": n,
                }
            )
        return out

    def minute_ids_matching(self, filters: Filters) -> list[str] | None:
        """Minute ids that pass the filters, or None when there is no filter."""
        if filters.is_empty():
            return None
        sql: list[str] = ["SELECT minute_id FROM minutes WHERE 1=1"]
        args: list[Any] = []
        for column, op, value in filters.conditions():  # columns and ops from a fixed set
            sql.append(f"AND {column} {op} ?")
            args.append(value)
        return [r[0] for r in self._q(" ".join(sql), args)]
