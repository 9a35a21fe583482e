"""kill -9 of a real ``minutes-rag ingest`` (real embedded Chroma) at the moments of a
batched write (``write_batch.py``): with minutes collected but nothing written, with a
batch's vectors in Chroma but none of its minutes committed, and half-way through the
batch's commits. Never a half minute in the state database; the next ingest repairs what
was left and the index equals a clean sequential run's, with exactly its vectors."""

from __future__ import annotations

from pathlib import Path

import kill_harness as harness
import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

BATCH = 40  # ~3 of the harness's minutes (13 sections each): 12 minutes make 4 batches


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, harness.Reference, Path]:
    work = tmp_path_factory.mktemp("batch-kill")
    ref, template = harness.reference(work, "changed", 12)
    return work, ref, template


@pytest.mark.parametrize(("point", "nth"), [("collected", 2), ("upserted", 2), ("committing", 3)])
def test_a_kill_during_a_batched_write_loses_nothing(changed, point: str, nth: int) -> None:
    work, ref, template = changed
    left, half, diverged = harness.kill_at(work, "changed", ref, template, point, nth, BATCH)
    assert half == []
    assert diverged == ""
    in_sqlite = left.section_ids
    if point == "collected":
        # the first batch is written and done; the second was only collected
        assert left.journal == [] and left.vectors == in_sqlite
    else:
        # a batch was caught half-way: journalled minutes, and vectors SQLite does not hold yet
        assert left.journal
        assert left.vectors - in_sqlite
    if point == "committing":
        # some minutes of the batch committed their new version, others still had the old one
        journalled = set(left.journal)
        new_done = [m for m in journalled if left.sections.get(m) == ref.after.sections.get(m)]
        assert new_done and len(new_done) < len(journalled)
