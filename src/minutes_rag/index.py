"""The state database (``state.sqlite`` in the data directory): files, minutes, sections, the
lexical index (FTS5, BM25), the jieba user dictionary, the embedding cache, a journal, and
the ledger (decisions, assignments, reports extracted from the sections; ``ledger/``).

SQLite is the source of truth for what is ingested. A minute's rows, its lexical-index rows
and its file record change in one transaction, which is the commit point of an ingest; Chroma
is brought in line around it (see ``ingestion.py``), and a minute whose Chroma write was
interrupted is listed in ``journal`` so the next open repairs it. The ledger rows of a minute
are written and deleted in the same transaction as its sections, so they are never out of
step; ``ledger_state`` records which extractor version produced them (a new version
re-extracts from the stored sections, see ``ingestion.refresh_ledger``).
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from minutes_rag.errors import NotFound, StoreError
from minutes_rag.ledger.model import LedgerEntry, LedgerFilter
from minutes_rag.lexical import TOKENIZER_VERSION, bigrams, tokenize
from minutes_rag.model import Filters, Minute, MinuteMeta, Section

log = logging.getLogger(__name__)

# The layout of state.sqlite. Opening a database of another version migrates it with the
# steps below (each takes version n to n + 1 inside one transaction) or, where no step
# exists, refuses with what to do: nothing is guessed over data that may not be rebuilt.
SCHEMA_VERSION = 1
MAX_QUERY_TERMS = 24  # BM25 terms per question
# the postings an FTS5 OR query may read (its cost grows with them): past two terms, the
# commonest terms are left out once the rarer ones add up to this many sections
POSTING_BUDGET = 7000
# FTS5's unicode61 tokenizer reads "_" as a separator: the "_xy" bigram tokens of
# ``lexical`` are the terms "xy" in the index
_PLAIN_TERM = re.compile(r"[^\W_]+")


# a scope (the minutes a question names) of at most this many sections is ranked in Python
SCOPED_BM25_LIMIT = 3000


def _varints(blob: bytes) -> list[int]:
    """SQLite's varints (7 bits a byte, high bit set on all but the last; a 9th byte whole)."""
    out: list[int] = []
    value, count = 0, 0
    for byte in blob:
        count += 1
        if count == 9:
            out.append((value << 8) | byte)
            value, count = 0, 0
        elif byte & 0x80:
            value = (value << 7) | (byte & 0x7F)
        else:
            out.append((value << 7) | byte)
            value, count = 0, 0
    return out


def _fts_term(token: str) -> str:
    return token.strip("_")


_MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, minute_id TEXT NOT NULL, size INTEGER, mtime_ns INTEGER,
    content_hash TEXT, ingested_at REAL);
CREATE TABLE IF NOT EXISTS minutes (
    minute_id TEXT PRIMARY KEY, source TEXT, content_hash TEXT, text TEXT, meta TEXT,
    doc_number TEXT, meeting_number INTEGER, date INTEGER, title TEXT, lang TEXT);
CREATE TABLE IF NOT EXISTS sections (
    rid INTEGER PRIMARY KEY AUTOINCREMENT, section_id TEXT UNIQUE NOT NULL,
    minute_id TEXT NOT NULL, label_path TEXT, kind TEXT, title TEXT, text TEXT,
    start INTEGER, "end" INTEGER, part INTEGER, parts INTEGER, ord INTEGER);
