"""The LLM answerer against a real OpenAI-compatible HTTP server on loopback.

llama.cpp's server runs a tiny random-weight GGUF written by make_tiny_gguf.py: its text
is noise, so these tests check the mechanics (streaming over HTTP, max tokens, checked
final Answer, fallbacks on timeout and on an unreachable port), not the content.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from llm_server import free_port, llama_server, silent_server  # noqa: E402
from make_tiny_gguf import write_tiny_gguf  # noqa: E402

from minutes_rag.answer import FALLBACK_MODE  # noqa: E402
from minutes_rag.assistant import build_answerer, chat_model_from_settings  # noqa: E402
from minutes_rag.config import Settings  # noqa: E402
from minutes_rag.model import Answer, Hit, MinuteMeta, Section  # noqa: E402

pytestmark = pytest.mark.integration

TEXT = "一、审议《老旧小区改造实施方案》\n\n原则同意该方案。由市住建局根据会议意见修改完善后印发实施。\n"
QUESTION = "老旧小区改造方案由哪个部门修改完善？"


def _hits() -> list[Hit]:
    start = TEXT.index("原则同意")
    sec = Section("s1", "m1", ("一",), "item", "审议《老旧小区改造实施方案》", TEXT[start:].rstrip(), start,
                  len(TEXT.rstrip()))
    meta = MinuteMeta(doc_number="〔2021〕7号", meeting_number=45, date="2021-03-15")
    return [Hit(section=sec, score=1.0, meta=meta, dense=0.95, lexical=3.0)]


@pytest.fixture(scope="module")
def tiny_gguf(tmp_path_factory) -> Path:
    return write_tiny_gguf(tmp_path_factory.mktemp("gguf") / "tiny.gguf")


@pytest.fixture(scope="module")
def server(tiny_gguf, tmp_path_factory):
    log = tmp_path_factory.mktemp("llama-log") / "server.log"
    with llama_server(tiny_gguf, log_path=log) as base:
        yield base


def _settings(base: str, **kw) -> Settings:
    return Settings().with_overrides(llm_base_url=base, llm_model="tiny", llm_api_key="x", **kw)


def test_streams_over_http_and_checks_the_reply(server):
    answerer = build_answerer(_settings(server, llm_max_tokens=12, llm_timeout=60), "llm")
    items = list(answerer.stream(QUESTION, _hits()))
    deltas = [i for i in items if isinstance(i, str)]
    final = items[-1]
    assert isinstance(final, Answer) and sum(isinstance(i, Answer) for i in items) == 1
    assert final.mode == "llm", final.warnings
    assert len([d for d in deltas if d]) > 1  # text arrived in pieces, as it was generated
    for c in final.citations:  # whatever the noise cited, citations are verified quotes
        assert TEXT[c.start : c.end] == c.quote
    assert "answer" in final.timings_ms


def test_max_tokens_reaches_llama_cpp(server):
    # llama.cpp ignores max_completion_tokens (what ChatOpenAI sends); extra_body carries it
    model = chat_model_from_settings(_settings(server, llm_max_tokens=4, llm_timeout=60))
    pieces = [c.content for c in model.stream([("human", "hello")]) if c.content]
    assert 1 <= len(pieces) <= 4
    longer = chat_model_from_settings(_settings(server, llm_max_tokens=10, llm_timeout=60))
    assert len([c for c in longer.stream([("human", "hello")]) if c.content]) > 4


def test_timeout_falls_back_to_extractive():
    with silent_server() as base:
        answerer = build_answerer(_settings(base, llm_timeout=1.0), "llm")
        t0 = time.monotonic()
        items = list(answerer.stream(QUESTION, _hits()))
        elapsed = time.monotonic() - t0
    final = items[-1]
    assert isinstance(final, Answer)
    assert final.mode == FALLBACK_MODE
    # the answer's total deadline (llm_timeout) ran out: the warning says so
    assert any("within 1 s" in w for w in final.warnings), final.warnings
    assert final.found and "由市住建局" in final.text and final.citations
    assert elapsed < 15


def test_unreachable_server_falls_back_to_extractive():
    base = f"http://127.0.0.1:{free_port()}/v1"
    final = build_answerer(_settings(base, llm_timeout=5), "llm").answer(QUESTION, _hits())
    assert final.mode == FALLBACK_MODE
    assert any("unreachable" in w for w in final.warnings), final.warnings
    assert final.citations and TEXT[final.citations[0].start : final.citations[0].end] == final.citations[0].quote


def test_local_gguf_in_process(tiny_gguf):
    answerer = build_answerer(Settings().with_overrides(gguf_path=str(tiny_gguf), llm_max_tokens=8), "llm")
    items = list(answerer.stream(QUESTION, _hits()))
    final = items[-1]
    assert isinstance(final, Answer) and final.mode == "llm", final.warnings
    assert [i for i in items if isinstance(i, str) and i]
