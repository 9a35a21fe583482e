"""``GET /v1/models`` and ``POST /v1/chat/completions``: the archive as an OpenAI-compatible
chat server, in the ``serve`` process, over the same Assistant, answer pool and keys as the page.

The wire format is ``openai_format``; this module runs a request: the last user message is
the question and the exchanges before it the conversation (follow-ups are rewritten as in the
chat), in a worker thread inside the answer pool. A streamed reply sends its role chunk at
once, keep-alive comments while the answer is made, then the content: the content is sent once
the answer is final, because an LLM's citation markers are checked and renumbered only when it
has finished (a client cannot take back text it was sent).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any, Protocol

from minutes_rag.model import Answer, Citation, Turn, filters_from_flags
from minutes_rag.serve import openai_format as fmt
from minutes_rag.serve.pool import AnswerPool, PoolFull
from minutes_rag.ui.api import AssistantAPI

log = logging.getLogger(__name__)

KEEP_ALIVE_S = 10.0  # a comment this often while an answer is made: idle proxies close at 30-60 s
WARM_WAIT_S = 600.0  # a request during warm-up waits at most this long for it (as the page's)


class Archive(Protocol):
    """What the faces need of the server: its Assistant and whether warm-up has finished
    (``ui.handlers.Handlers`` is one)."""

    assistant: AssistantAPI
    ready: threading.Event


class ChatService:
    """One request's answer, as content and extension (the routes and the tests call this)."""

    def __init__(self, archive: Archive, memory: fmt.ReplyMemory | None = None) -> None:
        self.archive = archive
        self.memory = memory or fmt.ReplyMemory()

    def history(self, prior: tuple[tuple[str, str], ...]) -> list[Turn]:
        turns = []
        for question, reply in prior:
            known = self.memory.get(reply)
            if isinstance(known, Answer):
                turns.append(Turn(question, known))
                continue
            text, cites = fmt.parse_sources(reply)
            answer = Answer(question, text, tuple(Citation(**c) for c in cites), "", found=bool(cites))
            turns.append(Turn(question, answer))
        return turns

    def answer(self, req: fmt.ChatRequest) -> tuple[str, dict[str, Any]]:
        self.archive.ready.wait(WARM_WAIT_S)
        assistant = self.archive.assistant
        filters = filters_from_flags({"from": req.filters.get("date_from", ""), "to": req.filters.get("date_to", ""),
                                      "minute": req.filters.get("minute", "")})
        answer = assistant.ask(req.question, filters=filters, mode=req.mode, history=self.history(req.prior))
        out = assistant.answer_json(answer)
        content = fmt.reply_content(out, req.question)
        self.memory.put(content, answer)
        return content, fmt.extension(out, answer.found)


def _error(err: fmt.ApiError) -> Any:
    from starlette.responses import JSONResponse

    headers = {"Retry-After": "1"} if err.status == 429 else None
    return JSONResponse(err.body(), status_code=err.status, headers=headers)


def install(server_app: Any, archive: Archive, pool: AnswerPool) -> ChatService:
    """Adds the routes to a running app (its FastAPI ``server_app``), ahead of Gradio's own."""
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse, StreamingResponse
    from starlette.routing import Route

    service = ChatService(archive)
    started = int(time.time())

    def llm() -> bool:
        return bool(archive.assistant.llm_available)

    async def models(request: Request) -> JSONResponse:
        return JSONResponse(fmt.models_list(llm(), started))

    async def model(request: Request) -> Any:
        name = request.path_params["model"]
        for m in fmt.models_list(llm(), started)["data"]:
            if m["id"] == name:
                return JSONResponse(m)
        return _error(fmt.ApiError(404, f"The model `{name}` does not exist", code="model_not_found", param="model"))

    async def completions(request: Request) -> Any:
        try:
            body = await request.json()
        except ValueError:
            return _error(fmt.ApiError(400, "the body must be JSON"))
        try:
            req = fmt.parse_request(body, llm())
            pool.check()
        except (fmt.ApiError, PoolFull) as exc:
            err = fmt.error_for(exc)
            log.info("chat completion refused (%d): %s", err.status, err.message)
            return _error(err)
        cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())

        def work() -> tuple[str, dict[str, Any]]:
            return pool.run(lambda: service.answer(req))

        if not req.stream:
            try:
                content, ext = await run_in_threadpool(work)
            except Exception as exc:  # noqa: BLE001 - every failure becomes an OpenAI error object
                return _error(_logged(exc))
            return JSONResponse(fmt.completion(cid, created, req.model, content, ext))

        async def events() -> AsyncIterator[str]:
            yield fmt.sse(fmt.chunk(cid, created, req.model, {"role": "assistant", "content": ""}))
            task = asyncio.ensure_future(run_in_threadpool(work))
            while not task.done():
                done, _ = await asyncio.wait({task}, timeout=KEEP_ALIVE_S)
                if not done:
                    yield fmt.KEEP_ALIVE
            try:
                content, ext = task.result()
            except Exception as exc:  # noqa: BLE001 - the stream has started: the error goes in it
                yield fmt.sse(_logged(exc).body())
                yield fmt.DONE
                return
            for event in fmt.stream_events(cid, created, req.model, content, ext):
                yield event

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    routes = [
        Route("/v1/models", models, methods=["GET"]),
        Route("/v1/models/{model:path}", model, methods=["GET"]),
        Route("/v1/chat/completions", completions, methods=["POST"]),
    ]
    server_app.router.routes[0:0] = routes
    return service


def _logged(exc: BaseException) -> fmt.ApiError:
    err = fmt.error_for(exc)
    if err.status >= 500:
        log.warning("chat completion failed: %s: %s", type(exc).__name__, exc)
    else:
        log.info("chat completion refused (%d): %s", err.status, err.message)
    return err
