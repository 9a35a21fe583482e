"""The MCP server (official MCP Python SDK): the tools of ``tools`` and the minutes as
resources ``minutes://{minute_id}``, over Streamable HTTP at ``/mcp`` inside ``serve`` (behind
the same keys as ``/v1``: ``keys``) or over stdio (``minutes-rag mcp``, for desktop clients).

Tools run in a worker thread (the SDK runs a plain function there), inside the answer pool, after
the server's warm-up; a library error reaches the client as the tool's error text.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any

from minutes_rag.errors import MinutesRagError
from minutes_rag.serve.openai_api import WARM_WAIT_S, Archive
from minutes_rag.serve.pool import AnswerPool
from minutes_rag.serve.tools import RESOURCE_PREFIX, ToolSpec, registry

log = logging.getLogger(__name__)

PATH = "/mcp"
NAME = "minutes-rag"
INSTRUCTIONS = (
    "An archive of government meeting minutes. `ask` answers with citations (document number 文号, meeting, "
    "date, agenda item 议题, verbatim quote); `search` ranks sections; `get_minute` reads one minute; `ledger` "
    "lists decisions and assignments (督办台账); `timeline` follows a topic across meetings; `followup` gives the "
    "open and overdue tasks per unit with their trails (督办); `alerts` lists saved alerts and their feeds. Cite what the "
    "tools return; the minutes are also resources minutes://{minute_id}."
)


def bind(spec: ToolSpec, archive: Archive, pool: AnswerPool) -> Callable[..., Any]:
    """``spec.fn`` with the assistant bound: the signature the SDK reads (arguments, return
    model) without the assistant, run in the pool after warm-up, library errors as ToolError."""
    from mcp.server.mcpserver.exceptions import ToolError

    sig = inspect.signature(spec.fn, eval_str=True)

    def run(**arguments: Any) -> Any:
        archive.ready.wait(WARM_WAIT_S)
        try:
            return pool.run(lambda: spec.fn(archive.assistant, **arguments))
        except MinutesRagError as exc:
            raise ToolError(str(exc)) from exc

    functools.update_wrapper(run, spec.fn)
    del run.__wrapped__  # type: ignore[attr-defined]  # the SDK must read __signature__, not the original
    run.__signature__ = sig.replace(parameters=list(sig.parameters.values())[1:])  # type: ignore[attr-defined]
    return run


def minute_text(archive: Archive, minute_id: str) -> str:
    """The resource's text: a heading of the minute's metadata, then its full text."""
    from mcp.server.mcpserver.exceptions import ResourceError

    archive.ready.wait(WARM_WAIT_S)
    try:
        minute, _ = archive.assistant.get_minute(minute_id)
    except MinutesRagError as exc:
        raise ResourceError(str(exc)) from exc
    meta = minute.meta
    head = " · ".join(x for x in (meta.doc_number, f"第{meta.meeting_number}次" if meta.meeting_number else "",
                                   meta.date) if x)
    return f"# {meta.title or minute.minute_id}\n{head}\n\n{minute.text}"


def build_server(archive: Archive, pool: AnswerPool) -> Any:
    """The MCPServer over ``archive``: every registered tool (read-only), the minutes as resources."""
    from mcp.server.mcpserver import MCPServer
    from mcp.types import ToolAnnotations

    server = MCPServer(NAME, instructions=INSTRUCTIONS, log_level="WARNING")
    read_only = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
    for spec in registry():
        server.add_tool(bind(spec, archive, pool), name=spec.name, title=spec.title, description=spec.description,
                        annotations=read_only, structured_output=True)

    @server.resource(RESOURCE_PREFIX + "{minute_id}", name="minute", mime_type="text/markdown",
                     description="A minute's metadata and full text")
    def minute(minute_id: str) -> str:
        return minute_text(archive, minute_id)

    return server


class LazyMount:
    """The Streamable HTTP endpoint as an ASGI app inside an already running server: the SDK's
    session manager needs its task group running in the server's event loop, which Gradio's
    lifespan does not start for us, so the first request starts it there."""

    def __init__(self, server: Any) -> None:
        from mcp.server.transport_security import TransportSecuritySettings

        # stateless: each request stands alone (no session to keep or to lose on restart), and
        # JSON replies (the tools do not stream); the host check is the keys layer's (keys.py)
        self.app = server.streamable_http_app(
            streamable_http_path=PATH, stateless_http=True, json_response=True,
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        self.manager = server.session_manager
        self._started: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    async def _run(self, started: asyncio.Event) -> None:
        async with self.manager.run():
            started.set()
            await asyncio.Event().wait()  # until the server's loop ends

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self._started is None:
            self._started = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run(self._started))
        await self._started.wait()
        await self.app(scope, receive, send)


def install(server_app: Any, archive: Archive, pool: AnswerPool) -> Any:
    """Mounts ``/mcp`` on a running app, ahead of Gradio's own routes."""
    from starlette.routing import Route

    mount = LazyMount(build_server(archive, pool))
    server_app.router.routes.insert(0, Route(PATH, mount, methods=["GET", "POST", "DELETE"]))
    return mount
