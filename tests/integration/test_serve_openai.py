"""The archive as an OpenAI-compatible chat server, driven by the official ``openai`` client
and LangChain's ``ChatOpenAI`` against a running ``serve`` (real model, real Chroma, the Suzhou
minute ingested), with API keys set."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from serve_server import serving  # noqa: E402

pytestmark = pytest.mark.integration

KEY = "sk-minutes-test-3f9a"
QUESTION = "姑苏领军人才计划第一批拟立项情况由哪个部门汇报？"


@pytest.fixture(scope="module")
def server(tmp_path_factory, suzhou_path, bundled_embedder):
    with serving(tmp_path_factory.mktemp("serve-openai"), suzhou_path, bundled_embedder,
                 api_keys=f"other-key, {KEY}") as (base, _):
        yield base


@pytest.fixture()
def client(server):
    from openai import OpenAI

    return OpenAI(base_url=f"{server}/v1", api_key=KEY, max_retries=0, timeout=120)


def test_lists_the_models(client) -> None:
    ids = [m.id for m in client.models.list()]
    assert ids == ["minutes-rag"]  # no LLM configured: the extractive model only


def test_plain_completion_is_cited(client) -> None:
    resp = client.chat.completions.create(model="minutes-rag", messages=[{"role": "user", "content": QUESTION}])
    content = resp.choices[0].message.content
    assert resp.choices[0].finish_reason == "stop" and resp.object == "chat.completion"
    assert "市科技局" in content and "[1]" in content
    # the sources block any chat client shows: document number · meeting · date · item and quote
    sources = content.split("**来源**", 1)[1]
    assert "- [1] 〔2020〕21号 · 第102次会议 · 2020-06-30 · 五（一）" in sources
    ext = resp.model_extra["minutes_rag"]
    assert ext["found"] is True and ext["mode"] == "extractive"
    first = ext["citations"][0]
    assert first["doc_number"] == "〔2020〕21号" and first["label"] == "五（一）" and first["n"] == 1
    assert "市科技局" in first["quote"] and first["end"] > first["start"]


def test_streamed_completion_ends_with_the_citations(client) -> None:
    stream = client.chat.completions.create(model="minutes-rag", stream=True,
                                            messages=[{"role": "user", "content": QUESTION}])
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert len(chunks) > 3  # the content comes in pieces
    assert "市科技局" in text and "〔2020〕21号" in text
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert last.model_extra["minutes_rag"]["citations"][0]["label"] == "五（一）"
    plain = client.chat.completions.create(model="minutes-rag", messages=[{"role": "user", "content": QUESTION}])
    assert text == plain.choices[0].message.content


def test_a_follow_up_uses_the_conversation(client) -> None:
    first = client.chat.completions.create(
        model="minutes-rag", messages=[{"role": "user", "content": "《苏州市政策性租赁住房试点工作方案》由哪个部门修改完善？"}])
    reply = first.choices[0].message.content
    follow = client.chat.completions.create(model="minutes-rag", messages=[
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": "《苏州市政策性租赁住房试点工作方案》由哪个部门修改完善？"},
        {"role": "assistant", "content": reply},
        {"role": "user", "content": "那它是哪次会议审议的？"},
    ])
    ext = follow.model_extra["minutes_rag"]
    assert ext["rewrite"] != "none"  # made standalone from the conversation, as in the chat
    assert ext["found"] is True and ext["citations"][0]["doc_number"] == "〔2020〕21号"


def test_errors_are_openai_error_objects(client, server) -> None:
    import openai

    with pytest.raises(openai.NotFoundError) as e:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": QUESTION}])
    assert e.value.code == "model_not_found"
    with pytest.raises(openai.BadRequestError) as e2:
        client.chat.completions.create(model="minutes-rag", messages=[{"role": "assistant", "content": "hi"}])
    assert e2.value.status_code == 400 and e2.value.body["param"] == "messages"
    with pytest.raises(openai.BadRequestError) as e3:
        client.chat.completions.create(model="minutes-rag", messages=[{"role": "user", "content": QUESTION}],
                                       extra_body={"minutes_rag": {"date_from": "2020-13-45"}})
    assert "not a date" in e3.value.message


def test_a_request_without_a_valid_key_gets_401(server) -> None:
    import openai

    for key in ("wrong-key", KEY + "x"):
        bad = openai.OpenAI(base_url=f"{server}/v1", api_key=key, max_retries=0)
        with pytest.raises(openai.AuthenticationError) as e:
            bad.models.list()
        assert e.value.status_code == 401 and e.value.code == "invalid_api_key"
    req = urllib.request.Request(f"{server}/v1/chat/completions", data=json.dumps(
        {"model": "minutes-rag", "messages": [{"role": "user", "content": QUESTION}]}).encode(),
        headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as e4:
        urllib.request.urlopen(req, timeout=30)
    assert e4.value.code == 401
    assert json.loads(e4.value.read())["error"]["code"] == "missing_api_key"


def test_filters_ride_in_the_extension_field(client) -> None:
    resp = client.chat.completions.create(model="minutes-rag", messages=[{"role": "user", "content": QUESTION}],
                                          extra_body={"minutes_rag": {"date_from": "2021-01-01"}})
    ext = resp.model_extra["minutes_rag"]
    assert ext["found"] is False and ext["citations"] == []


def test_langchain_chat_openai_gets_the_cited_answer(server) -> None:
    from langchain_openai import ChatOpenAI

    llm = ChatOpenAI(base_url=f"{server}/v1", api_key=KEY, model="minutes-rag", max_retries=0, timeout=120)
    msg = llm.invoke(QUESTION)
    assert "市科技局" in msg.content and "〔2020〕21号" in msg.content
    streamed = "".join(str(c.content) for c in llm.stream(QUESTION))
    assert streamed == msg.content
