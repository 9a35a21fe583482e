"""The alert tables of ``state.sqlite`` (``followup/alerts.py``): saved searches and followed
units, topics and entries (``alerts``), the events that fired for each (``alert_events``,
one row per alert and event key, so an event fires once however often it is found again),
and each event's webhook delivery (attempts, last error, when delivered)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from minutes_rag.index.connection import Connections

ALERTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS alerts (
    alert_id TEXT PRIMARY KEY, kind TEXT NOT NULL, value TEXT NOT NULL, webhook TEXT NOT NULL DEFAULT '',
    target TEXT NOT NULL DEFAULT '{}', created_at TEXT, created_by TEXT);
CREATE TABLE IF NOT EXISTS alert_events (
    rid INTEGER PRIMARY KEY AUTOINCREMENT, alert_id TEXT NOT NULL, event_key TEXT NOT NULL, at TEXT NOT NULL,
    data TEXT NOT NULL, delivered_at TEXT, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '',
    UNIQUE (alert_id, event_key));
"""

_ALERT_COLS = "alert_id, kind, value, webhook, target, created_at, created_by"
_EVENT_COLS = "e.rid, e.alert_id, e.event_key, e.at, e.data, e.delivered_at, e.attempts, e.last_error, a.webhook"


def _alert(r: tuple) -> dict[str, Any]:
    return {"id": r[0], "kind": r[1], "value": r[2], "webhook": r[3], "target": json.loads(r[4] or "{}"),
            "created_at": r[5] or "", "created_by": r[6] or ""}


def _event(r: tuple) -> dict[str, Any]:
    return {"rid": r[0], "alert_id": r[1], "key": r[2], "at": r[3], "data": json.loads(r[4]),
            "delivered_at": r[5] or "", "attempts": r[6], "last_error": r[7], "webhook": r[8] or ""}


class AlertsMixin(Connections):
    def add_alert(self, alert: dict[str, Any]) -> None:
        with self.transaction() as db:
            db.execute(
                f"INSERT INTO alerts ({_ALERT_COLS}) VALUES (?,?,?,?,?,?,?)",
                (alert["id"], alert["kind"], alert["value"], alert.get("webhook", ""),
                 json.dumps(alert.get("target") or {}, ensure_ascii=False), alert.get("created_at", ""),
                 alert.get("created_by", "")),
            )

    def remove_alert(self, alert_id: str) -> bool:
        with self.transaction() as db:
            gone = db.execute("DELETE FROM alerts WHERE alert_id=?", (alert_id,)).rowcount
            db.execute("DELETE FROM alert_events WHERE alert_id=?", (alert_id,))
        return bool(gone)

    def alerts(self) -> list[dict[str, Any]]:
        return [_alert(r) for r in self._q(f"SELECT {_ALERT_COLS} FROM alerts ORDER BY created_at, alert_id")]

    def alert(self, alert_id: str) -> dict[str, Any] | None:
        rows = self._q(f"SELECT {_ALERT_COLS} FROM alerts WHERE alert_id=?", (alert_id,))
        return _alert(rows[0]) if rows else None

    def record_events(self, events: list[tuple[str, str, str, dict[str, Any]]]) -> int:
        """(alert id, event key, at, data): each stored once; returns how many were new."""
        if not events:
            return 0
        with self.transaction() as db:
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO alert_events (alert_id, event_key, at, data) VALUES (?,?,?,?)",
                [(a, k, at, json.dumps(d, ensure_ascii=False)) for a, k, at, d in events],
            )
            return db.total_changes - before

    def alert_events(self, alert_id: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        """Events, newest first."""
        sql = f"SELECT {_EVENT_COLS} FROM alert_events e JOIN alerts a ON a.alert_id = e.alert_id"
        args: list[Any] = []
        if alert_id is not None:
            sql += " WHERE e.alert_id=?"
            args.append(alert_id)
        return [_event(r) for r in self._q(sql + " ORDER BY e.at DESC, e.rid DESC LIMIT ?", [*args, limit])]

    def undelivered_events(self, max_attempts: int) -> list[dict[str, Any]]:
        """Events of alerts with a webhook, not yet delivered, tried fewer than ``max_attempts`` times."""
        return [_event(r) for r in self._q(
            f"SELECT {_EVENT_COLS} FROM alert_events e JOIN alerts a ON a.alert_id = e.alert_id"
            " WHERE a.webhook != '' AND e.delivered_at IS NULL AND e.attempts < ? ORDER BY e.rid", (max_attempts,),
        )]

    def minutes_written_since(self, epoch: float) -> list[str]:
        """Minutes whose file was (re)written into the index at or after ``epoch`` (seconds)."""
        return [r[0] for r in self._q("SELECT DISTINCT minute_id FROM files WHERE ingested_at >= ? ORDER BY minute_id",
                                      (epoch,))]

    def mark_delivery(self, rid: int, *, delivered_at: str | None, error: str = "") -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE alert_events SET attempts = attempts + 1, delivered_at = ?, last_error = ? WHERE rid = ?",
                (delivered_at, error[:500], rid),
            )


def migrate_add_alerts(db: sqlite3.Connection) -> None:
    for statement in ALERTS_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
