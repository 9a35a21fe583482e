"""Following the ledger up (督办): each entry's state (status, notes, owner contact), the
entries and corrections people make, deadlines as dates, what later minutes said about an
entry (its trail), the digest before a meeting, and alerts.

Storage is ``index/followup.py`` (behind ``StateIndex``); this package decides what the rows
mean; ``followup/cli.py`` and the UI are its faces.
"""

from minutes_rag.followup.model import ORIGINS, STATUSES, FollowedEntry

__all__ = ["ORIGINS", "STATUSES", "FollowedEntry"]
