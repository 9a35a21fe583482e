"""POST /api/ask (ui.rest) on a bare Starlette app over fake handlers: the JSON contract,
refusals as 400s, and at most ``ui_concurrency`` answers at once."""

from __future__ import annotations

import threading
import time

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from minutes_rag.errors import StoreError
from minutes_rag.ui import rest

REPLY = {"question": "q", "answer": "由市住建局牵头。[1]", "mode": "extractive", "citations": [], "retrieved": [],
         "timings_ms": {"retrieve": 1.0, "answer": 1.0, "total": 2.0}, "warnings": [], "found": True}


class FakeHandlers:
    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.calls: list[tuple] = []
        self.running = 0
        self.most = 0
        self._lock = threading.Lock()

    def api_ask(self, question, date_from="", date_to="", minute_id="", mode=""):
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(self.delay)
            if question == "too long":
                raise ValueError("the question is longer than 2000 characters")
            if question == "broken":
                raise StoreError("cannot read the index")
            self.calls.append((question, date_from, date_to, minute_id, mode))
            return dict(REPLY, question=question)
        finally:
            with self._lock:
                self.running -= 1


def _client(handlers: FakeHandlers, concurrency: int = 4) -> TestClient:
    app = Starlette()
    rest.install(app, handlers, concurrency)
    return TestClient(app)


def test_a_question_gets_the_ask_json_object():
    h = FakeHandlers()
    r = _client(h).post(rest.ROUTE, json={"question": "谁牵头？", "date_from": "2020-01-01", "mode": "extractive"})
    assert r.status_code == 200 and r.json() == dict(REPLY, question="谁牵头？")
    assert h.calls == [("谁牵头？", "2020-01-01", "", "", "extractive")]


@pytest.mark.parametrize(
    "body, status, words",
    [({"question": "too long"}, 400, "longer than 2000"), ({"question": "broken"}, 503, "cannot read the index"),
     ({"q": "x"}, 400, '"question"'), ({"question": "x", "mode": 3}, 400, "mode must be a string")],
)
def test_refusals_and_failures_are_json_errors(body, status, words):
    r = _client(FakeHandlers()).post(rest.ROUTE, json=body)
    assert r.status_code == status and words in r.json()["error"]


def test_a_body_that_is_not_json_is_refused():
    r = _client(FakeHandlers()).post(rest.ROUTE, content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "JSON object" in r.json()["error"]


def test_at_most_the_configured_number_of_answers_at_once():
    h = FakeHandlers(delay=0.2)
    client = _client(h, concurrency=2)
    threads = [threading.Thread(target=client.post, args=(rest.ROUTE,), kwargs={"json": {"question": f"q{i}"}})
               for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(h.calls) == 5 and h.most == 2
