"""The tools the archive offers other programs: one registry, read by the MCP server (and by
any face that offers tools later).

A tool is a function of the Assistant and its keyword arguments, typed with ``Annotated`` /
pydantic ``Field`` descriptions (its input JSON schema) and returning a pydantic model from
``tool_models`` (its structured output, every result carrying its citations), registered with
``@tool``. Adding one is writing one such function here (or in a module ``MODULES`` names);
the faces pick it up. Tools only read: none changes the archive.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from minutes_rag.errors import InvalidRequest
from minutes_rag.ledger.model import LedgerFilter
from minutes_rag.model import filters_from_flags
from minutes_rag.serve.tool_models import (
    AskResult,
    CitationOut,
    LedgerEntryOut,
    LedgerResult,
    MinuteInfo,
    MinuteResult,
    SearchHit,
    SearchResult,
    SectionOut,
    TimelineEntryOut,
    TimelineResult,
)
from minutes_rag.ui.api import AssistantAPI
from minutes_rag.validation import parse_date, validate_request

RESOURCE_PREFIX = "minutes://"
LEDGER_LIMIT = 100  # entries a ledger call returns by default: a page a model can read; `limit` asks for more
LEDGER_MAX = 1000
# modules with more @tool functions (imported by ``registry()``); a new feature's tools go in its own module
MODULES: tuple[str, ...] = ("minutes_rag.serve.followup_tools",)


@dataclass(frozen=True)
class ToolSpec:
    name: str
    title: str
    fn: Callable[..., BaseModel]  # fn(assistant, **arguments)

    @property
    def description(self) -> str:
        return " ".join((self.fn.__doc__ or "").split())


_REGISTRY: dict[str, ToolSpec] = {}


def tool(title: str) -> Callable[[Callable[..., BaseModel]], Callable[..., BaseModel]]:
    """Registers a tool under its function's name; the docstring is its description."""

    def register(fn: Callable[..., BaseModel]) -> Callable[..., BaseModel]:
        if fn.__name__ in _REGISTRY:
            raise ValueError(f"two tools are called {fn.__name__}")
        _REGISTRY[fn.__name__] = ToolSpec(fn.__name__, title, fn)
        return fn

    return register


def registry() -> list[ToolSpec]:
    for name in MODULES:
        importlib.import_module(name)
    return list(_REGISTRY.values())


DateFrom = Annotated[str | None, Field(description="earliest meeting date, YYYY-MM-DD")]
DateTo = Annotated[str | None, Field(description="latest meeting date, YYYY-MM-DD")]
MinuteRef = Annotated[str | None, Field(description="a minute id or document number (e.g. 〔2020〕21号)")]


def _dates(date_from: str | None, date_to: str | None) -> tuple[str, str]:
    a, b = parse_date(date_from, "date_from"), parse_date(date_to, "date_to")
    if a and b and a > b:
        raise InvalidRequest("date_to", f"the date range ends ({b}) before it starts ({a})")
    return a, b


@tool("Ask the minutes")
def ask(
    assistant: AssistantAPI,
    question: Annotated[str, Field(description="the question, in Chinese or English")],
    date_from: DateFrom = None,
    date_to: DateTo = None,
    minute: MinuteRef = None,
) -> AskResult:
    """Answers a question from the meeting minutes, every claim cited: document number (文号),
    meeting, date and agenda item (议题) with a verbatim quote. found=false when the minutes do
    not say."""
    a, b = _dates(date_from, date_to)
    minute_id = assistant.resolve_minute(minute) if minute else ""
    answer = assistant.ask(question, filters=filters_from_flags({"from": a, "to": b, "minute": minute_id}))
    out = assistant.answer_json(answer)
    return AskResult(
        question=out["question"], answer=out["answer"], found=answer.found, mode=out["mode"],
        rewrite=out["rewrite"], citations=[CitationOut(**c) for c in out["citations"]], warnings=out["warnings"],
    )


