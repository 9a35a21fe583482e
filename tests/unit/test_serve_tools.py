"""The tool registry (serve.tools) and its MCP binding (serve.mcp_server), in process over a
fake assistant: five read-only tools with input and output schemas, library errors as tool
errors with their message, a tool added with @tool joins the server."""

from __future__ import annotations

import asyncio

import pytest

from minutes_rag.errors import NotFound
from minutes_rag.serve import tools
from minutes_rag.serve.mcp_server import build_server
from minutes_rag.serve.mount import ReadyArchive
from minutes_rag.serve.pool import AnswerPool
from minutes_rag.serve.tool_models import SearchResult


class FakeAssistant:
    def get_minute(self, ref):
        raise NotFound(f"no minute {ref!r} in the index")

    def timeline(self, topic, *, date_from="", date_to=""):
        raise AssertionError("not reached: the dates are refused first")


def _server():
    return build_server(ReadyArchive(FakeAssistant()), AnswerPool(2, 2))  # type: ignore[arg-type]


def test_five_read_only_tools_with_schemas() -> None:
    async def run():
        return await _server().list_tools()

    listed = {t.name: t for t in asyncio.run(run())}
    assert {"ask", "search", "get_minute", "ledger", "timeline"} <= set(listed)
    for t in listed.values():
        assert t.annotations.read_only_hint is True and t.output_schema and t.description
    assert listed["ledger"].input_schema["properties"]["kind"]["anyOf"][0]["enum"] == ["decision", "assignment", "report"]
    assert "citations" in listed["ask"].output_schema["properties"]


def test_library_errors_reach_the_client_as_tool_errors() -> None:
    from mcp import Client

    async def run():
        async with Client(_server()) as client:
            missing = await client.call_tool("get_minute", {"minute": "〔1999〕1号"})
            dates = await client.call_tool("timeline", {"topic": "x", "date_from": "2021-01-01",
                                                        "date_to": "2020-01-01"})
            return missing, dates

    missing, dates = asyncio.run(run())
    assert missing.is_error and "no minute '〔1999〕1号'" in missing.content[0].text
    assert dates.is_error and "ends (2020-01-01) before it starts" in dates.content[0].text


def test_a_new_tool_is_one_decorated_function(monkeypatch) -> None:
    monkeypatch.setattr(tools, "_REGISTRY", dict(tools._REGISTRY))

    @tools.tool("Echo")
    def echo(assistant, query: str) -> SearchResult:
        """Echoes."""
        return SearchResult(query=query, hits=[])

    async def run():
        async with Client(_server()) as client:
            return await client.call_tool("echo", {"query": "hi"})

    from mcp import Client

    assert asyncio.run(run()).structured_content == {"query": "hi", "hits": [], "warnings": []}
    with pytest.raises(ValueError, match="two tools"):
        tools.tool("again")(echo)


class FollowAssistant:
    """Two assignments of one unit (one overdue and blocked, one due later) and a decision, with
    the board's view and the alert tables the follow-up tools read."""

    def __init__(self) -> None:
        from minutes_rag.followup.model import FollowedEntry, TrailLink
        from minutes_rag.ledger.model import LedgerEntry

        def entry(i: int, kind: str, lead: tuple[str, ...], deadline: str) -> LedgerEntry:
            return LedgerEntry(item_id=f"m1:{i}", minute_id="m1", doc_number="〔2021〕3号", meeting_number=7,
                               date="2021-03-01", label=f"{i}", section_id=f"m1#{i}", kind=kind, lead=lead,
                               deadline=deadline, quote=f"quote {i}", start=10 * i, end=10 * i + 7)

        self._entries = [entry(1, "assignment", ("市住建局",), "6月30日前"), entry(2, "decision", (), ""),
                         entry(3, "assignment", ("市住建局",), "2099年底前")]
        trail = (TrailLink("m2", "2021-09-01", "二", "report", "later quote", 5, 16, 0.8, "〔2021〕9号"),)
        self.view_calls = 0
        self._view = {
            "m1:1": FollowedEntry(self._entries[0], status="blocked", overdue=True, deadline_date="2021-06-30",
                                  trail=trail, suggestion="possibly done, see 〔2021〕9号 二"),
            "m1:2": FollowedEntry(self._entries[1]),
            "m1:3": FollowedEntry(self._entries[2], deadline_date="2099-12-31"),
        }
        outer = self

        class Board:
            def view(self, entries, today=None):
                outer.view_calls += 1
                return [outer._view[e.item_id] for e in entries]

        class Index:
            def alerts(self):
                return [{"id": "a1", "kind": "unit", "value": "市住建局", "webhook": "", "target": {},
                         "created_at": "2026-01-02T03:04:05+00:00", "created_by": "li"}]

            def alert_events(self, alert_id=None, limit=200):
                assert limit == 50
                return [{"alert_id": "a1", "at": "2026-01-03T00:00:00+00:00", "data": {"kind": "reminder"}}]

        self.followup = Board()
        self.index = Index()

    def actions(self, flt):
        return list(self._entries)


def _call(assistant, name: str, arguments: dict):
    from mcp import Client

    async def run():
        async with Client(build_server(ReadyArchive(assistant), AnswerPool(2, 2))) as client:
            listed = {t.name: t for t in (await client.list_tools()).tools}
            return listed, await client.call_tool(name, arguments)

    return asyncio.run(run())


def test_followup_digest_tool_lists_open_tasks_per_unit_with_state_and_trail() -> None:
    listed, got = _call(FollowAssistant(), "followup", {})
    assert listed["followup"].annotations.read_only_hint is True and listed["followup"].output_schema
    out = got.structured_content
    assert [u["unit"] for u in out["units"]] == ["市住建局"]  # the decision is no task
    unit = out["units"][0]
    assert (unit["open"], unit["overdue"]) == (2, 1)
    first, second = unit["entries"]
    assert first["item_id"] == "m1:1" and first["status"] == "blocked" and first["overdue"] is True  # overdue first
    assert first["trail"][0]["minute_id"] == "m2" and first["suggestion"].startswith("possibly done")
    assert second["item_id"] == "m1:3" and second["deadline_date"] == "2099-12-31"


def test_followup_digest_tool_filters_overdue_and_refuses_a_negative_window() -> None:
    _, got = _call(FollowAssistant(), "followup", {"overdue": True})
    assert [e["item_id"] for u in got.structured_content["units"] for e in u["entries"]] == ["m1:1"]
    _, bad = _call(FollowAssistant(), "followup", {"due_within_days": -1})
    assert bad.is_error


def test_alerts_tool_gives_each_saved_alert_its_feed() -> None:
    listed, got = _call(FollowAssistant(), "alerts", {})
    assert listed["alerts"].annotations.read_only_hint is True
    out = got.structured_content
    assert out["alerts"] == [{"id": "a1", "kind": "unit", "value": "市住建局", "feed": "/feeds/a1.atom",
                              "created_at": "2026-01-02T03:04:05+00:00"}]
    assert out["events"][0]["alert_id"] == "a1"


def test_followup_tool_on_an_archive_without_follow_up_state_says_so() -> None:
    _, got = _call(FakeAssistant(), "followup", {})
    assert got.is_error and "no follow-up state" in got.content[0].text
