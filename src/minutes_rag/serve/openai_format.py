"""The OpenAI chat-completions wire format, as pure functions (no server here): a request's
messages as a question and the conversation before it, an answer as the reply's content (the
answer with its [n] markers, then a short sources block any chat client shows) plus the
structured citations in the ``minutes_rag`` extension field, stream chunks, error objects.

The contract (README, "OpenAI-compatible chat"): models ``minutes-rag`` (extractive) and
``minutes-rag-llm`` (when an LLM is configured); the extension field of the response and of the
last stream chunk is ``{"citations": [the ask --json citation objects], "found", "mode",
"rewrite", "warnings", "question"}``; request filters ride in the body's ``minutes_rag`` object
(``date_from``, ``date_to``, ``minute``).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from minutes_rag.errors import InvalidRequest, MinutesRagError, NotFound
from minutes_rag.serve.pool import PoolFull
from minutes_rag.text.lang import detect_lang
from minutes_rag.text.patterns import ISO_DATE, find_doc_numbers

MODEL_EXTRACTIVE = "minutes-rag"
MODEL_LLM = "minutes-rag-llm"
MODES = {MODEL_EXTRACTIVE: "extractive", MODEL_LLM: "llm"}
EXTENSION = "minutes_rag"  # the extension field of responses and requests
FILTER_FIELDS = ("date_from", "date_to", "minute")
QUOTE_CHARS = 80  # a source's quote in the content: enough to recognise it; the full quote is in the extension
PIECE_CHARS = 48  # content per stream chunk: a few words a repaint, without an event per character
SOURCES_HEADING = {"zh": "来源", "en": "Sources"}


class ApiError(Exception):
    """A request refused with an OpenAI error object."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error", code: str | None = None,
                 param: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.type, self.code, self.param = status, message, type, code, param

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


def error_for(exc: BaseException) -> ApiError:
    """The status and error object a library error becomes (user messages at the edge)."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, PoolFull):
        return ApiError(429, f"the server is busy ({exc}); try again shortly", type="rate_limit_error",
                        code="rate_limit_exceeded")
    if isinstance(exc, InvalidRequest):
        return ApiError(400, exc.problem, code="invalid_value", param=exc.field)
    if isinstance(exc, NotFound):
        return ApiError(400, str(exc), code="not_found", param=f"{EXTENSION}.minute")
    if isinstance(exc, MinutesRagError):
        return ApiError(503, str(exc), type="server_error", code="unavailable")
    return ApiError(500, f"{type(exc).__name__}: the server failed to answer", type="server_error",
                    code="internal_error")


def model_ids(llm_available: bool) -> list[str]:
    return [MODEL_EXTRACTIVE, MODEL_LLM] if llm_available else [MODEL_EXTRACTIVE]


def models_list(llm_available: bool, created: int) -> dict[str, Any]:
    return {"object": "list", "data": [
        {"id": m, "object": "model", "created": created, "owned_by": "minutes-rag"} for m in model_ids(llm_available)
    ]}


@dataclass(frozen=True)
class ChatRequest:
    model: str
    mode: str
    question: str
    prior: tuple[tuple[str, str], ...] = ()  # (user, assistant) exchanges before the question, oldest first
    stream: bool = False
    filters: Mapping[str, str] = field(default_factory=dict)


def message_text(content: Any) -> str:
    """A message's text: a string, or the text parts of a list of content parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for p in content:
            if isinstance(p, dict) and p.get("type") in ("text", "input_text") and isinstance(p.get("text"), str):
                parts.append(p["text"])
            elif isinstance(p, str):
                parts.append(p)
        return "\n".join(parts)
    raise ApiError(400, "a message's content must be a string or a list of content parts", param="messages")


