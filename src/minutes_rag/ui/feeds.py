"""``GET /feeds/<alert id>.atom``: an alert's events as Atom (``followup/feeds.py``).

A route of the Gradio app, so the auth gate covers it; a feed reader that cannot log in to
a page sends the same user and password as HTTP Basic auth (``ui.gate`` accepts it on
``/feeds/`` only).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from minutes_rag.errors import MinutesRagError

if TYPE_CHECKING:
    from minutes_rag.index import StateIndex

log = logging.getLogger(__name__)

PREFIX = "/feeds/"


def install(server_app: Any, index: Callable[[], StateIndex]) -> None:
    """Adds the route to a running Gradio app (its FastAPI ``server_app``), ahead of Gradio's own."""
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    from minutes_rag.followup.feeds import atom_feed

    def render(alert_id: str, base_url: str) -> str | None:
        state = index()
        alert = state.alert(alert_id)
        if alert is None:
            return None
        return atom_feed(alert, state.alert_events(alert_id), base_url=base_url)

    async def feed(request: Request) -> Response:
        alert_id = str(request.path_params["alert_id"])
        try:
            body = await run_in_threadpool(render, alert_id, str(request.base_url).rstrip("/"))
        except MinutesRagError as exc:
            log.warning("feed %s failed: %s", alert_id, exc)
            return JSONResponse({"error": str(exc)}, status_code=503)
        if body is None:
            return JSONResponse({"error": f"no alert {alert_id!r}"}, status_code=404)
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    server_app.router.routes.insert(0, Route(PREFIX + "{alert_id}.atom", feed, methods=["GET"]))