CREATE INDEX IF NOT EXISTS sections_minute ON sections(minute_id);
CREATE INDEX IF NOT EXISTS minutes_meeting ON minutes(meeting_number);
CREATE INDEX IF NOT EXISTS minutes_doc ON minutes(doc_number);
CREATE INDEX IF NOT EXISTS minutes_date ON minutes(date);
CREATE VIRTUAL TABLE IF NOT EXISTS sections_fts USING fts5(tokens, tokenize = 'unicode61 remove_diacritics 0');
CREATE TABLE IF NOT EXISTS lexicon (word TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS embed_cache (model TEXT, text_hash TEXT, vector BLOB, PRIMARY KEY (model, text_hash));
CREATE TABLE IF NOT EXISTS embedded (collection TEXT, minute_id TEXT, content_hash TEXT, PRIMARY KEY (collection, minute_id));
CREATE TABLE IF NOT EXISTS journal (minute_id TEXT PRIMARY KEY, started_at REAL);
CREATE TABLE IF NOT EXISTS ledger (
    item_id TEXT PRIMARY KEY, minute_id TEXT NOT NULL, doc_number TEXT, section_id TEXT, kind TEXT,
    date INTEGER, start INTEGER, data TEXT);
CREATE INDEX IF NOT EXISTS ledger_minute ON ledger(minute_id);
CREATE TABLE IF NOT EXISTS ledger_state (minute_id TEXT PRIMARY KEY, version TEXT);
"""


class StateIndex:
    """The state database. ``readonly`` opens it for reading only (a read-only data dir, a
    reader that must not create anything); a missing writable dir is created."""

    def __init__(self, data_dir: Path, *, readonly: bool | None = None) -> None:
        self.path = data_dir / "state.sqlite"
        check_data_dir(data_dir)
        if readonly is None:
            readonly = data_dir.exists() and not _writable(data_dir, self.path)
        self.readonly = readonly
        self._lock = threading.RLock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._total, self._total_at = 0, -1e9
        self._df_cache: dict[str, int] = {}
        self._totals: tuple[int, float] | None = None
        try:
            if readonly:
                self._db = _open_readonly(self.path)
                return
            data_dir.mkdir(parents=True, exist_ok=True)
            # the writer's connection (ingest), serialised by a lock; reads go through one
            # connection per thread (``_reader``), so that users asking at once read in
            # parallel (WAL: readers keep a consistent snapshot while a writer commits, and
            # never block it, nor it them)
            self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=30.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the index database {self.path}: {exc}") from exc
        try:
            # an up-to-date database is only read here: a reader opening it while a writer
            # commits must not need the write lock
            if not self._has_schema():
                self._db.execute("CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT)")
            migrated = self._check_schema()
            if migrated or not self._has_schema():
                self._db.executescript(_SCHEMA)
            self._check_tokenizer()
        except (sqlite3.Error, StoreError) as exc:
            self._db.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"cannot open the index database {self.path}: {exc}") from exc

    def _check_schema(self) -> bool:
        """Refuse a newer schema, migrate an older one; True when it migrated (or is new)."""
        row = self._db.execute("SELECT value FROM info WHERE key='schema'").fetchone()
        if row is None:  # a new database
            self._db.execute("INSERT INTO info VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            return True
        try:
            found = int(row[0])
        except (TypeError, ValueError):
            found = -1
        if found == SCHEMA_VERSION:
            return False
        if found > SCHEMA_VERSION:
            raise StoreError(
                f"the index {self.path} was written by a newer minutes-rag (index schema {found}, this version "
                f"reads {SCHEMA_VERSION}): upgrade minutes-rag, or ingest into a new data directory (--data-dir)"
            )
        while found < SCHEMA_VERSION:
            step = _MIGRATIONS.get(found)
            if step is None:
                raise StoreError(
                    f"the index {self.path} has schema {row[0]!r}, which this version (schema {SCHEMA_VERSION}) "
                    "cannot upgrade: ingest the files again into a new data directory (--data-dir), "
                    "then delete the old one"
                )
            with self.transaction() as db:
                step(db)
                db.execute("UPDATE info SET value=? WHERE key='schema'", (str(found + 1),))
            log.info("migrated the index %s from schema %d to %d", self.path, found, found + 1)
            found += 1
        return True

    def _has_schema(self) -> bool:
        try:
            return bool(self._db.execute("SELECT 1 FROM info WHERE key='schema'").fetchall()) and bool(
                self._db.execute("SELECT 1 FROM sqlite_master WHERE name='journal'").fetchall()
            )
        except sqlite3.Error:
            return False

    # -- the generation: bumped by every commit that changes what is indexed ---------------
    def generation(self) -> int:
        """A counter every ingest commit raises: a reader that sees it change reopens Chroma."""
        try:
            rows = self._q("SELECT value FROM info WHERE key='generation'")
        except StoreError:
            return 0
        return int(rows[0][0]) if rows else 0

    @staticmethod
    def _bump(db: sqlite3.Connection) -> None:
        db.execute(
            "INSERT INTO info VALUES ('generation', '1') ON CONFLICT(key) DO UPDATE SET "
            "value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
        )

    def _check_tokenizer(self) -> None:
        # BM25 rows hold the tokens of the tokenizer that wrote them; a query tokenised by a
        # newer rule (a changed stemmer, say) would miss them, so they are rewritten from the
        # stored section text: cheap, and no embedding is involved.
        row = self._db.execute("SELECT value FROM info WHERE key='tokenizer'").fetchone()
        if row is not None and row[0] == str(TOKENIZER_VERSION):
            return
        try:
            with self.transaction() as db:
                rows = db.execute("SELECT rid, title, text FROM sections").fetchall()
                if rows:
                    db.execute("DELETE FROM sections_fts")
                    db.executemany(
                        "INSERT INTO sections_fts (rowid, tokens) VALUES (?, ?)",
                        [(rid, " ".join(tokenize((title or "") + "\n" + (text or "")))) for rid, title, text in rows],
                    )
                db.execute("INSERT OR REPLACE INTO info VALUES ('tokenizer', ?)", (str(TOKENIZER_VERSION),))
        except sqlite3.OperationalError as exc:  # a read-only index keeps its tokens until a writer opens it
            log.warning("the lexical index of %s uses an older tokenizer and cannot be rewritten here: %s", self.path, exc)
            return
        if rows:
            log.info("re-tokenised %d sections of %s for tokenizer %d", len(rows), self.path, TOKENIZER_VERSION)

    def close(self) -> None:
        with self._lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
            self._local = threading.local()
            self._db.close()

    def _reader(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self.readonly:
                conn = _open_readonly(self.path)
            else:
                try:
                    conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=30.0)
                except sqlite3.Error as exc:
                    raise StoreError(f"cannot open the index database {self.path}: {exc}") from exc
            self._local.conn = conn
            with self._lock:
                self._readers.append(conn)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")

    def _q(self, sql: str, args: Sequence = ()) -> list[tuple]:
        try:
            return self._reader().execute(sql, args).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):  # a read-only open of a dir never ingested into
                return []
            raise

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
            db.execute(
                "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?)",
                (minute.source, minute.minute_id, size, mtime_ns, minute.content_hash, time.time()),
            )
            db.executemany("INSERT OR IGNORE INTO lexicon VALUES (?)", [(w,) for w in lexicon_words])
            db.execute(
                "INSERT OR REPLACE INTO embedded VALUES (?,?,?)", (collection, minute.minute_id, minute.content_hash)
            )
            self._write_ledger(db, minute.minute_id, ledger, ledger_version)
            self._bump(db)
        return old, new_ids

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
            self._bump(db)
        return int(n)

    def is_embedded(self, collection: str, minute_id: str, content_hash: str) -> bool:
        rows = self._q("SELECT content_hash FROM embedded WHERE collection=? AND minute_id=?", (collection, minute_id))
        return bool(rows) and rows[0][0] == content_hash

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
        return Minute(mid, source, chash, text, MinuteMeta.from_dict(json.loads(meta)))

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

    # -- ledger --------------------------------------------------------------------------
    def replace_ledger(self, minute_id: str, entries: Sequence[LedgerEntry], version: str) -> None:
        """Replace one minute's ledger rows (re-extraction), if the minute is still there."""
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM minutes WHERE minute_id=?", (minute_id,)).fetchone():
                self._write_ledger(db, minute_id, entries, version)
                self._bump(db)

    def ledger_stale(self, version: str) -> list[str]:
        """Minutes whose ledger was made by another extractor version, or never."""
        rows = self._q(
            "SELECT m.minute_id FROM minutes m LEFT JOIN ledger_state l ON l.minute_id = m.minute_id"
            " WHERE l.version IS NULL OR l.version != ? ORDER BY m.minute_id",
            (version,),
        )
        return [r[0] for r in rows]

    def ledger_count(self) -> int:
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

    # -- lexical search ------------------------------------------------------------------
    def _vocab(self) -> None:
        """FTS5's own term statistics, as a table in this thread's connection's temp schema
        (a reader never writes to the database for it)."""
        if not getattr(self._local, "vocab", False):
            try:
                self._reader().execute(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.sections_vocab USING fts5vocab(main, sections_fts, 'row')"
                )
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the lexical index's vocabulary in {self.path}: {exc}") from exc
            self._local.vocab = True

    def doc_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        """How many sections hold each (FTS-normalised) term; terms in none are absent.

        fts5vocab counts a term's sections by reading its posting list, so the counts are
        kept in memory until the database changes (``PRAGMA data_version`` of this thread's
        connection moves when another connection commits)."""
        terms = list(dict.fromkeys(terms))
        if not terms:
            return {}
        self._vocab()
        version = self._reader().execute("PRAGMA data_version").fetchone()[0]
        if getattr(self._local, "data_version", None) != version:
            if self._local.__dict__.get("data_version") is not None:
                self._df_cache.clear()
                self._totals = None
            self._local.data_version = version
        cache = self._df_cache
        missing = [t for t in terms if t not in cache]
        for i in range(0, len(missing), 500):
            chunk = missing[i : i + 500]
            rows = self._q(f"SELECT term, doc FROM temp.sections_vocab WHERE term IN ({','.join('?' * len(chunk))})", chunk)
            found = {r[0]: int(r[1]) for r in rows}
            if len(cache) > 200_000:
                cache.clear()
            cache.update({t: found.get(t, 0) for t in chunk})
        return {t: cache[t] for t in terms if cache.get(t)}

    def _section_total(self) -> int:
        # for the share of sections a term is in; a minute's staleness does not matter here
        now = time.monotonic()
        if now - self._total_at > 30:
            self._total, self._total_at = self.section_count(), now
        return self._total

    def query_terms(self, query_tokens: Sequence[str], *, budget: bool = True) -> list[str]:
        """The terms worth a BM25 query: the question's words that some section holds (a word
        in none is replaced by its character bigrams), rarest first, at most
        ``MAX_QUERY_TERMS``, and past the two rarest only while their sections add up to at
        most ``POSTING_BUDGET``. The cost of an FTS5 OR query is the length of its posting
        lists; a term that much of the archive holds adds length, and little to BM25."""
        # a word that is also a bigram (人才, _人才) is one FTS term; asked for twice, as the
        # index holds it twice, it keeps the weight the words of a question have always had
        weight = Counter(_fts_term(t) for t in query_tokens if _fts_term(t))
        words = list(weight)
        phrases = [w for w in words if not _PLAIN_TERM.fullmatch(w)]  # "2.5", "council's": FTS phrases
        plain = [w for w in words if _PLAIN_TERM.fullmatch(w)]
        fallback = {w: [_fts_term(b) for b in bigrams(w)] for w in plain}
        # the question's bigram tokens (``_xy``) and fallbacks, as opposed to its words
        bigram_set = {_fts_term(t) for t in query_tokens if t.startswith("_")} | {
            b for bs in fallback.values() for b in bs
        }
        bigram_set -= {_fts_term(t) for t in query_tokens if not t.startswith("_")}
        df = self.doc_frequencies(plain + [b for bs in fallback.values() for b in bs])
        chosen: dict[str, int] = {}
        for w in plain:
            if df.get(w):
                chosen.setdefault(w, df[w])
            else:
                for b in fallback[w]:
                    if df.get(b):
                        chosen.setdefault(b, df[b])
        # words first (rarest first), then the bigrams that carry word order, while the
        # budget lasts: a rare bigram across two words (造工 of 改造工作) says less about the
        # topic than the words themselves
        is_bigram = {t: t in bigram_set for t in chosen}
        ranked = sorted(chosen, key=lambda t: (is_bigram[t], chosen[t]))
        terms: list[str] = []
        postings = 0
        for t in ranked:
            if len(terms) >= MAX_QUERY_TERMS - len(phrases):
                break
            if budget and len(terms) >= 2 and postings + chosen[t] > POSTING_BUDGET:
                continue  # common: costs posting-list length, adds little to BM25
            terms.append(t)
            postings += chosen[t]
        return [t for t in phrases + terms for _ in range(min(2, weight.get(t, 1)))]

    def lexical_search(
        self, query_tokens: Sequence[str], k: int, minute_ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """BM25 over the FTS5 index: [(section_id, score)] best first (score higher = better)."""
        if minute_ids is not None:
            if not minute_ids:
                return []
            rows = self._q(
                "SELECT s.section_id, f.tokens FROM sections s JOIN sections_fts f ON f.rowid = s.rid"
                f" WHERE s.minute_id IN ({','.join('?' * len(minute_ids))}) LIMIT ?",
                [*minute_ids, SCOPED_BM25_LIMIT + 1],
            )
            terms = self.query_terms(query_tokens, budget=False)
            if len(rows) <= SCOPED_BM25_LIMIT and all(_PLAIN_TERM.fullmatch(t) for t in terms):
                return self._bm25(terms, rows, k)  # (phrases, "2.5", are left to FTS5)
        terms = self.query_terms(query_tokens)
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        if minute_ids is not None:
            sql = (
                "SELECT s.section_id, -bm25(sections_fts) FROM sections_fts"
                " JOIN sections s ON s.rid = sections_fts.rowid WHERE sections_fts MATCH ?"
                f" AND s.minute_id IN ({','.join('?' * len(minute_ids))}) ORDER BY bm25(sections_fts) LIMIT ?"
            )
            args = [match, *minute_ids, k]
        else:
            # rank is bm25() (lower is better); the join to section ids runs on the top k only
            sql = (
                "SELECT s.section_id, -f.rank FROM (SELECT rowid AS rid, rank FROM sections_fts"
                " WHERE sections_fts MATCH ? ORDER BY rank LIMIT ?) f JOIN sections s ON s.rid = f.rid ORDER BY f.rank"
            )
            args = [match, k]
        try:
            return [(r[0], float(r[1])) for r in self._q(sql, args)]
        except sqlite3.OperationalError as exc:
            raise StoreError(f"lexical search failed: {exc}") from exc

    def _fts_totals(self) -> tuple[int, float]:
        """(sections, mean tokens per section) as FTS5 keeps them for bm25 (its "averages"
        record: varints of the row count and the token count)."""
        self.doc_frequencies(["_"])  # refreshes the caches when the database changed
        if self._totals is None:
            rows = self._q("SELECT block FROM sections_fts_data WHERE id = 1")
            values = _varints(rows[0][0]) if rows and rows[0][0] else []
            n = values[0] if values else 0
            self._totals = (n, (values[1] / n) if n and len(values) > 1 else 1.0)
        return self._totals

    def _bm25(self, terms: Sequence[str], rows: Sequence[tuple], k: int) -> list[tuple[str, float]]:
        """FTS5's bm25 (k1 1.2, b 0.75, the same index-wide idf and mean length) over the
        sections of a scope of a few minutes, from their stored tokens: FTS5 itself would
        read every posting list of the terms in the whole archive first (20-40 ms at 100k
        sections for common ones) to rank a few hundred sections."""
        if not terms or not rows:
            return []
        weight = Counter(terms)
        n, avgdl = self._fts_totals()
        df = self.doc_frequencies(list(weight))
        scored: list[tuple[float, str]] = []
        for sid, tokens in rows:
            toks = _PLAIN_TERM.findall(tokens or "")  # as unicode61 reads them ("_" and spaces split)
            if not toks:
                continue
            counts = Counter(toks)
            norm = 1.2 * (1 - 0.75 + 0.75 * len(toks) / avgdl)
            score = 0.0
            for term, w in weight.items():
                tf = counts.get(term, 0)
                if not tf:
                    continue
                d = df.get(term, 0)
                idf = max(1e-6, math.log((n - d + 0.5) / (d + 0.5))) if n else 1e-6
                score += w * idf * tf * 2.2 / (tf + norm)
            if score > 0:
                scored.append((score, sid))
        scored.sort(key=lambda x: -x[0])  # ties stay in the order of the minute
        return [(sid, sc) for sc, sid in scored[:k]]

    def lexicon(self) -> list[str]:
        return [r[0] for r in self._q("SELECT word FROM lexicon")]

    # -- embedding cache -----------------------------------------------------------------
    def cached_vectors(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        hashes = list(set(hashes))
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for h, blob in self._q(
                f"SELECT text_hash, vector FROM embed_cache WHERE model=? AND text_hash IN ({marks})", [model, *chunk]
            ):
                out[h] = np.frombuffer(blob, dtype=np.float32)
        return out

    def cache_vectors(self, model: str, items: dict[str, np.ndarray]) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO embed_cache VALUES (?,?,?)",
                [(model, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items.items()],
            )

    # -- journal -------------------------------------------------------------------------
    def journal_begin(self, minute_id: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO journal VALUES (?, ?)", (minute_id, time.time()))

    def journal_end(self, minute_id: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM journal WHERE minute_id=?", (minute_id,))

    def journal_pending(self) -> list[str]:
        return [r[0] for r in self._q("SELECT minute_id FROM journal")]

    # -- what Chroma should hold -----------------------------------------------------------
    def expected_count(self, collection: str) -> int:
        """Sections of the minutes recorded as embedded in ``collection``."""
        rows = self._q(
            "SELECT COUNT(*) FROM sections s JOIN embedded e ON e.minute_id = s.minute_id WHERE e.collection=?",
            (collection,),
        )
        return int(rows[0][0]) if rows else 0

    def expected_ids(self, collection: str) -> dict[str, str]:
        """{section_id: minute_id} of the sections ``collection`` should hold."""
        rows = self._q(
            "SELECT s.section_id, s.minute_id FROM sections s JOIN embedded e ON e.minute_id = s.minute_id"
            " WHERE e.collection=?",
            (collection,),
        )
        return {r[0]: r[1] for r in rows}

    def all_section_ids(self) -> set[str]:
        return {r[0] for r in self._q("SELECT section_id FROM sections")}

    def unmark_embedded(self, collection: str, minute_ids: Sequence[str]) -> None:
        """Forget that these minutes are in ``collection``: the next ingest embeds them again."""
        with self.transaction() as db:
            db.executemany(
                "DELETE FROM embedded WHERE collection=? AND minute_id=?", [(collection, m) for m in minute_ids]
            )

    def bump_generation(self) -> None:
        with self.transaction() as db:
            self._bump(db)

    def fts_count(self) -> int:
        rows = self._q("SELECT COUNT(*) FROM sections_fts")
        return int(rows[0][0]) if rows else 0

    def integrity(self) -> str:
        """SQLite's own check: "ok" or the first problems it lists."""
        rows = self._q("PRAGMA quick_check")
        return "; ".join(str(r[0]) for r in rows[:5]) if rows else "ok"

    def uncached_sections(self, model: str, hashes: dict[str, str]) -> list[str]:
        """Section ids (keys of ``hashes``: section id -> embedding-text hash) with no cached
        vector for ``model``."""
        have = set(self.cached_vectors(model, list(set(hashes.values()))))
        return [sid for sid, h in hashes.items() if h not in have]


def _writable(data_dir: Path, db_path: Path) -> bool:
    if not os.access(data_dir, os.W_OK | os.X_OK):
        return False
    return not db_path.exists() or os.access(db_path, os.W_OK)


def check_data_dir(data_dir: Path) -> None:
    """A clear message for a data dir that cannot be one."""
    if data_dir.exists() and not data_dir.is_dir():
        raise StoreError(f"the data directory {data_dir} is a file, not a folder: choose another --data-dir")
    parent = next((p for p in [data_dir, *data_dir.parents] if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise StoreError(f"the data directory {data_dir} cannot be created: {parent} is a file")


def _open_readonly(path: Path) -> sqlite3.Connection:
    """Read a database we may not write: ``mode=ro`` works when the WAL files exist or can be
    made; a read-only folder holding a WAL database needs ``immutable=1`` (no writer can be
    running there anyway)."""
    last: sqlite3.Error | None = None
    for flags in ("mode=ro", "immutable=1"):
        try:
            db = sqlite3.connect(f"file:{path}?{flags}", uri=True, check_same_thread=False, isolation_level=None)
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchall()
            return db
        except sqlite3.Error as exc:
            last = exc
    raise StoreError(f"cannot open the index database {path} for reading: {last}")
