"""Shared test fixtures and the rules every test runs under:

- no network: connections and DNS lookups of anything but loopback fail. Unit tests get no
  connections at all unless marked ``@pytest.mark.network`` (a test that starts its own
  loopback server); integration tests may use loopback (Chroma, LLM and Gradio servers).
- no configuration from the developer's environment: every ``MINUTES_RAG_*`` and
  ``OPENAI_*`` variable is removed for each test (integration tests get back only the
  shared folder of converted models, a cache).
- no files outside the repository in unit tests: the real corpus beside the repository is
  offered to integration tests only (tests/integration/conftest.py).
"""

from __future__ import annotations

import ipaddress
import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
UNIT_TIMEOUT_S = 60  # pyproject's 600 s is for integration tests (model loads, servers, browser)

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# The default embedder converts the bundled model once (~480 MB): one copy for the whole test
# session instead of one per temporary data directory. Read once here, before the
# per-test environment is cleared.
MODELS_DIR = os.environ.get("MINUTES_RAG_MODELS_DIR") or os.path.join(
    tempfile.gettempdir(), "minutes-rag-test-models"
)

_CONFIG_PREFIXES = ("MINUTES_RAG_", "OPENAI_")


def _is_loopback(host: Any) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host in ("localhost", "localhost.localdomain", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


class _Guard:
    """What the current test may reach: "none" or "loopback"."""

    allow = "loopback"


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo
_real_gethostbyname = socket.gethostbyname
_real_gethostbyname_ex = socket.gethostbyname_ex


def _check_address(address: Any) -> None:
    if not isinstance(address, tuple):  # AF_UNIX paths
        return
    host = address[0]
    if not _is_loopback(host):
        raise OSError(f"tests may not reach the network ({host})")
    if _Guard.allow == "none":
        raise OSError(f"unit tests open no connections ({host}); mark the test @pytest.mark.network")


def _connect(self: socket.socket, address: Any) -> None:
    _check_address(address)
    return _real_connect(self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    _check_address(address)
    return _real_connect_ex(self, address)


def _getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not _is_loopback(host):
        raise socket.gaierror(socket.EAI_NONAME, f"tests may not look up {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


def _gethostbyname(host: str) -> str:
    if not _is_loopback(host):
        raise socket.gaierror(socket.EAI_NONAME, f"tests may not look up {host!r}")
    return _real_gethostbyname(host)


def _gethostbyname_ex(host: str) -> Any:
    if not _is_loopback(host):
        raise socket.gaierror(socket.EAI_NONAME, f"tests may not look up {host!r}")
    return _real_gethostbyname_ex(host)


# installed for the whole session (imports at collection time included), not per test
socket.socket.connect = _connect  # type: ignore[method-assign]
socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
socket.getaddrinfo = _getaddrinfo
socket.gethostbyname = _gethostbyname
socket.gethostbyname_ex = _gethostbyname_ex


def _is_unit(item: pytest.Item) -> bool:
    return (REPO / "tests" / "unit") in Path(str(item.fspath)).parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _is_unit(item) and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(UNIT_TIMEOUT_S))


@pytest.fixture(autouse=True)
def _network_guard(request: pytest.FixtureRequest) -> Iterator[None]:
    unit = _is_unit(request.node)
    _Guard.allow = "none" if unit and request.node.get_closest_marker("network") is None else "loopback"
    try:
        yield
    finally:
        _Guard.allow = "loopback"


@pytest.fixture(autouse=True)
def _clean_environment(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith(_CONFIG_PREFIXES):
            monkeypatch.delenv(key)
    if not _is_unit(request.node):
        monkeypatch.setenv("MINUTES_RAG_MODELS_DIR", MODELS_DIR)


@pytest.fixture(scope="session")
def models_dir() -> Path:
    """The session's folder of converted models (module-scoped fixtures run before the
    per-test environment names it)."""
    return Path(MODELS_DIR)


@pytest.fixture(scope="session")
def bundled_embedder() -> Any:
    """The default embedder (the bundled multilingual-e5-small, converted for
    sentence-transformers), loaded once per test session."""
    from minutes_rag.assistant import build_embedder

    return build_embedder("e5", cache_dir=Path(MODELS_DIR))

