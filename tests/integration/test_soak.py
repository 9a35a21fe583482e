"""Soak: the chat asks without pause while ``minutes-rag ingest`` runs in another process
(fresh, changed, prune), for a bounded time. No ask fails, the reader then answers from the
minutes the other process added, and the final index equals a clean sequential run."""

from __future__ import annotations

import time
from pathlib import Path

import kill_harness as harness
import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_asks_and_ingests_together(tmp_path: Path) -> None:
    deadline = time.monotonic() + 60
    done = 0
    for scenario in ("fresh", "changed", "prune"):
        ref, template = harness.reference(tmp_path / scenario, scenario, 12)
        run = harness.ask_during_ingest(tmp_path / scenario, scenario, ref, template)
        assert run.asks > 0
        assert run.errors == [], run.errors[:3]
        assert run.sees_new, f"{scenario}: the reader did not see the other process's new minutes"
        assert run.diverged == "", f"{scenario}: {run.diverged}"
        done += 1
        if time.monotonic() > deadline:
            break
    assert done >= 1
