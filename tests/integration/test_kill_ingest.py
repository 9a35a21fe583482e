"""kill -9 of a real ``minutes-rag ingest`` at random moments (fresh, changed, prune): never a
half minute in the state database, and after the next run the index equals a clean
sequential run, with exactly its vectors in Chroma (none lost, no strays).

A few runs here, bounded in time; ``bench/bench_kill.py`` does hundreds for the record."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import kill_harness as harness
import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

RUNS = int(os.environ.get("MINUTES_RAG_KILL_RUNS", "2"))


@pytest.mark.parametrize("scenario", ["fresh", "changed", "prune"])
def test_kill_nine_during_ingest_loses_nothing(tmp_path: Path, scenario: str) -> None:
    ref, template = harness.reference(tmp_path, scenario, 12)
    rng = random.Random({"fresh": 1, "changed": 2, "prune": 3}[scenario] + int(time.time()))
    deadline = time.monotonic() + 90
    results = []
    for _ in range(RUNS):
        results.append(harness.kill_once(tmp_path, scenario, ref, template, rng))
        if time.monotonic() > deadline:
            break
    assert any(r.killed for r in results), "every ingest finished before its kill"
    for r in results:
        assert r.half_minutes == [], f"half minutes after a kill at {r.delay:.2f} s: {r.half_minutes}"
        assert r.diverged == "", f"kill at {r.delay:.2f} s: {r.diverged}"
