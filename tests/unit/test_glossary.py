"""The bilingual glossary: its data file and the query expansion it drives."""

from __future__ import annotations

from importlib import resources

import pytest

from minutes_rag import glossary
from minutes_rag.glossary import Glossary, GlossaryError, build, parse

SMALL = build(parse(
    "# a comment\n"
    "dept\t市科技局|市科学技术局\tscience and technology bureau|science bureau\n"
    "policy\t人才\ttalent\n"
    "policy\t领军人才\tleading talent\n"
    "meeting\t审议\treview|deliberate\n"
    "policy\t交通\ttransport|traffic\n"
))


def test_english_question_gains_chinese_terms():
    out = glossary.expand_query("What did the Science and Technology Bureau report?", SMALL)
    assert out.startswith("What did the Science and Technology Bureau report?")
    assert "市科技局" in out and "市科学技术局" in out


def test_chinese_question_gains_english_terms():
    out = glossary.expand_query("市科技局汇报了什么？", SMALL)
    assert "science and technology bureau" in out and "science bureau" in out


def test_english_phrases_match_stemmed_words():
    assert [e.zh[0] for e in glossary.match_english("The talents were reviewed", SMALL)] == ["人才", "审议"]


def test_english_matches_whole_words_only():
    # "transportation" is not "transport", "retalent" is not "talent"
    assert glossary.match_english("transportation of retalented goods", SMALL) == []
    assert glossary.match_english("Traffic!", SMALL)[0].zh == ("交通",)


def test_a_match_inside_a_longer_one_is_dropped():
    assert [e.zh[0] for e in glossary.match_english("leading talent projects", SMALL)] == ["领军人才"]
    assert [e.en[0] for e in glossary.match_chinese("姑苏领军人才计划", SMALL)] == ["leading talent"]


def test_unrelated_text_is_not_expanded():
    q = "What is the weather like on Mars?"
    assert glossary.expand_query(q, SMALL) == q
    assert glossary.expand_query(q) == q  # the bundled glossary too
    assert glossary.expand_query("今天天气怎么样？", SMALL) == "今天天气怎么样？"


def test_cross_terms_leave_out_meeting_vocabulary_and_give_one_term_per_concept():
    assert glossary.cross_terms("Which science bureau reviewed the talent plan?", glossary=SMALL) == ["市科技局", "人才"]
    assert glossary.cross_terms("审议了市科学技术局的方案", glossary=SMALL) == ["science and technology bureau"]


def test_variants_and_occurs():
    assert glossary.variants("市科技局", SMALL) == ("市科技局", "市科学技术局")
    assert glossary.variants("unknown", SMALL) == ("unknown",)
    assert glossary.occurs("science bureau", "The Science Bureau's plan")
    assert not glossary.occurs("science bureau", "science and the bureau")
    assert glossary.occurs("市科技局", "由市科技局负责")


@pytest.mark.parametrize("line", [
    "dept\t市科技局\n",  # two columns
    "office\t市科技局\tscience bureau\n",  # unknown kind
    "dept\t市科技局|\tscience bureau\n",  # empty variant
    "dept\t市科技局\tScience Bureau\n",  # not lower case
    "dept\tscience\tscience bureau\n",  # English in the Chinese column
])
def test_malformed_lines_are_rejected(line):
    with pytest.raises(GlossaryError):
        parse(line)


def test_bundled_data_file_loads_without_duplicates():
    text = resources.files("minutes_rag").joinpath("data/glossary_en_zh.tsv").read_text(encoding="utf-8")
    entries = parse(text)  # raises on a malformed line
    assert len(entries) >= 300
    zh = [t for e in entries for t in e.zh]
    assert len(zh) == len(set(zh)), "a Chinese term on two lines"
    for e in entries:
        assert len(e.en) == len(set(e.en)), f"a repeated English variant: {e}"
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(lines) == len(set(lines))
    assert isinstance(glossary.load(), Glossary)


def test_bundled_glossary_knows_core_vocabulary():
    q = "Which department reported on the first batch of Gusu leading talent projects for 2020?"
    out = glossary.expand_query(q)
    assert "姑苏领军人才" in out and "部门" in out
    assert "市住建局" in glossary.expand_query("What did the Housing and Urban-Rural Development Bureau say?")
    assert "work safety" in glossary.expand_query("会议部署了安全生产工作")
    assert "市应急局" in glossary.cross_terms("the emergency management bureau")
