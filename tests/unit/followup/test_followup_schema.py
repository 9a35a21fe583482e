"""A state database of schema 1 (before the follow-up) is migrated to 2 on open: the follow-up
and alert tables appear, nothing that was there changes."""

import sqlite3
from pathlib import Path

from minutes_rag.index import StateIndex
from minutes_rag.index.schema import SCHEMA_VERSION

_NEW = ("entry_state", "entry_history", "person_entries", "entry_trail", "trail_done", "alerts", "alert_events")


def test_schema_1_gains_the_followup_tables_and_keeps_its_rows(tmp_path: Path) -> None:
    StateIndex(tmp_path).close()
    with sqlite3.connect(tmp_path / "state.sqlite") as db:  # as schema 1 wrote it
        for table in _NEW:
            db.execute(f"DROP TABLE {table}")
        db.execute("UPDATE info SET value='1' WHERE key='schema'")
        db.execute("INSERT INTO ledger_state VALUES ('m1', 'rules-1')")
    index = StateIndex(tmp_path)
    index.update_followup("m1", "由市住建局负责。", user="li", at="2021-01-01T00:00:00+00:00", default_status="open",
                          status="done")
    assert index.followup_states()[("m1", "由市住建局负责。")]["status"] == "done"
    index.close()
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        assert db.execute("SELECT value FROM info WHERE key='schema'").fetchone()[0] == str(SCHEMA_VERSION)
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert set(_NEW) <= names
        assert db.execute("SELECT * FROM ledger_state").fetchall() == [("m1", "rules-1")]
