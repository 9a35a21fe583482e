"""The layout of ``state.sqlite`` (``SCHEMA_VERSION``, its tables), the migrations between
versions, and the check that the lexical index was written by the current tokenizer."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable

from minutes_rag.errors import StoreError
from minutes_rag.index.alerts import ALERTS_SCHEMA, migrate_add_alerts
from minutes_rag.index.connection import Connections
from minutes_rag.index.followup import FOLLOWUP_SCHEMA, migrate_add_followup
from minutes_rag.lexical import TOKENIZER_VERSION, tokenize

log = logging.getLogger(__name__)

# The layout of state.sqlite. Opening a database of another version migrates it with the
# steps below (each takes version n to n + 1 inside one transaction) or, where no step
# exists, refuses with what to do: nothing is guessed over data that may not be rebuilt.
SCHEMA_VERSION = 4

_MINUTE_READS = """
CREATE TABLE IF NOT EXISTS minute_reads (
    minute_id TEXT PRIMARY KEY, path TEXT, family TEXT, items INTEGER, ledger_entries INTEGER, chars INTEGER,
    splitter TEXT)"""


def _add_minute_reads(db: sqlite3.Connection) -> None:
    # schema 2: how each minute was read and by which splitter (reading.py); the minutes of a
    # schema-1 index have no row, so the next ingest re-splits them from their stored text
    # (ingestion.resplit_stale: only sections whose text changed are embedded) and fills it
    db.execute(_MINUTE_READS)


_PAGES = """CREATE TABLE IF NOT EXISTS pages (
    minute_id TEXT NOT NULL, page INTEGER NOT NULL, start INTEGER NOT NULL, printed TEXT,
    PRIMARY KEY (minute_id, page))"""


def _add_pages(db: sqlite3.Connection) -> None:
    # schema 3: the page map of paged minutes (PDF, scans). Minutes ingested before it have
    # none (their sections show no page) until their file changes or is ingested again.
    db.execute(_PAGES)


def _to_4(db: sqlite3.Connection) -> None:
    """Schema 3 -> 4: the follow-up and alert tables (nothing existing changes)."""
    migrate_add_followup(db)
    migrate_add_alerts(db)


_MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _add_minute_reads, 2: _add_pages, 3: _to_4}

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
""" + _MINUTE_READS + ";\n" + _PAGES + ";\n" + FOLLOWUP_SCHEMA + ALERTS_SCHEMA



class SchemaMixin(Connections):
    """Creating, checking and migrating the schema; re-tokenising the lexical index."""

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
