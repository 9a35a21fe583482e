"""The server's warm-up and many questions at once, over a fake Assistant: a question asked
while the server warms up waits for it with a note on the page; questions do not wait for
each other; the page's readiness line."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from minutes_rag.config import Settings
from minutes_rag.model import Answer, Filters
from minutes_rag.ui.handlers import ChatState, Handlers


@dataclass
class SlowAssistant:
    settings: Settings
    delay: float = 0.0
    warm: threading.Event = field(default_factory=threading.Event)
    warmed: bool = False
    asked_before_warm: bool = False

    def warm_up(self) -> None:
        self.warm.wait(10)
        self.warmed = True

    def ask_stream(self, question, *, filters=Filters(), k=None, mode=None, history=()):
        if not self.warmed:
            self.asked_before_warm = True
        time.sleep(self.delay)
        yield Answer(question, "由市住建局牵头。", (), "extractive", timings_ms={"total": 1.0})

    def ask(self, question, *, filters=Filters(), k=None, mode=None, history=()):
        return list(self.ask_stream(question))[-1]

    def not_found_text(self, lang):
        return "未找到"

    def answer_json(self, answer):
        return {"question": answer.question, "answer": answer.text, "mode": answer.mode, "citations": [],
                "retrieved": [], "timings_ms": dict(answer.timings_ms)}

    @property
    def llm_available(self):
        return False


def _settings(tmp_path) -> Settings:
    return Settings.load(env={}, data_dir=str(tmp_path))


def test_a_question_during_warm_up_waits_for_it_with_a_note(tmp_path):
    fake = SlowAssistant(_settings(tmp_path))
    h = Handlers(fake)
    assert h.ready.is_set() and "✅" in h.status("zh")  # no warm-up started: ready
    h.start_warm_up()
    assert not h.ready.is_set() and "⏳" in h.status("en")
    steps = h.chat("谁牵头？", ChatState(), "", "", "", "", "zh")
    html, _ = next(steps)
    assert "正在加载模型和索引" in html  # the visible note while the question waits
    done: list = []
    consumer = threading.Thread(target=lambda: done.extend(steps))
    consumer.start()
    time.sleep(0.2)
    assert not done  # still waiting: the model is not loaded yet
    fake.warm.set()
    consumer.join(5)
    final_html, state = done[-1]
    assert "由市住建局牵头" in final_html and "正在加载模型和索引" not in final_html
    assert not fake.asked_before_warm and h.ready.is_set() and "✅" in h.status("zh")


def test_api_questions_wait_for_the_warm_up(tmp_path):
    fake = SlowAssistant(_settings(tmp_path))
    h = Handlers(fake)
    h.start_warm_up()
    out: list = []
    t = threading.Thread(target=lambda: out.append(h.api_ask("谁牵头？")))
    t.start()
    time.sleep(0.2)
    assert not out
    fake.warm.set()
    t.join(5)
    assert out and out[0]["found"] is True and not fake.asked_before_warm


def test_questions_are_answered_in_parallel(tmp_path):
    fake = SlowAssistant(_settings(tmp_path), delay=0.4)
    fake.warmed = True
    h = Handlers(fake)
    threads = [threading.Thread(target=h.api_ask, args=(f"问题{i}",)) for i in range(4)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    # one lock around each answer took 4 x 0.4 s; in parallel it is one delay (and some slack)
    assert time.perf_counter() - t0 < 1.2


def test_a_failed_warm_up_still_serves_and_says_so(tmp_path):
    class Broken(SlowAssistant):
        def warm_up(self) -> None:
            raise RuntimeError("no collection")

    h = Handlers(Broken(_settings(tmp_path)))
    h.start_warm_up().join(5)
    assert h.ready.is_set() and "no collection" in h.status("en")


def test_the_chat_the_api_and_the_json_route_share_one_pool_of_slots(tmp_path):
    """ui_concurrency bounds the questions answered at once whichever way they come."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from minutes_rag.ui import rest

    class Counting(SlowAssistant):
        running = 0
        most = 0
        lock = threading.Lock()

        def ask_stream(self, question, *, filters=Filters(), k=None, mode=None, history=()):
            with self.lock:
                self.running += 1
                self.most = max(self.most, self.running)
            try:
                yield from super().ask_stream(question)
            finally:
                with self.lock:
                    self.running -= 1

    fake = Counting(Settings.load(env={}, data_dir=str(tmp_path), ui_concurrency=2), delay=0.3)
    fake.warmed = True
    h = Handlers(fake)
    app = Starlette()
    rest.install(app, h, 2)
    client = TestClient(app)
    jobs = [lambda: h.api_ask("问题"), lambda: list(h.chat("问题", ChatState(), "", "", "", "", "zh")),
            lambda: client.post(rest.ROUTE, json={"question": "问题"})] * 2
    threads = [threading.Thread(target=job) for job in jobs]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    assert fake.most == 2, "more questions ran at once than the one pool allows"
