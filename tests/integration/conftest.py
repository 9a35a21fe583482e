"""Fixtures of the integration tests: the real corpus beside the repository (read where it
lies, never copied in). Unit tests cannot ask for it: they use minutes the tests write."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


CORPUS = REPO.parent / "shared" / "corpus"


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
