"""The textbook baseline over a real (embedded, temporary) Chroma with the hash embedder."""

from pathlib import Path

import pytest

from minutes_rag.embed import HashEmbedder
from minutes_rag.errors import ParseError
from minutes_rag.evaluation.baseline import BaselinePipeline, where_for
from minutes_rag.evaluation.questions import Question
from minutes_rag.evaluation.runner import run_questions
from minutes_rag.ids import bytes_hash, minute_id_for
from minutes_rag.model import Filters, Minute, MinuteMeta


def _loader(path: Path) -> Minute:
    if path.suffix != ".txt":
        raise ParseError(str(path), "unsupported")
    data = path.read_bytes()
    date = "2020-06-30" if "a" in path.stem else "2021-03-05"
    return Minute(minute_id_for(path), str(path), bytes_hash(data), data.decode("utf-8"),
                  MinuteMeta(date=date, doc_number="〔2020〕21号" if "a" in path.stem else "〔2021〕3号"))


@pytest.fixture()
def files(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("一、听取关于城市更新的汇报\n" + "会议听取了市资源规划局的汇报。" * 40 + "\n二、审议住房方案\n原则同意《租赁住房试点工作方案》。", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("一、审议教育事项\n会议研究了学校建设和教师招聘。" * 3, encoding="utf-8")
    bad = tmp_path / "c.pdf"
    bad.write_bytes(b"%PDF")
    return [a, b, bad]


def test_chunks_at_500_with_overlap_and_answers_with_top_chunk(tmp_path, files):
    emb = HashEmbedder(64)
    bl = BaselinePipeline(emb, persist_dir=tmp_path / "chroma", loader=_loader)
    n = bl.index(files)
    # a.txt is ~630 characters of one long line plus short lines -> more than one chunk
    assert n >= 3
    assert bl.failed and "c.pdf" in bl.failed[0]["path"]
    ans = bl.ask("租赁住房试点工作方案", k=3)
    assert ans.found and len(ans.citations) == 1 and len(ans.hits) == 3
    assert ans.text == ans.hits[0].section.text == ans.citations[0].quote
    assert all(len(h.section.text) <= 500 for h in ans.hits)
    assert [h.sources["dense"] for h in ans.hits] == [1, 2, 3]
    # offsets point into the minute text
    texts = {minute_id_for(f): f.read_text(encoding="utf-8") for f in files[:2]}
    for h in ans.hits:
        assert texts[h.section.minute_id][h.section.start : h.section.end] == h.section.text
    # filters go to Chroma's where
    only_b = bl.ask("会议", k=5, filters=Filters(minute_id="〔2021〕3号"))
    assert only_b.hits and {h.section.minute_id for h in only_b.hits} == {minute_id_for(files[1])}
    dated = bl.ask("会议", k=10, filters=Filters(date_from="2021-01-01"))
    assert {h.meta.date for h in dated.hits} == {"2021-03-05"}
    # an unchanged archive reuses the index without embedding again
    calls = emb.calls
    bl2 = BaselinePipeline(emb, persist_dir=tmp_path / "chroma", loader=_loader)
    assert bl2.index(files) == n and bl2.reused and emb.calls == calls


def test_baseline_runs_through_the_runner(tmp_path, files):
    bl = BaselinePipeline(HashEmbedder(64), loader=_loader)  # temporary directory
    try:
        bl.index(files[:2])
        qs = [
            Question("q1", "租赁住房试点工作方案", ("租赁住房试点工作方案",), ("租赁住房",), True),
            Question("q2", "义务教育收费政策", (), (), False),
        ]
        res = run_questions(bl, qs, k=5, name="baseline")
        o1, o2 = res.outcomes
        assert o1.ranks and o1.ranks[0] == 1 and o1.citations_relevant == [True] and o1.answer_ok
        # the textbook pipeline never refuses: the unanswerable question is answered wrongly
        assert o2.found and not o2.refusal_ok and o2.citations_relevant == [False]
        assert res.metrics["refusal_accuracy"] == 0.5
    finally:
        bl.close()
    assert not Path(bl.persist_dir).exists()


def test_where_for():
    assert where_for(Filters()) is None
    # a year is the range of its dates (Filters.conditions, shared with the state index)
    assert where_for(Filters(year=2020)) == {"$and": [{"date_int": {"$gte": 20200000}}, {"date_int": {"$lte": 20209999}}]}
    assert where_for(Filters(minute_id="〔2021〕3号")) == {"$or": [{"minute_id": "〔2021〕3号"}, {"doc_number": "〔2021〕3号"}]}
    w = where_for(Filters(date_from="2020-01-01", date_to="2020-12-31"))
    assert w == {"$and": [{"date_int": {"$gte": 20200101}}, {"date_int": {"$lte": 20201231}}]}
