"""The follow-up's tools (issue "Follow decisions up", README "Following decisions up"): the
digest of open and overdue tasks per unit with their trails, and the saved alerts with their
feeds. Read-only like every tool: states, notes and entries change in the chat or the CLI,
where a person is logged with the change."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field

from minutes_rag.errors import InvalidRequest
from minutes_rag.ledger.model import LedgerFilter
from minutes_rag.serve.tool_models import AlertOut, AlertsResult, FollowupResult, FollowupUnitOut
from minutes_rag.serve.tools import tool

ALERT_EVENTS = 50  # the newest events an alerts call returns: what fired lately, not the whole log


def _board(assistant: Any) -> Any:
    board = getattr(assistant, "followup", None)
    if board is None:  # an assistant without the state database's follow-up (a test double, a remote)
        raise InvalidRequest("followup", "this archive keeps no follow-up state")
    return board


@tool("Follow-up digest (督办)")
def followup(
    assistant: Any,
    unit: Annotated[str | None, Field(description="a responsible unit (part of its name)")] = None,
    due_within_days: Annotated[int | None, Field(description="deadline within this many days (overdue included)",
                                                 ge=0)] = None,
    overdue: Annotated[bool, Field(description="only overdue tasks")] = False,
) -> FollowupResult:
    """The tasks still open (open, in progress, blocked) per responsible unit, overdue first,
    each with its status, deadline as a date, notes, the trail of later minutes on the same
    matter, a possible-completion suggestion, and its verbatim quote and citation fields."""
    from minutes_rag.followup.digest import DigestOptions, digest_json, select

    today = date.today()
    items = select(
        _board(assistant).view(assistant.actions(LedgerFilter()), today=today),
        DigestOptions(unit=(unit or "").strip(), due_within=due_within_days, overdue_only=overdue, today=today),
    )
    out = digest_json(items, today)
    return FollowupResult(as_of=out["as_of"], units=[FollowupUnitOut(**u) for u in out["units"]])


@tool("Saved alerts and their feeds")
def alerts(assistant: Any) -> AlertsResult:
    """The saved searches and followed units, topics and entries, each with its Atom feed path on
    this server (/feeds/<id>.atom), and the events that fired lately (newest first)."""
    from minutes_rag.followup.alerts import feed_path

    index = assistant.index
    saved = [AlertOut(id=a["id"], kind=a["kind"], value=a["value"], feed=feed_path(a["id"]),
                      created_at=a.get("created_at") or "") for a in index.alerts()]
    return AlertsResult(alerts=saved, events=index.alert_events(limit=ALERT_EVENTS))
