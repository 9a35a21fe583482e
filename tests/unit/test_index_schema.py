"""state.sqlite records its schema version; another version is migrated or refused with what to do."""

import sqlite3
from pathlib import Path

import pytest

from minutes_rag import index as index_module
from minutes_rag.errors import StoreError
from minutes_rag.index import SCHEMA_VERSION, StateIndex


def _schema_of(data_dir: Path) -> str:
    with sqlite3.connect(data_dir / "state.sqlite") as db:
        return db.execute("SELECT value FROM info WHERE key='schema'").fetchone()[0]


def _set_schema(data_dir: Path, value: str) -> None:
    with sqlite3.connect(data_dir / "state.sqlite") as db:
        db.execute("UPDATE info SET value=? WHERE key='schema'", (value,))


def test_a_new_index_records_the_current_version_and_reopens(tmp_path: Path) -> None:
    StateIndex(tmp_path).close()
    assert _schema_of(tmp_path) == str(SCHEMA_VERSION)
    StateIndex(tmp_path).close()


def test_an_index_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    StateIndex(tmp_path).close()
    _set_schema(tmp_path, str(SCHEMA_VERSION + 1))
    with pytest.raises(StoreError, match=r"newer minutes-rag.*--data-dir") as err:
        StateIndex(tmp_path)
    assert str(tmp_path / "state.sqlite") in str(err.value)
    assert _schema_of(tmp_path) == str(SCHEMA_VERSION + 1)


def test_an_old_index_without_a_migration_says_to_re_ingest(tmp_path: Path) -> None:
    StateIndex(tmp_path).close()
    _set_schema(tmp_path, "0")
    with pytest.raises(StoreError, match=r"cannot upgrade: ingest the files again into a new data directory"):
        StateIndex(tmp_path)
    _set_schema(tmp_path, "garbage")
    with pytest.raises(StoreError, match="'garbage'"):
        StateIndex(tmp_path)


def test_an_old_index_is_migrated_step_by_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    StateIndex(tmp_path).close()
    ran: list[int] = []

    def add_notes(db: sqlite3.Connection) -> None:
        ran.append(SCHEMA_VERSION)
        db.execute("ALTER TABLE minutes ADD COLUMN notes TEXT")

    def fill_notes(db: sqlite3.Connection) -> None:
        ran.append(SCHEMA_VERSION + 1)
        db.execute("UPDATE minutes SET notes = ''")

    monkeypatch.setattr(index_module, "SCHEMA_VERSION", SCHEMA_VERSION + 2)
    monkeypatch.setattr(index_module, "_MIGRATIONS", {SCHEMA_VERSION: add_notes, SCHEMA_VERSION + 1: fill_notes})
    StateIndex(tmp_path).close()
    assert ran == [SCHEMA_VERSION, SCHEMA_VERSION + 1]
    assert _schema_of(tmp_path) == str(SCHEMA_VERSION + 2)
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        assert "notes" in [r[1] for r in db.execute("PRAGMA table_info(minutes)")]
    StateIndex(tmp_path).close()  # nothing left to run
    assert len(ran) == 2


def test_a_failed_migration_leaves_the_old_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    StateIndex(tmp_path).close()

    def broken(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE minutes ADD COLUMN notes TEXT")
        raise sqlite3.OperationalError("disk on fire")

    monkeypatch.setattr(index_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(index_module, "_MIGRATIONS", {SCHEMA_VERSION: broken})
    with pytest.raises(StoreError, match="disk on fire"):
        StateIndex(tmp_path)
    assert _schema_of(tmp_path) == str(SCHEMA_VERSION)
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        assert "notes" not in [r[1] for r in db.execute("PRAGMA table_info(minutes)")]