def parse_request(body: Any, llm_available: bool) -> ChatRequest:
    """The request's question, conversation, model and options; ApiError for what cannot be asked."""
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise ApiError(400, "you must provide a model (GET /v1/models lists them)", param="model")
    if model not in model_ids(llm_available):
        raise ApiError(404, f"The model `{model}` does not exist on this server; it offers "
                       f"{', '.join(model_ids(llm_available))}", code="model_not_found", param="model")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise ApiError(400, "messages must be a non-empty list", param="messages")
    n = body.get("n", 1)
    if n not in (None, 1):
        raise ApiError(400, "only n=1 is supported", param="n")
    turns: list[tuple[str, str]] = []
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or not isinstance(m.get("role"), str):
            raise ApiError(400, f"messages[{i}] must be an object with a role", param="messages")
        turns.append((m["role"], message_text(m.get("content"))))
    if turns[-1][0] != "user":
        raise ApiError(400, "the last message must be the user's question", param="messages")
    question = turns[-1][1].strip()
    if not question:
        raise ApiError(400, "the question (the last user message) is empty", param="messages")
    # the conversation: each user message with the assistant reply that followed it; system,
    # developer and tool messages carry nothing the archive's answer can use
    prior: list[tuple[str, str]] = []
    pending = ""
    for role, text in turns[:-1]:
        if role == "user":
            pending = text
        elif role == "assistant" and pending:
            prior.append((pending, text))
            pending = ""
    extra = body.get(EXTENSION) or {}
    if not isinstance(extra, dict):
        raise ApiError(400, f"{EXTENSION} must be an object", param=EXTENSION)
    filters: dict[str, str] = {}
    for name in FILTER_FIELDS:
        value = extra.get(name)
        if value is not None and not isinstance(value, str):
            raise ApiError(400, f"{EXTENSION}.{name} must be a string", param=f"{EXTENSION}.{name}")
        filters[name] = value or ""
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise ApiError(400, "stream must be true or false", param="stream")
    return ChatRequest(model, MODES[model], question, tuple(prior), stream, filters)


# -- the reply ------------------------------------------------------------------------------
def _meeting(c: Mapping[str, Any], lang: str) -> str:
    n = c.get("meeting_number")
    if n is None or n == "":
        return ""
    return f"第{n}次会议" if lang == "zh" else f"Meeting {n}"


def source_line(c: Mapping[str, Any], lang: str) -> str:
    """``- [1] 〔2020〕21号 · 第102次会议 · 2020-06-30 · 五（一） title — “quote”``"""
    item = " ".join(x for x in (str(c.get("label") or ""), str(c.get("title") or "")) if x)
    fields = [str(c.get("doc_number") or c.get("minute_id") or ""), _meeting(c, lang), str(c.get("date") or ""), item]
    quote = " ".join(str(c.get("quote") or "").split())
    if len(quote) > QUOTE_CHARS:
        quote = quote[: QUOTE_CHARS - 1] + "…"
    line = f"- [{c.get('n')}] " + " · ".join(f for f in fields if f)
    return line + (f" — “{quote}”" if quote else "")


def reply_content(answer: Mapping[str, Any], question: str) -> str:
    """The answer with its markers, then its sources (``answer``: the ask --json object)."""
    text = str(answer.get("answer") or "").strip()
    citations = answer.get("citations") or []
    if not citations:
        return text
    lang = "zh" if detect_lang(question, question=True) == "zh" else "en"
    lines = [source_line(c, lang) for c in citations]
    return f"{text}\n\n**{SOURCES_HEADING[lang]}**\n" + "\n".join(lines)


def extension(answer: Mapping[str, Any], found: bool) -> dict[str, Any]:
    return {
        "question": answer.get("question", ""), "found": bool(found), "mode": answer.get("mode", ""),
        "rewrite": answer.get("rewrite", "none"), "citations": list(answer.get("citations") or []),
        "warnings": list(answer.get("warnings") or []),
    }


_SOURCE_LINE = re.compile(r"^- \[(\d{1,3})\] (.+)$")
_MEETING_NO = re.compile(r"第(\d+)次|\bMeeting (\d+)\b")