@tool("Search the minutes")
def search(
    assistant: AssistantAPI,
    query: Annotated[str, Field(description="what to look for, in Chinese or English")],
    k: Annotated[int | None, Field(description="how many sections (default: the server's k)", ge=1)] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> SearchResult:
    """The agenda items (sections) of the minutes that best match a query, ranked, with their
    text and citation fields (document number, meeting, date, label, offsets); no answer."""
    s = assistant.settings
    req = validate_request(query, k=k, date_from=date_from, date_to=date_to, max_chars=s.max_question_chars,
                           max_k=s.max_k)
    hits = assistant.retrieve(req.question, filters=filters_from_flags({"from": req.date_from, "to": req.date_to}),
                              k=req.k)
    return SearchResult(query=req.question, hits=[
        SearchHit(
            rank=i, score=round(float(h.score), 6), section_id=h.section.section_id, minute_id=h.section.minute_id,
            doc_number=h.meta.doc_number, meeting_number=h.meta.meeting_number, date=h.meta.date,
            label=h.section.label, title=h.section.title, kind=h.section.kind, text=h.section.text,
            start=h.section.start, end=h.section.end,
        )
        for i, h in enumerate(hits, 1)
    ])


def minute_info(minute: Any) -> MinuteInfo:
    return MinuteInfo(minute_id=minute.minute_id, resource=f"{RESOURCE_PREFIX}{minute.minute_id}",
                      **minute.meta.to_dict())


@tool("Read a minute")
def get_minute(
    assistant: AssistantAPI,
    minute: Annotated[str, Field(description="a minute id or document number (e.g. 〔2020〕21号)")],
) -> MinuteResult:
    """One minute: its metadata (document number, meeting, date, chair, attendees), its agenda
    items with their labels and offsets, and its full text."""
    m, sections = assistant.get_minute(minute)
    return MinuteResult(minute=minute_info(m), text=m.text, sections=[
        SectionOut(section_id=s.section_id, label=s.label, title=s.title, kind=s.kind, text=s.text, start=s.start,
                   end=s.end, part=s.part)
        for s in sections
    ])


@tool("The ledger (督办台账)")
def ledger(
    assistant: AssistantAPI,
    dept: Annotated[str | None, Field(description="a responsible or partner unit (part of its name)")] = None,
    kind: Annotated[Literal["decision", "assignment", "report"] | None, Field(description="the kind of entry")] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    keyword: Annotated[str | None, Field(description="text in the quote, task or matter")] = None,
    named: Annotated[bool, Field(description="only entries that name a unit (no 各有关部门)")] = False,
    minute: MinuteRef = None,
    limit: Annotated[int, Field(description="most entries returned", ge=1, le=LEDGER_MAX)] = LEDGER_LIMIT,
) -> LedgerResult:
    """Decisions, assignments (who must do what, by when) and reports found in the minutes, in
    date order, each with its verbatim quote and citation fields."""
    a, b = _dates(date_from, date_to)
    entries = assistant.actions(LedgerFilter(
        minute=minute or "", dept=dept or "", kind=kind or "", date_from=a, date_to=b, named_only=named,
        keyword=keyword or "",
    ))
    return LedgerResult(total=len(entries), entries=[LedgerEntryOut(**e.to_json()) for e in entries[:limit]])


@tool("Topic timeline")
def timeline(
    assistant: AssistantAPI,
    topic: Annotated[str, Field(description="the topic, e.g. 政策性租赁住房 or a plan's name")],
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> TimelineResult:
    """Every meeting that discussed a topic, in date order, one cited line each (document
    number, date, agenda item, verbatim quote, and whether it decided, assigned or reported)."""
    a, b = _dates(date_from, date_to)
    if not topic.strip():
        raise InvalidRequest("topic", "the topic is empty")
    tl = assistant.timeline(topic, date_from=a, date_to=b)
    return TimelineResult(topic=tl.topic, entries=[TimelineEntryOut(**e.to_json()) for e in tl.entries],
                          warnings=list(tl.warnings))
