"""The chat as an API: gradio_client calls the documented /ask endpoint of the real app
(real bundled model, real Chroma), behind basic auth, and gets the answer and citations as data."""

from __future__ import annotations

import socket

import pytest

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory, suzhou_path, bundled_embedder):
    from minutes_rag.ui import build_app
    from minutes_rag.ui.app import launch_app

    settings = Settings.load(
        env={}, data_dir=str(tmp_path_factory.mktemp("ui-api")), port=_free_port(), auth="clerk:minutes-2020",
    )
    assistant = Assistant(settings, embedder=bundled_embedder)
    report = assistant.ingest([suzhou_path])
    assert report.added == 1
    app = build_app(assistant, lang=settings.ui_lang)
    launch_app(app, settings, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{settings.port}/"
    finally:
        app.close()
        assistant.close()


def test_gradio_client_gets_answer_and_citations(served):
    from gradio_client import Client

    from minutes_rag.ui.app import API_NAME

    client = Client(served, auth=("clerk", "minutes-2020"), verbose=False)
    out = client.predict(
        question="姑苏领军人才计划第一批拟立项情况由哪个部门汇报？", date_from="", date_to="", minute_id="", mode="",
        api_name=f"/{API_NAME}",
    )
    assert out["found"] is True and out["mode"] == "extractive"
    assert "市科技局" in out["answer"] and "[1]" in out["answer"]
    first = out["citations"][0]
    assert first["label"] == "五（一）" and first["doc_number"] == "〔2020〕21号"
    assert first["meeting_number"] == 102 and first["date"] == "2020-06-30"
    assert "市科技局" in first["quote"] and first["end"] > first["start"]

    # the same filters as the page: a date range that excludes the minute finds nothing
    none = client.predict(
        question="姑苏领军人才计划第一批拟立项情况由哪个部门汇报？", date_from="2021-01-01", date_to="", minute_id="",
        mode="", api_name=f"/{API_NAME}",
    )
    assert none["found"] is False and none["citations"] == []


def test_the_api_needs_the_password(served):
    from gradio_client import Client

    with pytest.raises(ValueError, match="Could not login"):
        Client(served, auth=("clerk", "wrong"), verbose=False)


def test_a_refused_api_request_says_why_without_a_traceback(served, capfd):
    from gradio_client import Client

    from minutes_rag.ui.app import API_NAME

    client = Client(served, auth=("clerk", "minutes-2020"), verbose=False)
    capfd.readouterr()
    for kwargs, reason in (
        ({"date_from": "2020-13-45"}, "YYYY-MM-DD"),
        ({"date_from": "2021-01-01", "date_to": "2020-01-01"}, "start date is after the end date"),
        ({"question": "问" * 5000}, "the limit is 2000"),
    ):
        args = {"question": "消防安全", "date_from": "", "date_to": "", "minute_id": "", "mode": "", **kwargs}
        with pytest.raises(Exception, match=reason):
            client.predict(**args, api_name=f"/{API_NAME}")
    err = capfd.readouterr().err
    assert "Traceback" not in err


def test_the_json_route_gives_the_same_answer_behind_the_same_login(served):
    """POST /api/ask (ui.rest): one request, the same object as Gradio's /ask API; the auth
    gate covers it; a refused question is a 400 that says why."""
    import httpx
    from gradio_client import Client

    from minutes_rag.ui.app import API_NAME
    from minutes_rag.ui.rest import ROUTE

    question = "姑苏领军人才计划第一批拟立项情况由哪个部门汇报？"
    with httpx.Client(base_url=served) as anon:
        assert anon.post(ROUTE, json={"question": question}).status_code in (401, 403)
    with httpx.Client(base_url=served) as c:
        assert c.post("/login", data={"username": "clerk", "password": "minutes-2020"}).status_code < 400
        r = c.post(ROUTE, json={"question": question, "mode": "extractive"})
        assert r.status_code == 200
        out = r.json()
        refused = c.post(ROUTE, json={"question": "消防安全", "date_from": "2020-13-45"})
    client = Client(served, auth=("clerk", "minutes-2020"), verbose=False)
    theirs = client.predict(question=question, date_from="", date_to="", minute_id="", mode="extractive",
                            api_name=f"/{API_NAME}")
    assert out["found"] is True and out["answer"] == theirs["answer"] and out["citations"] == theirs["citations"]
    assert out["citations"][0]["label"] == "五（一）"
    assert refused.status_code == 400 and "YYYY-MM-DD" in refused.json()["error"]
