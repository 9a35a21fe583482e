"""The MCP server, driven by the official MCP Python SDK client: over Streamable HTTP at /mcp
of a running ``serve`` (with API keys) and over stdio (``minutes-rag mcp``), on the Suzhou
minute ingested with the real model and a real Chroma."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from serve_server import serving  # noqa: E402

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.integration

KEY = "mcp-key-7c21"
TOOLS = {"ask", "search", "get_minute", "ledger", "timeline", "followup", "alerts"}
QUESTION = "姑苏领军人才计划第一批拟立项情况由哪个部门汇报？"


@pytest.fixture(scope="module")
def server(tmp_path_factory, suzhou_path, bundled_embedder):
    data = tmp_path_factory.mktemp("serve-mcp")
    with serving(data, suzhou_path, bundled_embedder, api_keys=KEY) as (base, settings):
        from minutes_rag.followup.alerts import Alerts
        from minutes_rag.index import StateIndex

        index = StateIndex(settings.data_path)  # a second process's view: the CLI's `alerts add`
        alert = Alerts(index).add("unit", "市住建局", user="clerk")
        index.close()
        yield base, data, alert


def _http_client(url: str, key: str):
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=120)
    return Client(streamable_http_client(url, http_client=http)), http


async def _session_checks(client) -> dict:
    tools = await client.list_tools()
    by_name = {t.name: t for t in tools.tools}
    ask = await client.call_tool("ask", {"question": QUESTION})
    search = await client.call_tool("search", {"query": "政策性租赁住房", "k": 3})
    minute_id = ask.structured_content["citations"][0]["minute_id"]
    got = await client.call_tool("get_minute", {"minute": "〔2020〕21号"})
    ledger = await client.call_tool("ledger", {"kind": "assignment", "limit": 5})
    timeline = await client.call_tool("timeline", {"topic": "政策性租赁住房"})
    bad = await client.call_tool("ledger", {"date_from": "2020-02-31"})
    resource = await client.read_resource(f"minutes://{minute_id}")
    followup = await client.call_tool("followup", {"unit": "住建"})
    alerts = await client.call_tool("alerts", {})
    return {"tools": by_name, "ask": ask, "search": search, "get": got, "ledger": ledger, "timeline": timeline,
            "followup": followup, "alerts": alerts, "bad": bad, "resource": resource, "minute_id": minute_id}


def _check(r: dict, alert: dict) -> None:
    r = {**r, "alert": alert}
    assert set(r["tools"]) == TOOLS
    for t in r["tools"].values():
        assert t.input_schema["type"] == "object" and t.output_schema is not None
        assert t.annotations.read_only_hint is True
    assert r["tools"]["ask"].input_schema["required"] == ["question"]
    ask = r["ask"].structured_content
    assert ask["found"] is True and "市科技局" in ask["answer"]
    first = ask["citations"][0]
    assert first["doc_number"] == "〔2020〕21号" and first["label"] == "五（一）" and first["date"] == "2020-06-30"
    hits = r["search"].structured_content["hits"]
    assert 1 <= len(hits) <= 3 and all(h["doc_number"] == "〔2020〕21号" and h["end"] > h["start"] for h in hits)
    assert any("租赁住房" in h["text"] for h in hits)
    got = r["get"].structured_content
    assert got["minute"]["minute_id"] == r["minute_id"] and got["minute"]["meeting_number"] == 102
    text = got["text"]
    assert all(text[s["start"]:s["end"]] == s["text"] for s in got["sections"])
    entries = r["ledger"].structured_content["entries"]
    assert 1 <= len(entries) <= 5 and all(e["kind"] == "assignment" and text[e["start"]:e["end"]] == e["quote"]
                                          for e in entries)
    tl = r["timeline"].structured_content["entries"]
    assert tl and tl[0]["doc_number"] == "〔2020〕21号"
    assert r["bad"].is_error and "not a date" in r["bad"].content[0].text
    body = r["resource"].contents[0].text
    assert "〔2020〕21号" in body and text in body
    # the digest: the Suzhou minute's tasks for 市住建局, open (nobody set a state), each its verbatim quote
    units = r["followup"].structured_content["units"]
    assert units and all("住建" in u["unit"] for u in units)
    tasks = [e for u in units for e in u["entries"]]
    assert tasks and all(e["kind"] == "assignment" and e["status"] == "open" and text[e["start"]:e["end"]] == e["quote"]
                         for e in tasks)
    saved = r["alerts"].structured_content["alerts"]
    assert [(a["kind"], a["value"], a["feed"]) for a in saved] == [("unit", "市住建局", r["alert"]["feed"])]


def test_streamable_http_with_the_key(server) -> None:
    base, _, alert = server

    async def run() -> dict:
        client, http = _http_client(f"{base}/mcp", KEY)
        async with http, client:
            return await _session_checks(client)

    _check(asyncio.run(run()), alert)


def test_streamable_http_without_a_valid_key_is_refused(server) -> None:
    import httpx2

    base, _, _ = server
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        r = httpx2.post(f"{base}/mcp", headers={**headers, "Accept": "application/json, text/event-stream"},
                        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        assert r.status_code == 401 and r.json()["error"] == "invalid_token"

    async def run() -> None:
        client, http = _http_client(f"{base}/mcp", "wrong")
        async with http, client:
            await client.list_tools()

    with pytest.raises(Exception):  # noqa: B017 - the SDK's error type for a refused connection is its own
        asyncio.run(run())


def test_stdio_server(server) -> None:
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    _, data, alert = server
    env = {k: v for k, v in os.environ.items() if k.startswith(("MINUTES_RAG_", "HF_", "PYTHON"))}
    env["PYTHONPATH"] = str(REPO / "src")
    params = StdioServerParameters(command=sys.executable, args=["-m", "minutes_rag.cli", "mcp", "--data-dir",
                                                                 str(Path(data))], env=env)

    async def run() -> dict:
        async with Client(params, read_timeout_seconds=300) as client:
            return await _session_checks(client)

    _check(asyncio.run(run()), alert)