def parse_sources(content: str) -> tuple[str, list[dict[str, Any]]]:
    """Our own reply read back (a client sends the conversation, not our objects): the answer
    text and what its sources block names (document number, meeting, date, label and title),
    enough for a follow-up to know which minute it is about."""
    head, sep, tail = content.rpartition("\n\n**")
    if not sep or not any(tail.startswith(h + "**") for h in SOURCES_HEADING.values()):
        return content.strip(), []
    cites: list[dict[str, Any]] = []
    for line in tail.splitlines()[1:]:
        m = _SOURCE_LINE.match(line.strip())
        if not m:
            continue
        body = m.group(2).split(" — “", 1)[0]
        fields = body.split(" · ")
        doc = (find_doc_numbers(fields[0]) or [""])[0]
        date = next((f for f in fields if ISO_DATE.fullmatch(f)), "")
        meeting = next((mm for f in fields if (mm := _MEETING_NO.fullmatch(f.replace("会议", "")))), None)
        rest = [f for f in fields[1:] if f != date and not _MEETING_NO.fullmatch(f.replace("会议", ""))]
        cites.append({
            "n": int(m.group(1)), "minute_id": "" if doc else fields[0], "doc_number": doc,
            "meeting_number": int(meeting.group(1) or meeting.group(2)) if meeting else None, "date": date,
            "label": "", "title": rest[-1] if rest else "", "quote": "", "start": 0, "end": 0,
        })
    return head.strip(), cites


class ReplyMemory:
    """The answers this server gave lately, by their reply's text: a client sends the
    conversation back as text, and a follow-up is rewritten from the earlier answer's own
    citations when it is still here (else from what ``parse_sources`` reads back)."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(content: str) -> str:
        return hashlib.sha256(" ".join(content.split()).encode("utf-8")).hexdigest()

    def put(self, content: str, answer: Any) -> None:
        with self._lock:
            self._items[self._key(content)] = answer
            self._items.move_to_end(self._key(content))
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get(self, content: str) -> Any:
        with self._lock:
            return self._items.get(self._key(content))


# -- the wire -------------------------------------------------------------------------------
def completion(cid: str, created: int, model: str, content: str, ext: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": cid, "object": "chat.completion", "created": created, "model": model, "system_fingerprint": None,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": None},
                     "logprobs": None, "finish_reason": "stop"}],
        EXTENSION: dict(ext),
    }


def chunk(cid: str, created: int, model: str, delta: Mapping[str, Any], finish_reason: str | None = None,
          ext: Mapping[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": cid, "object": "chat.completion.chunk", "created": created, "model": model, "system_fingerprint": None,
        "choices": [{"index": 0, "delta": dict(delta), "logprobs": None, "finish_reason": finish_reason}],
    }
    if ext is not None:
        out[EXTENSION] = dict(ext)
    return out


def sse(obj: Mapping[str, Any]) -> str:
    return f"data: {json.dumps(obj, ensure_ascii=False)}\n\n"


DONE = "data: [DONE]\n\n"
KEEP_ALIVE = ": keep-alive\n\n"  # an SSE comment: clients ignore it, proxies see traffic


def pieces(content: str, size: int = PIECE_CHARS) -> Iterator[str]:
    """The content in stream-sized pieces (never splitting a [n] marker)."""
    buf = ""
    for token in re.split(r"(\[\d{1,3}\])", content):
        if buf and len(buf) + len(token) > size:
            yield buf
            buf = ""
        while len(token) > size and not token.startswith("["):
            yield token[:size]
            token = token[size:]
        buf += token
    if buf:
        yield buf


def stream_events(cid: str, created: int, model: str, content: str, ext: Mapping[str, Any]) -> Sequence[str]:
    """The answer's content chunks, then the last chunk (finish_reason, the extension), then [DONE]."""
    out = [sse(chunk(cid, created, model, {"content": p})) for p in pieces(content)]
    out.append(sse(chunk(cid, created, model, {}, "stop", ext)))
    out.append(DONE)
    return out
