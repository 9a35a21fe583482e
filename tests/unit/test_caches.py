"""The caches retrieval and a shared server use: query vectors, answers to questions asked
again, and the embedding cache as the vectors of a named scope (a fake embedder, a real
embedded Chroma and index)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_ingest_pipeline import MINUTE_A, MINUTE_B

from minutes_rag.assistant import Assistant
from minutes_rag.cache import LRU, QueryVectors
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.model import Filters, Turn

Q = "垃圾分类实施方案由哪个部门修改完善？"


class CountingEmbedder(HashEmbedder):
    def __init__(self) -> None:
        super().__init__(64)
        self.queries: list[str] = []

    def embed_query(self, text: str):  # type: ignore[no-untyped-def]
        self.queries.append(text)
        return super().embed_query(text)


def _ingested(tmp_path: Path, emb: HashEmbedder, **settings) -> tuple[Assistant, Path]:  # type: ignore[no-untyped-def]
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(MINUTE_A, encoding="utf-8")
    a = Assistant(Settings.load(env={}, data_dir=str(tmp_path / "data"), **settings), embedder=emb)
    a.ingest([folder])
    return a, folder


@pytest.fixture()
def setup(tmp_path: Path) -> tuple[Assistant, CountingEmbedder, Path]:
    emb = CountingEmbedder()
    a, folder = _ingested(tmp_path, emb)
    yield a, emb, folder
    a.close()


def test_lru_drops_the_least_recently_used():
    lru: LRU[int] = LRU(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # "b" is now the oldest
    lru.put("c", 3)
    assert lru.get("b") is None and lru.get("a") == 1 and lru.get("c") == 3
    off: LRU[int] = LRU(0)
    off.put("a", 1)
    assert off.get("a") is None


def test_a_question_asked_again_is_embedded_once(setup):
    a, emb, _ = setup
    first = a.retrieve(Q)
    second = a.retrieve(Q, filters=Filters(year=2021))  # other filters: the same question vector
    assert emb.queries.count(Q) == 1
    assert [h.section.section_id for h in first] == [h.section.section_id for h in second]


def test_an_answer_asked_again_comes_from_the_cache(setup):
    a, emb, _ = setup
    first = a.ask(Q)
    assert first.found and "cached" not in first.timings_ms
    calls = len(emb.queries)
    a.retriever.retrieve = None  # type: ignore[method-assign]  # the cache must not retrieve
    again = a.ask("  " + Q + "\n")  # spacing aside, the same question
    assert again.timings_ms.get("cached") == 1.0 and len(emb.queries) == calls
    assert again.text == first.text and again.citations == first.citations


def test_filters_mode_and_history_are_part_of_the_key(setup):
    a, _, _ = setup
    a.ask(Q)
    assert "cached" not in a.ask(Q, filters=Filters(year=2020)).timings_ms
    assert "cached" not in a.ask(Q, k=3).timings_ms
    follow = a.ask(Q, history=[Turn("谁主持了会议？", "张三。")])
    assert "cached" not in follow.timings_ms
    assert "cached" not in a.ask(Q, history=[Turn("谁主持了会议？", "张三。")]).timings_ms  # never kept


def test_an_ingest_empties_the_cache(setup, tmp_path):
    a, _, folder = setup
    a.ask(Q)
    assert a.ask(Q).timings_ms.get("cached") == 1.0
    (folder / "b.txt").write_text(MINUTE_B, encoding="utf-8")
    a.ingest([folder])
    assert "cached" not in a.ask(Q).timings_ms


def test_an_ingest_by_another_process_is_noticed(setup, tmp_path):
    a, _, folder = setup
    a.ask(Q)
    other = Assistant(Settings.load(env={}, data_dir=str(tmp_path / "data")), embedder=HashEmbedder(64))
    (folder / "b.txt").write_text(MINUTE_B, encoding="utf-8")
    other.ingest([folder])
    other.close()
    assert "cached" not in a.ask(Q).timings_ms


def test_an_answer_with_a_warning_is_not_kept(setup, monkeypatch):
    a, _, _ = setup
    monkeypatch.setattr(a, "notes", ["the index self-check found a problem"])
    assert a.ask(Q).warnings
    monkeypatch.setattr(a, "notes", [])
    assert "cached" not in a.ask(Q).timings_ms


def test_the_cache_can_be_turned_off(tmp_path):
    a, _ = _ingested(tmp_path, HashEmbedder(64), answer_cache=0)
    a.ask(Q)
    assert "cached" not in a.ask(Q).timings_ms
    a.close()


class SlowEmbedder(CountingEmbedder):
    def embed_query(self, text: str):  # type: ignore[no-untyped-def]
        import time

        time.sleep(0.2)  # the retrieval gets there first and must wait, not embed again
        return super().embed_query(text)


def test_a_prefetched_vector_is_waited_for_not_embedded_twice():
    emb = SlowEmbedder()
    vectors = QueryVectors(8)
    vectors.prefetch(Q, emb.embed_query)
    got = vectors.get(Q, emb.embed_query)
    assert emb.queries == [Q] and got.shape == (64,) and not got.flags.writeable
    vectors.prefetch(Q, emb.embed_query)  # kept: nothing to do
    assert vectors.get(Q, emb.embed_query) is got and emb.queries == [Q]


def test_a_failed_prefetch_fails_the_question_that_waits_for_it():
    def broken(text: str):  # type: ignore[no-untyped-def]
        import time

        time.sleep(0.1)
        raise RuntimeError("the engine is gone")

    vectors = QueryVectors(8)
    vectors.prefetch("q", broken)
    with pytest.raises(RuntimeError, match="engine is gone"):
        vectors.get("q", broken)


def test_ask_embeds_its_question_once(tmp_path):
    emb = SlowEmbedder()
    a, _ = _ingested(tmp_path, emb)
    assert a.ask(Q).found
    assert emb.queries == [Q]
    a.close()


def test_a_scope_is_searched_with_the_cached_vectors_as_chroma_would(setup, monkeypatch):
    """A named minute's vectors come from the embedding cache (a few primary-key reads), with
    the scores Chroma's own vectors give; sections the cache lacks are read from Chroma."""
    a, emb, folder = setup
    (folder / "b.txt").write_text(MINUTE_B, encoding="utf-8")
    a.ingest([folder])
    r = a.retriever
    allowed, _ = r.scope("第110次常务会议审议了什么？", Filters())
    ids = a.index.section_ids_in(allowed)
    assert len(allowed) == 1 and len(ids) > 3
    vector = emb.embed_query("垃圾分类")
    from_chroma = a.store.query_exact(vector, ids, 30)
    calls: list = []
    real = a.store.query_exact
    monkeypatch.setattr(a.store, "query_exact", lambda v, i, k: calls.append(list(i)) or real(v, i, k))
    ours = r._dense(vector, allowed)
    assert calls == []  # Chroma was not asked
    assert [s for s, _ in ours] == [s for s, _ in from_chroma]
    assert all(abs(x - y) < 1e-6 for (_, x), (_, y) in zip(ours, from_chroma))
    from minutes_rag.embed import embedding_text
    from minutes_rag.ids import text_hash

    sec = a.index.sections_by_id([ids[0]])[ids[0]]
    with a.index.transaction() as db:  # one section's vector gone from the cache
        db.execute("DELETE FROM embed_cache WHERE text_hash = ?", (text_hash(embedding_text(sec, a.index.meta(sec.minute_id))),))
    again = r._dense(vector, allowed)
    assert len(calls) == 1 and ids[0] in calls[0] and len(calls[0]) < len(ids)
    assert sorted(again) == sorted(ours)
