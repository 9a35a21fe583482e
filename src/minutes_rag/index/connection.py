"""The connections to ``state.sqlite``: the writer's (serialised by a lock), one reader per
thread, transactions, the generation counter every indexing commit raises, and how a data
directory is checked and a read-only database opened."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from minutes_rag.errors import StoreError


class Connections:
    """What every part of ``StateIndex`` reads and writes through (set up by ``StateIndex``)."""

    path: Path
    readonly: bool
    _db: sqlite3.Connection
    _lock: threading.RLock
    _local: threading.local
    _readers: list[sqlite3.Connection]
    _total: int
    _total_at: float
    _df_cache: dict[str, int]
    _totals: tuple[int, float] | None

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

    def bump_generation(self) -> None:
        with self.transaction() as db:
            self._bump(db)

    def integrity(self) -> str:
        """SQLite's own check: "ok" or the first problems it lists."""
        rows = self._q("PRAGMA quick_check")
        return "; ".join(str(r[0]) for r in rows[:5]) if rows else "ok"


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
