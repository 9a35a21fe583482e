"""The BM25 query: which of a question's terms are asked for (rare ones, within a budget)."""

from __future__ import annotations

import pytest

from minutes_rag import index as index_mod
from minutes_rag.index import StateIndex
from minutes_rag.lexical import tokenize


def _fill(ix: StateIndex, docs: list[str]) -> None:
    with ix.transaction() as db:
        for i, text in enumerate(docs):
            cur = db.execute(
                "INSERT INTO sections (section_id, minute_id, label_path, kind, title, text, start, \"end\", part, parts, ord)"
                " VALUES (?, 'm1', '[]', 'item', '', ?, 0, 1, 0, 1, ?)",
                (f"m1-{i}", text, i),
            )
            db.execute("INSERT INTO sections_fts (rowid, tokens) VALUES (?, ?)", (cur.lastrowid, " ".join(tokenize(text))))


@pytest.fixture
def ix(tmp_path):
    ix = StateIndex(tmp_path)
    yield ix
    ix.close()


def test_question_phrasing_bigrams_are_not_asked_for():
    toks = tokenize("会议提出了什么要求？", for_query=True)
    assert "_么要" not in toks and "_了什" not in toks and "要求" in toks
    # a bigram across two words keeps their order: it stays a candidate
    assert "_市安" in tokenize("城市安全发展", for_query=True)


def test_a_word_no_section_holds_falls_back_to_its_bigrams(ix):
    _fill(ix, ["推进防汛排涝工作", "防汛物资储备"])
    terms = ix.query_terms(["防汛排涝"])  # jieba's word for the query; the index split it otherwise
    assert set(terms) >= {"防汛", "排涝"}
    assert ix.query_terms(["无此词语"]) == []


def test_rare_terms_first_and_common_ones_left_out_past_the_budget(ix, monkeypatch):
    docs = [f"工作要求第{i}项" for i in range(30)] + ["防汛排涝工作要求"]
    _fill(ix, docs)
    monkeypatch.setattr(index_mod, "POSTING_BUDGET", 10)
    # a word that is also a bigram is asked for twice (its weight); distinct terms in order:
    terms = list(dict.fromkeys(ix.query_terms(tokenize("防汛排涝工作要求", for_query=True))))
    assert terms[:2] == ["防汛", "排涝"] or terms[:2] == ["排涝", "防汛"]
    assert "工作" not in terms and "要求" not in terms  # in all 31 sections: over the budget
    monkeypatch.setattr(index_mod, "POSTING_BUDGET", 10_000)
    assert "工作" in ix.query_terms(tokenize("防汛排涝工作要求", for_query=True))


def test_at_least_two_terms_even_when_all_are_common(ix, monkeypatch):
    _fill(ix, [f"工作要求第{i}项" for i in range(30)])
    monkeypatch.setattr(index_mod, "POSTING_BUDGET", 1)
    assert set(ix.query_terms(["工作", "要求"])) == {"工作", "要求"}


def test_the_number_of_terms_is_capped(ix, monkeypatch):
    words = [f"词{chr(0x4e00 + i)}{chr(0x4e80 + i)}" for i in range(40)]
    _fill(ix, [" ".join(words)])
    monkeypatch.setattr(index_mod, "MAX_QUERY_TERMS", 5)
    assert len(set(ix.query_terms(tokenize(" ".join(words), for_query=True)))) == 5


def test_lexical_search_ranks_the_section_with_the_rare_words(ix):
    _fill(ix, [f"工作要求第{i}项" for i in range(30)] + ["防汛排涝工作要求", "防汛物资"])
    hits = ix.lexical_search(tokenize("防汛排涝有什么工作要求？", for_query=True), 3)
    assert hits[0][0] == "m1-30"
    scoped = ix.lexical_search(tokenize("防汛排涝有什么工作要求？", for_query=True), 3, ["m2"])
    assert scoped == []


def test_a_scope_is_ranked_in_python_exactly_as_fts5_ranks_it(ix, monkeypatch):
    docs = [f"工作要求第{i}项，做好防汛" for i in range(20)] + ["防汛排涝工作要求", "城市防汛排涝工作", "council's report 2.5",
                                                                  "排涝，排涝，排涝"]  # a term next to itself
    _fill(ix, docs)
    with ix.transaction() as db:  # a second minute, outside the scope
        db.execute("UPDATE sections SET minute_id='m2' WHERE section_id IN ('m1-0', 'm1-1')")
    for question in ("防汛排涝有什么工作要求？", "the council's 2.5 report"):
        toks = tokenize(question, for_query=True)
        ours = ix.lexical_search(toks, 10, ["m1"])
        monkeypatch.setattr(index_mod, "SCOPED_BM25_LIMIT", -1)  # FTS5's own bm25, filtered
        theirs = ix.lexical_search(toks, 10, ["m1"])
        monkeypatch.setattr(index_mod, "SCOPED_BM25_LIMIT", 3000)
        assert ours and len(ours) == len(theirs)
        assert all(abs(a - b) < 1e-6 for (_, a), (_, b) in zip(ours, theirs))  # ties may come in another order
        assert ours[0][0] == theirs[0][0]
        assert not {"m1-0", "m1-1"} & {s for s, _ in ours}
