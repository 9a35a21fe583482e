"""Decisions, assignments and reports (督办台账) extracted from minutes at ingest."""

from minutes_rag.ledger.model import KINDS, LedgerEntry, LedgerFilter

__all__ = ["KINDS", "LedgerEntry", "LedgerFilter"]
