"""LLM mode through the chat handlers: the reply streams into the page token by token, then
the checked answer replaces it with clickable markers and cards. The real Assistant, index
and LLM answerer; a scripted LangChain chat model stands in for the server."""

from __future__ import annotations

import re

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.ui import handlers as handlers_mod
from minutes_rag.ui.handlers import ChatState, Handlers

pytestmark = pytest.mark.integration

QUESTION = "姑苏领军人才计划第一批拟立项情况由哪个部门汇报？"
REPLY = "姑苏领军人才计划第一批拟立项情况 由市科技局 汇报 [1]。"


def _text(markup: str) -> str:
    return re.sub(r"<[^>]+>", "", markup)


def test_llm_reply_streams_then_becomes_a_cited_answer(tmp_path, suzhou_path, monkeypatch):
    monkeypatch.setattr(handlers_mod, "STREAM_EVERY_S", 0.0)  # a frame for every delta
    model = GenericFakeChatModel(messages=iter([AIMessage(content=REPLY)] * 3))
    assistant = Assistant(Settings.load(env={}, data_dir=str(tmp_path), mode="llm"), embedder=HashEmbedder(),
                          chat_model=model)
    assistant.ingest([suzhou_path])
    h = Handlers(assistant)
    assert h.llm_available() and h.default_mode() == "llm"
    state = ChatState()
    frames = [html for html, _ in h.chat(QUESTION, state, "", "", "", "llm", "zh")]
    streaming = [f for f in frames if 'data-state="pending"' in f and "answer-streaming" in f]
    assert len(streaming) >= 3  # the fake model sends the reply word by word
    lengths = [len(_text(f)) for f in streaming]
    assert lengths == sorted(lengths) and lengths[0] < lengths[-1]
    assert all("cite-card" not in f for f in streaming)
    final = frames[-1]
    assert 'data-state="done"' in final and "大模型生成" in final
    assert 'data-cite="0:1"' in final and "五（一）" in final and "〔2020〕21号" in final
    assert "市科技局" in state.views[0].citations[0]["quote"]
    assistant.close()
