"""The state database (``state.sqlite`` in the data directory): files, minutes, sections, the
lexical index (FTS5, BM25), the jieba user dictionary, the embedding cache and a journal.

SQLite is the source of truth for what is ingested. A minute's rows, its lexical-index rows
and its file record change in one transaction, which is the commit point of an ingest; Chroma
is brought in line around it (see ``ingestion.py``), and a minute whose Chroma write was
interrupted is listed in ``journal`` so the next open repairs it.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from minutes_rag.errors import NotFound, StoreError
from minutes_rag.lexical import TOKENIZER_VERSION, tokenize
from minutes_rag.model import Filters, Minute, MinuteMeta, Section

log = logging.getLogger(__name__)

# The layout of state.sqlite. Opening a database of another version migrates it with the
# steps below (each takes version n to n + 1 inside one transaction) or, where no step
# exists, refuses with what to do: nothing is guessed over data that may not be rebuilt.
SCHEMA_VERSION = 1
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
CREATE VIRTUAL TABLE IF NOT EXISTS sections_fts USING fts5(tokens, tokenize = 'unicode61 remove_diacritics 0');
CREATE TABLE IF NOT EXISTS lexicon (word TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS embed_cache (model TEXT, text_hash TEXT, vector BLOB, PRIMARY KEY (model, text_hash));
CREATE TABLE IF NOT EXISTS embedded (collection TEXT, minute_id TEXT, content_hash TEXT, PRIMARY KEY (collection, minute_id));
CREATE TABLE IF NOT EXISTS journal (minute_id TEXT PRIMARY KEY, started_at REAL);
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
        try:
            if readonly:
                self._db = _open_readonly(self.path)
                return
            data_dir.mkdir(parents=True, exist_ok=True)
            # one connection shared by the UI's worker threads, serialised by a lock
            self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=30.0)
            # WAL: readers keep a consistent snapshot while a writer commits, and never block
            # it (nor it them)
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
            self._db.close()

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
        with self._lock:
            try:
                return self._db.execute(sql, args).fetchall()
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
    ) -> tuple[set[str], set[str]]:
        """Replace a minute's rows in one transaction. Returns (old ids, new ids)."""
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
            self._bump(db)
        return old, new_ids

    def delete_minute(self, minute_id: str) -> int:
        with self.transaction() as db:
            n = db.execute("SELECT COUNT(*) FROM sections WHERE minute_id=?", (minute_id,)).fetchone()[0]
            db.execute("DELETE FROM sections_fts WHERE rowid IN (SELECT rid FROM sections WHERE minute_id=?)", (minute_id,))
            db.execute("DELETE FROM sections WHERE minute_id=?", (minute_id,))
            db.execute("DELETE FROM minutes WHERE minute_id=?", (minute_id,))
            db.execute("DELETE FROM files WHERE minute_id=?", (minute_id,))
            db.execute("DELETE FROM embedded WHERE minute_id=?", (minute_id,))
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

    # -- lexical search ------------------------------------------------------------------
    def lexical_search(
        self, query_tokens: Sequence[str], k: int, minute_ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """BM25 over the FTS5 index: [(section_id, score)] best first (score higher = better)."""
        terms = sorted({t for t in query_tokens if t})
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        sql = (
            "SELECT s.section_id, -bm25(sections_fts) AS score FROM sections_fts"
            " JOIN sections s ON s.rid = sections_fts.rowid WHERE sections_fts MATCH ?"
        )
        args: list = [match]
        if minute_ids is not None:
            if not minute_ids:
                return []
            sql += f" AND s.minute_id IN ({','.join('?' * len(minute_ids))})"
            args += list(minute_ids)
        sql += " ORDER BY bm25(sections_fts) LIMIT ?"
        args.append(k)
        try:
            return [(r[0], float(r[1])) for r in self._q(sql, args)]
        except sqlite3.OperationalError as exc:
            raise StoreError(f"lexical search failed: {exc}") from exc

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
