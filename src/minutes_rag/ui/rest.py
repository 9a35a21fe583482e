"""``POST /api/ask``: the ``/ask`` API as one JSON request and one JSON reply.

Gradio's own REST interface to the same function (``/gradio_api/call/ask``: a POST that
returns an event id, then the result as server-sent events through Gradio's queue) costs
the server ~25 ms of CPU a request on this project's machine, more than an extractive
answer itself. This route runs the same handler (``Handlers.api_ask``: it waits for the
warm-up, validates, answers) in a worker thread, at most ``ui_concurrency`` at once (the answer pool, ``serve.pool``), and
replies with the ``ask --json`` object plus ``found``; a refused question is a 400 with
``{"error": message}``. It is a route of the Gradio app, so the auth gate covers it.

    curl -s localhost:7860/api/ask -H 'Content-Type: application/json' \\
         -d '{"question": "谁主持了第102次常务会议？", "mode": "extractive"}'
"""

from __future__ import annotations

import logging
from typing import Any

from minutes_rag.errors import MinutesRagError
from minutes_rag.serve.pool import AnswerPool

log = logging.getLogger(__name__)

ROUTE = "/api/ask"
FIELDS = ("date_from", "date_to", "minute_id", "mode")  # optional, strings, as the Gradio API's


def install(server_app: Any, handlers: Any, concurrency: int | AnswerPool) -> None:
    """Adds the route to a running Gradio app (its FastAPI ``server_app``), ahead of Gradio's own.
    ``concurrency``: the server's answer pool (shared with ``/v1`` and ``/mcp``), or its size."""
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    # this route waits for a slot however long the line (its contract has no "busy" reply)
    pool = concurrency if isinstance(concurrency, AnswerPool) else AnswerPool(int(concurrency), 0)

    def answer(question: str, options: list[str]) -> dict[str, Any]:
        return pool.run(lambda: dict(handlers.api_ask(question, *options)))

    async def ask(request: Request) -> JSONResponse:
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"error": "the body must be a JSON object"}, status_code=400)
        if not isinstance(body, dict) or not isinstance(body.get("question"), str):
            return JSONResponse({"error": 'the body needs "question", a string'}, status_code=400)
        bad = [f for f in FIELDS if body.get(f) is not None and not isinstance(body.get(f), str)]
        if bad:
            return JSONResponse({"error": f"{bad[0]} must be a string"}, status_code=400)
        options = [body.get(f) or "" for f in FIELDS]
        try:
            return JSONResponse(await run_in_threadpool(answer, body["question"], options))
        except ValueError as exc:  # a refused question (Handlers.api_ask words it)
            log.info("API request refused: %s", exc)
            return JSONResponse({"error": str(exc)}, status_code=400)
        except MinutesRagError as exc:
            log.warning("API request failed: %s", exc)
            return JSONResponse({"error": str(exc)}, status_code=503)

    server_app.router.routes.insert(0, Route(ROUTE, ask, methods=["POST"]))
