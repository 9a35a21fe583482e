"""The structured outputs of the tools (``tools``): pydantic models, so an MCP client gets each
tool's output JSON schema. Field names are the CLI's JSON contracts' (``ask --json`` citations,
``minutes show --json``, ``actions --json``, ``timeline --json``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class SectionRef(BaseModel):
    """Which minute and agenda item: the fields every cited result shares."""

    minute_id: str
    doc_number: str = Field(description="the minute's document number, e.g. 〔2020〕21号; empty when it has none")
    meeting_number: int | None = None
    date: str = Field(description="meeting date, YYYY-MM-DD")
    label: str = Field(description="the agenda item, e.g. 五（一）")
    title: str = Field(description="the agenda item's heading")


class CitationOut(SectionRef):
    """Where a claim comes from: the ``ask --json`` citation object."""

    n: int = Field(description="the [n] marker in the answer")
    quote: str = Field(description="verbatim text of the minute")
    start: int = Field(description="offset of the quote in the minute's text")
    end: int


class AskResult(BaseModel):
    question: str
    answer: str = Field(description="the answer with [n] markers pointing at citations")
    found: bool = Field(description="false: the minutes do not say (the answer says so)")
    mode: str
    rewrite: str = Field("none", description="how a follow-up was made standalone")
    citations: list[CitationOut]
    warnings: list[str] = []


class SearchHit(SectionRef):
    rank: int
    score: float
    section_id: str
    kind: str = Field(description="item, preamble, attendance, ...")
    text: str = Field(description="the section's text (verbatim)")
    start: int = Field(description="offset of the text in the minute's text")
    end: int


class SearchResult(BaseModel):
    query: str
    hits: list[SearchHit]
    warnings: list[str] = []


class ObserverOut(BaseModel):
    org: str
    name: str


class MinuteInfo(BaseModel):
    minute_id: str
    lang: str
    body: str
    title: str
    doc_number: str
    meeting_number: int | None = None
    date: str
    chair: str
    attendees: list[str]
    observers: list[ObserverOut]
    recorder: str
    issue_date: str
    item_numbers: list[str]
    resource: str = Field(description="the minute as an MCP resource: minutes://{minute_id}")


class SectionOut(BaseModel):
    section_id: str
    label: str
    title: str
    kind: str
    text: str
    start: int
    end: int
    part: int


class MinuteResult(BaseModel):
    minute: MinuteInfo
    sections: list[SectionOut]
    text: str = Field(description="the minute's full text; section and quote offsets point into it")


class LedgerEntryOut(BaseModel):
    """One row of the 督办台账: the ``actions --json`` entry (its quote is its citation)."""

    item_id: str
    minute_id: str
    doc_number: str
    meeting_number: int | None = None
    date: str
    label: str
    section_id: str
    kind: str = Field(description="decision | assignment | report")
    lead: list[str] = Field(description="responsible units")
    partners: list[str] = Field(description="partner units (配合单位)")
    task: str
    deadline: str
    outcome: str
    subject: str
    vote: str
    generic: bool = Field(description="addressed to units in general (各有关部门), none named")
    quote: str
    start: int
    end: int


class LedgerResult(BaseModel):
    total: int = Field(description="entries matching the filters")
    entries: list[LedgerEntryOut] = Field(description="the first `limit` of them, in date order")


class TimelineEntryOut(SectionRef):
    section_id: str
    quote: str
    start: int
    end: int
    kind: str = Field(description="decision | assignment | report | mention")


class TimelineResult(BaseModel):
    topic: str
    entries: list[TimelineEntryOut] = Field(description="one per meeting, in date order")
    warnings: list[str] = []


class TrailLinkOut(BaseModel):
    minute_id: str
    date: str
    label: str
    kind: str
    quote: str
    start: int
    end: int
    score: float = Field(description="how closely the later entry matches the matter, 0..1")


class NoteOut(BaseModel):
    text: str
    user: str
    at: str


class FollowedEntryOut(LedgerEntryOut):
    """A ledger entry with its follow-up state: the ``actions --json`` entry."""

    status: str = Field(description="open | in_progress | done | blocked")
    overdue: bool = Field(description="past its deadline and not done, as of today")
    deadline_date: str = Field(description="the deadline as YYYY-MM-DD, or empty")
    origin: str = Field("rules", description="rules | llm | person")
    notes: list[NoteOut] = []
    trail: list[TrailLinkOut] = Field([], description="later minutes on the same matter, in date order")
    suggestion: str = Field("", description="why it may be done (never a status change), or empty")


class FollowupUnitOut(BaseModel):
    unit: str
    open: int = Field(description="tasks of this unit not done")
    overdue: int
    entries: list[FollowedEntryOut]


class FollowupResult(BaseModel):
    as_of: str = Field(description="the date overdue is judged on, YYYY-MM-DD")
    units: list[FollowupUnitOut]


class AlertOut(BaseModel):
    id: str
    kind: str = Field(description="search | unit | topic | item")
    value: str
    feed: str = Field(description="the Atom feed's path on the server")
    created_at: str = ""


class AlertsResult(BaseModel):
    alerts: list[AlertOut]
    events: list[dict[str, Any]] = Field(description="what fired lately, newest first")
