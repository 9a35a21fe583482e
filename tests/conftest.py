"""Shared test fixtures. Every test is kept off the network: only loopback connections
(the Chroma server, the LLM server, the Gradio app) are allowed."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# The default embedder converts the bundled model once (~480 MB): one copy for the whole test
# session instead of one per temporary data directory.
if "MINUTES_RAG_MODELS_DIR" not in os.environ:
    import tempfile

    os.environ["MINUTES_RAG_MODELS_DIR"] = os.path.join(tempfile.gettempdir(), "minutes-rag-test-models")

_real_connect = socket.socket.connect


def _loopback_only(self, address):  # type: ignore[no-untyped-def]
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            ip = None if host != "localhost" else ipaddress.ip_address("127.0.0.1")
        if ip is None or not ip.is_loopback:
            raise OSError(f"tests may not reach the network ({host})")
    return _real_connect(self, address)


socket.socket.connect = _loopback_only  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "zh" / "suzhou_changwu_2020-21.txt").exists():
        pytest.fail(f"the shared corpus is missing at {CORPUS} (it lies beside the repository)")
    return CORPUS


@pytest.fixture(scope="session")
def suzhou_path(corpus: Path) -> Path:
    return corpus / "zh" / "suzhou_changwu_2020-21.txt"


@pytest.fixture(scope="session")
def portland_path(corpus: Path) -> Path:
    return corpus / "en" / "portland_council_2011-01-12_official_minutes.txt"


@pytest.fixture(scope="session")
def bundled_embedder():
    """The default embedder (the bundled multilingual-e5-small, converted for
    sentence-transformers), loaded once per test session."""
    from minutes_rag.assistant import build_embedder

    return build_embedder("e5", cache_dir=Path(os.environ["MINUTES_RAG_MODELS_DIR"]))
