"""The OpenAI wire format (serve.openai_format): a request's messages as question and
conversation, the reply's content with its sources block, stream chunks, error mapping."""

from __future__ import annotations

import json

import pytest

from minutes_rag.errors import InvalidRequest, NotFound, StoreError
from minutes_rag.serve import openai_format as fmt
from minutes_rag.serve.pool import PoolFull

CITE = {"n": 1, "minute_id": "m-21", "doc_number": "〔2020〕21号", "meeting_number": 102, "date": "2020-06-30",
        "label": "五（一）", "title": "关于姑苏领军人才计划的汇报", "quote": "会议听取了市科技局关于第一批拟立项情况的汇报。" * 5,
        "start": 100, "end": 160}
ANSWER = {"question": "谁汇报的？", "answer": "由市科技局汇报。[1]", "mode": "extractive", "rewrite": "none",
          "citations": [CITE], "warnings": []}


def _body(**kw):
    return {"model": "minutes-rag", "messages": [{"role": "user", "content": "谁汇报的？"}], **kw}


def test_the_last_user_message_is_the_question_and_earlier_pairs_the_conversation() -> None:
    req = fmt.parse_request(_body(messages=[
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "Q1"}, {"role": "assistant", "content": "A1"},
        {"role": "user", "content": [{"type": "text", "text": "Q2"}]}, {"role": "assistant", "content": "A2"},
        {"role": "user", "content": "  Q3  "},
    ]), llm_available=False)
    assert req.question == "Q3" and req.prior == (("Q1", "A1"), ("Q2", "A2"))
    assert req.mode == "extractive" and req.stream is False


@pytest.mark.parametrize("body,status,param", [
    ({"messages": [{"role": "user", "content": "q"}]}, 400, "model"),
    (_body(model="gpt-4o"), 404, "model"),
    (_body(model="minutes-rag-llm"), 404, "model"),  # no LLM configured: not offered
    (_body(messages=[]), 400, "messages"),
    (_body(messages=[{"role": "assistant", "content": "hi"}]), 400, "messages"),
    (_body(messages=[{"role": "user", "content": "   "}]), 400, "messages"),
    (_body(messages=[{"role": "user", "content": 5}]), 400, "messages"),
    (_body(n=2), 400, "n"),
    (_body(stream="yes"), 400, "stream"),
    (_body(minutes_rag={"date_from": 2020}), 400, "minutes_rag.date_from"),
    (_body(minutes_rag="2020"), 400, "minutes_rag"),
])
def test_bad_requests_are_refused_with_the_parameter_named(body, status, param) -> None:
    with pytest.raises(fmt.ApiError) as e:
        fmt.parse_request(body, llm_available=False)
    assert e.value.status == status and e.value.param == param
    err = e.value.body()["error"]
    assert set(err) == {"message", "type", "param", "code"} and err["message"]


def test_the_llm_model_is_offered_only_with_an_llm() -> None:
    assert fmt.model_ids(False) == ["minutes-rag"]
    assert fmt.parse_request(_body(model="minutes-rag-llm"), llm_available=True).mode == "llm"
    listed = fmt.models_list(True, 123)
    assert [m["id"] for m in listed["data"]] == ["minutes-rag", "minutes-rag-llm"] and listed["object"] == "list"


def test_library_errors_map_to_statuses() -> None:
    assert fmt.error_for(InvalidRequest("from", "from: '2020-13-45' is not a date")).status == 400
    assert fmt.error_for(InvalidRequest("from", "x")).param == "from"
    assert fmt.error_for(NotFound("no minute 'x'")).status == 400
    full = fmt.error_for(PoolFull("16 running"))
    assert full.status == 429 and full.code == "rate_limit_exceeded"
    assert fmt.error_for(StoreError("cannot read the index")).status == 503
    crash = fmt.error_for(RuntimeError("secret detail"))
    assert crash.status == 500 and "secret detail" not in crash.message


def test_the_content_is_the_answer_then_a_short_sources_block() -> None:
    content = fmt.reply_content(ANSWER, "谁汇报的？")
    text, sources = content.split("\n\n**来源**\n")
    assert text == "由市科技局汇报。[1]"
    line = sources.splitlines()[0]
    assert line.startswith("- [1] 〔2020〕21号 · 第102次会议 · 2020-06-30 · 五（一） 关于姑苏领军人才计划的汇报 — “")
    quote = line.split("— “", 1)[1].rstrip("”")
    assert quote.endswith("…") and len(quote) == fmt.QUOTE_CHARS
    en = fmt.reply_content(dict(ANSWER, citations=[dict(CITE, meeting_number=None, doc_number="")]), "Who reported?")
    assert "\n\n**Sources**\n- [1] m-21 · 2020-06-30 · 五（一）" in en
    assert fmt.reply_content(dict(ANSWER, citations=[], answer="未找到。"), "谁？") == "未找到。"


def test_our_sources_block_reads_back_for_a_follow_up() -> None:
    text, cites = fmt.parse_sources(fmt.reply_content(ANSWER, "谁汇报的？"))
    assert text == "由市科技局汇报。[1]"
    assert cites[0]["doc_number"] == "〔2020〕21号" and cites[0]["meeting_number"] == 102
    assert cites[0]["date"] == "2020-06-30" and cites[0]["title"] == "五（一） 关于姑苏领军人才计划的汇报"
    assert fmt.parse_sources("plain text from elsewhere") == ("plain text from elsewhere", [])


def test_reply_memory_finds_an_answer_by_its_text_and_forgets_the_oldest() -> None:
    memory = fmt.ReplyMemory(size=2)
    memory.put("a  reply\n", "A")
    memory.put("b", "B")
    assert memory.get("a reply") == "A"  # whitespace as a client may rewrap it
    memory.put("c", "C")
    assert memory.get("a reply") is None and memory.get("c") == "C"


def test_stream_events_are_openai_chunks_ending_with_the_extension_and_done() -> None:
    content = fmt.reply_content(ANSWER, "谁汇报的？")
    ext = fmt.extension(ANSWER, True)
    events = fmt.stream_events("chatcmpl-1", 7, "minutes-rag", content, ext)
    assert events[-1] == "data: [DONE]\n\n"
    chunks = [json.loads(e[len("data: "):]) for e in events[:-1]]
    assert all(e.startswith("data: ") and e.endswith("\n\n") for e in events)
    assert all(c["object"] == "chat.completion.chunk" and c["id"] == "chatcmpl-1" for c in chunks)
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in chunks) == content
    assert all(c["choices"][0]["finish_reason"] is None and "minutes_rag" not in c for c in chunks[:-1])
    last = chunks[-1]
    assert last["choices"][0] == {"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}
    assert last["minutes_rag"]["citations"] == [CITE] and last["minutes_rag"]["found"] is True


def test_pieces_never_split_a_marker() -> None:
    text = "由市科技局汇报[1]，市财政局配合[12]。" * 8
    parts = list(fmt.pieces(text, size=10))
    assert "".join(parts) == text and len(parts) > 5
    for p in parts:
        assert p.count("[") == p.count("]")


def test_a_completion_carries_the_extension() -> None:
    out = fmt.completion("c", 1, "minutes-rag", "x", {"citations": []})
    assert out["object"] == "chat.completion" and out["choices"][0]["message"]["content"] == "x"
    assert out["choices"][0]["finish_reason"] == "stop" and out["minutes_rag"] == {"citations": []}
