"""/v1/models and /v1/chat/completions (serve.openai_api) on a bare Starlette app over a fake
assistant: the JSON and SSE replies, follow-ups, 429 when the pool's line is full, errors."""

from __future__ import annotations

import json
import threading
import time

from starlette.applications import Starlette
from starlette.testclient import TestClient

from minutes_rag import present
from minutes_rag.errors import StoreError
from minutes_rag.model import Answer, Citation
from minutes_rag.serve import openai_api
from minutes_rag.serve.mount import ReadyArchive
from minutes_rag.serve.pool import AnswerPool

CITE = Citation(1, "m-21", "〔2020〕21号", 102, "2020-06-30", "五（一）", "姑苏领军人才", "由市科技局汇报", 10, 17)


class FakeAssistant:
    llm_available = False

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.calls: list[tuple] = []

    def ask(self, question, *, filters=None, k=None, mode=None, history=()):
        self.calls.append((question, filters, mode, tuple(history)))
        time.sleep(self.delay)
        if question == "broken":
            raise StoreError("cannot read the index")
        return Answer(question, "由市科技局汇报。[1]", (CITE,), "extractive")

    answer_json = staticmethod(present.answer_json)


def _client(assistant: FakeAssistant, pool: AnswerPool | None = None) -> TestClient:
    app = Starlette()
    openai_api.install(app, ReadyArchive(assistant), pool or AnswerPool(4, 4))  # type: ignore[arg-type]
    return TestClient(app)


def _ask(client: TestClient, question: str = "谁汇报？", **kw):
    return client.post("/v1/chat/completions", json={"model": "minutes-rag",
                                                     "messages": [{"role": "user", "content": question}], **kw})


def test_models_and_a_plain_completion() -> None:
    c = _client(FakeAssistant())
    assert [m["id"] for m in c.get("/v1/models").json()["data"]] == ["minutes-rag"]
    assert c.get("/v1/models/minutes-rag").json()["id"] == "minutes-rag"
    assert c.get("/v1/models/gpt-4").status_code == 404
    r = _ask(c).json()
    assert r["choices"][0]["message"]["content"].startswith("由市科技局汇报。[1]\n\n**来源**\n- [1] 〔2020〕21号")
    assert r["minutes_rag"]["citations"][0]["doc_number"] == "〔2020〕21号"


def test_a_stream_is_sse_chunks_then_done() -> None:
    c = _client(FakeAssistant())
    with c.stream("POST", "/v1/chat/completions", json={
            "model": "minutes-rag", "stream": True, "messages": [{"role": "user", "content": "谁汇报？"}]}) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        lines = [x for x in r.iter_lines() if x]
    assert lines[-1] == "data: [DONE]"
    chunks = [json.loads(x[6:]) for x in lines[:-1]]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert chunks[-1]["minutes_rag"]["found"] is True
    assert "".join(ch["choices"][0]["delta"].get("content", "") for ch in chunks).startswith("由市科技局汇报。[1]")


def test_a_follow_up_gets_the_earlier_answer_back_as_history() -> None:
    fake = FakeAssistant()
    c = _client(fake)
    reply = _ask(c, "谁汇报？").json()["choices"][0]["message"]["content"]
    c.post("/v1/chat/completions", json={"model": "minutes-rag", "messages": [
        {"role": "user", "content": "谁汇报？"}, {"role": "assistant", "content": reply},
        {"role": "user", "content": "那它是哪次会议？"}]})
    question, _, _, history = fake.calls[-1]
    assert question == "那它是哪次会议？" and history[0].question == "谁汇报？"
    assert history[0].answer.citations == (CITE,)  # the server's own Answer, found by the reply's text


def test_a_failure_is_an_error_object_plain_and_in_a_stream() -> None:
    c = _client(FakeAssistant())
    r = _ask(c, "broken")
    assert r.status_code == 503 and r.json()["error"]["type"] == "server_error"
    with c.stream("POST", "/v1/chat/completions", json={
            "model": "minutes-rag", "stream": True, "messages": [{"role": "user", "content": "broken"}]}) as s:
        lines = [x for x in s.iter_lines() if x]
    assert json.loads(lines[-2][6:])["error"]["code"] == "unavailable" and lines[-1] == "data: [DONE]"
    bad = c.post("/v1/chat/completions", content=b"{not json", headers={"content-type": "application/json"})
    assert bad.status_code == 400 and "error" in bad.json()


def test_429_when_every_slot_is_busy_and_the_line_is_full() -> None:
    fake = FakeAssistant(delay=0.5)
    c = _client(fake, AnswerPool(1, 1))
    out: list[int] = []
    threads = [threading.Thread(target=lambda: out.append(_ask(c).status_code)) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.2)  # one answering, one waiting
    third = _ask(c)
    for t in threads:
        t.join()
    assert sorted(out) == [200, 200]
    assert third.status_code == 429 and third.headers["retry-after"] == "1"
    assert third.json()["error"]["code"] == "rate_limit_exceeded"
    assert _ask(c).status_code == 200  # the line has emptied


def test_with_an_llm_the_llm_model_is_listed_and_asks_in_llm_mode() -> None:
    fake = FakeAssistant()
    fake.llm_available = True
    c = _client(fake)
    assert [m["id"] for m in c.get("/v1/models").json()["data"]] == ["minutes-rag", "minutes-rag-llm"]
    for model, mode in (("minutes-rag-llm", "llm"), ("minutes-rag", "extractive")):
        r = c.post("/v1/chat/completions", json={"model": model, "messages": [{"role": "user", "content": "谁？"}]})
        assert r.status_code == 200 and r.json()["model"] == model and fake.calls[-1][2] == mode
