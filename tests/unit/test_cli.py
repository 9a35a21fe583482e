"""The minutes-rag command: every subcommand is always there, the config command, and the
Assistant reached only through build_assistant and its public API."""

import json
import sys

import pytest

from minutes_rag import cli
from minutes_rag.assistant import Assistant, build_assistant
from minutes_rag.config import Settings, markdown_table
from minutes_rag.embed import HashEmbedder
from minutes_rag.errors import NotFound


def _commands() -> set[str]:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices)


def test_eval_and_synth_are_listed_even_without_the_eval_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes an import fail, as an uninstalled package would
    for name in ("matplotlib", "langchain_chroma", "langchain_text_splitters"):
        monkeypatch.setitem(sys.modules, name, None)
    assert {"ingest", "ask", "minutes", "serve", "models", "config", "eval", "synth"} <= _commands()


def test_a_broken_evaluation_module_is_loud_not_a_missing_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "minutes_rag.evaluation.cli", None)
    with pytest.raises(ImportError):
        cli.build_parser()


def test_config_prints_the_settings_with_the_key_masked(monkeypatch, capsys) -> None:
    monkeypatch.setenv("MINUTES_RAG_LLM_API_KEY", "sk-do-not-print")
    monkeypatch.setenv("MINUTES_RAG_K", "8")
    assert cli.main(["config"]) == 0
    out = capsys.readouterr().out
    assert "sk-do-not-print" not in out
    data = json.loads(out)
    assert data["k"] == 8 and data["llm_api_key"] == "**********"
    assert cli.main(["config", "--markdown"]) == 0
    assert capsys.readouterr().out == markdown_table(cli.setting_flags(cli.build_parser()))


def test_build_assistant_wires_the_given_parts(tmp_path) -> None:
    emb = HashEmbedder(16)
    a = build_assistant(Settings.load(env={}, data_dir=str(tmp_path)), embedder=emb)
    assert isinstance(a, Assistant) and a.embedder is emb
    assert a.llm_available is False
    assert a.answerer().mode == "extractive"
    with pytest.raises(NotFound):
        a.resolve_minute("〔2099〕1号")
    a.close()


def test_an_injected_chat_model_makes_the_llm_available(tmp_path) -> None:
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    model = GenericFakeChatModel(messages=iter(["x"]))
    a = build_assistant(Settings.load(env={}, data_dir=str(tmp_path)), embedder=HashEmbedder(16), chat_model=model)
    assert a.llm_available is True
    assert a.answerer("llm").mode == "llm"
    a.close()


def test_ask_resolves_the_minute_through_the_assistant(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("MINUTES_RAG_EMBEDDER", "hash-16")
    code = cli.main(["ask", "问题", "--data-dir", str(tmp_path), "--minute", "〔2099〕1号"])
    assert code == 1
    assert "〔2099〕1号" in capsys.readouterr().err
