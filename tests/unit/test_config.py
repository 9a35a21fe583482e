"""Settings: the precedence defaults < TOML < environment < flags, validation, the secret, and
the README table generated from the field descriptions."""

import subprocess
import sys
from pathlib import Path

import pytest

from minutes_rag.config import Settings
from minutes_rag.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def _toml(tmp_path: Path, text: str) -> str:
    p = tmp_path / "minutes-rag.toml"
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_each_layer_overrides_the_one_below(tmp_path: Path) -> None:
    cfg = _toml(tmp_path, 'k = 7\nport = 9000\nllm_model = "from-toml"\nmode = "llm"\n')
    env = {"MINUTES_RAG_CONFIG": cfg, "MINUTES_RAG_PORT": "9100", "MINUTES_RAG_LLM_MODEL": "from-env"}
    s = Settings.load(env=env, llm_model="from-flag", mode=None)
    assert s.k == 7  # TOML over the default (5)
    assert s.port == 9100  # environment over TOML
    assert s.llm_model == "from-flag"  # a flag over the environment
    assert s.mode == "llm"  # a None flag is no flag
    assert s.rrf_k == 60 and Settings.load(env={}).k == 5  # defaults


def test_openai_names_fill_in_below_minutes_rag_names(tmp_path: Path) -> None:
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:1/v1", "OPENAI_API_KEY": "sk-openai"}
    s = Settings.load(env=env)
    assert s.llm_base_url == "http://127.0.0.1:1/v1" and s.llm_configured
    assert s.llm_api_key.get_secret_value() == "sk-openai"
    cfg = _toml(tmp_path, 'llm_base_url = "http://127.0.0.1:2/v1"\n')
    assert Settings.load(env={**env, "MINUTES_RAG_CONFIG": cfg}).llm_base_url == "http://127.0.0.1:2/v1"
    ours = Settings.load(env={**env, "MINUTES_RAG_LLM_API_KEY": "sk-ours"})
    assert ours.llm_api_key.get_secret_value() == "sk-ours"


def test_the_api_key_is_not_shown() -> None:
    s = Settings.load(env={"MINUTES_RAG_LLM_API_KEY": "sk-very-secret"})
    assert "sk-very-secret" not in repr(s) and "sk-very-secret" not in str(s.llm_api_key)


def test_values_are_converted_and_checked() -> None:
    s = Settings.load(env={"MINUTES_RAG_K": "12", "MINUTES_RAG_MAX_FILE_MB": "1.5"})
    assert s.k == 12 and s.max_file_mb == 1.5
    with pytest.raises(ConfigError, match="port"):
        Settings.load(env={"MINUTES_RAG_PORT": "many"})
    with pytest.raises(ConfigError, match="unknown settings: colour"):
        Settings.load(env={}).with_overrides(colour="red")
    assert Settings.load(env={}).with_overrides(port="7001").port == 7001


def test_a_bad_config_file_names_the_file_and_the_problem(tmp_path: Path) -> None:
    broken = _toml(tmp_path, "k = = 3\n")
    with pytest.raises(ConfigError, match="minutes-rag.toml"):
        Settings.load(env={"MINUTES_RAG_CONFIG": broken})
    unknown = _toml(tmp_path, "colour = 'red'\n")
    with pytest.raises(ConfigError, match="unknown settings: colour"):
        Settings.load(env={"MINUTES_RAG_CONFIG": unknown})
    with pytest.raises(ConfigError, match="no-such.toml"):
        Settings.load(env={"MINUTES_RAG_CONFIG": str(tmp_path / "no-such.toml")})


def test_settings_are_frozen_and_overrides_make_copies() -> None:
    s = Settings.load(env={})
    t = s.with_overrides(k=3)
    assert (s.k, t.k) == (5, 3)
    with pytest.raises(Exception):  # noqa: B017 - pydantic's ValidationError for a frozen instance
        s.k = 4  # type: ignore[misc]


def test_the_readme_table_is_current() -> None:
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "config_table.py"), "--check"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_the_table_lists_every_setting_with_its_flag() -> None:
    from minutes_rag.cli import build_parser, setting_flags
    from minutes_rag.config import markdown_table

    table = markdown_table(setting_flags(build_parser()))
    for name in Settings.model_fields:
        assert f"`MINUTES_RAG_{name.upper()}`" in table
    assert "| `MINUTES_RAG_DATA_DIR` | `--data-dir` |" in table
    assert "| `MINUTES_RAG_UI_LANG` | `--lang` |" in table
