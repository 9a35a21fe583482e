"""What follows an ingest (``Ingestor(after=...)``, under its writer lock): the trails of the
new minutes, the alerts they fire, today's reminders, and the webhooks not yet delivered."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from minutes_rag.followup.alerts import Alerts
from minutes_rag.followup.board import FollowupBoard
from minutes_rag.followup.trail import link_trails

if TYPE_CHECKING:
    from minutes_rag.index import StateIndex
    from minutes_rag.model import IngestReport


def follow_up(index: StateIndex, report: IngestReport, *, since: float) -> None:
    """``since``: when the ingest began (the minutes written after it are new to the alerts)."""
    board = FollowupBoard(index)
    entries = board.apply_people(index.ledger_entries())
    link_trails(index, entries)
    alerts = Alerts(index)
    alerts.scan_minutes(index.minutes_written_since(since), entries)
    alerts.reminders(board.view(entries), date.today())
    _, failed = alerts.deliver()
    if failed:
        report.warnings.append(f"{failed} webhook deliveries failed; they are tried again at the next ingest "
                               "or `minutes-rag alerts run` (see `minutes-rag alerts`)")
