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
