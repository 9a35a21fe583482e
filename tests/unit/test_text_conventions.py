"""The writing conventions of minutes (text/) read the same way on every path: a minute's
metadata, the splitter, the lexical index, the glossary, the answerer and a question's
references."""

from __future__ import annotations

import pytest

from minutes_rag import glossary
from minutes_rag.answer import lang as answer_lang
from minutes_rag.lexical import tokenize
from minutes_rag.model import Minute
from minutes_rag.parse.metadata import extract_metadata
from minutes_rag.parse.normalize import normalize_text
from minutes_rag.query import analyse
from minutes_rag.query.references import find_references
from minutes_rag.split import split_minute
from minutes_rag.text import words
from minutes_rag.text.lang import detect_lang, has_cjk, is_cjk
from minutes_rag.text.patterns import cn_to_int, find_dates, find_doc_numbers, meeting_numbers
from minutes_rag.text.sentences import first_sentence, is_abbreviation

# ---------------------------------------------------------------- language

_HAN = "会议研究了城市更新工作要求各部门加强协调确保按期完成任务"  # 29 Han characters
_LATIN = "The council reviewed the transit plan and asked staff for a report"


def _mixed() -> str:
    han = (_HAN * 4)[:100]
    latin_words: list[str] = []
    while sum(len(w) for w in latin_words) < 380:
        latin_words.extend(_LATIN.split())
    text = " ".join(latin_words)
    # trim letters off the last word so that exactly 380 remain
    extra = sum(c.isascii() and c.isalpha() for c in text) - 380
    text = text[: len(text) - extra] if extra else text
    return f"{han[:50]}。\n\n{text[:200]}\n\n{han[50:]}。\n\n{text[200:]}\n"


def test_the_mixed_text_has_100_han_and_380_latin_letters() -> None:
    text = _mixed()
    assert sum(is_cjk(c) for c in text) == 100
    assert sum(c.isascii() and c.isalpha() for c in text) == 380


def test_mixed_script_text_is_one_language_everywhere() -> None:
    text = normalize_text(_mixed())
    lang = detect_lang(text)
    assert lang == "zh"  # 100 Han characters weigh as 500 Latin letters
    meta = extract_metadata(text)
    assert meta.lang == lang
    sections = split_minute(Minute("m", "/x", "h", text, meta))
    # no numbered items: one section per paragraph (or per readout matter, 会议研究了…),
    # labelled the Chinese way
    assert sections and all(s.label.startswith("第") and s.label.endswith(("段", "项")) for s in sections)
    assert detect_lang(text, question=True) == lang  # no quotes to set aside: the same rule
    assert analyse(text).lang == lang  # the question path: one Query per question
    # the glossary expands a Chinese question with English terms, not the other way round
    assert glossary.cross_terms(text) == glossary.cross_terms(text, lang="zh")
    # the answerer takes the Chinese road: jieba words, not only the English words
    assert any(has_cjk(k) for k in answer_lang.keywords(text))


def test_english_text_with_a_few_han_characters_stays_english() -> None:
    text = "Minutes of the council. The council met. 李 was there.\n"
    assert detect_lang(text) == "en" == extract_metadata(text).lang
    assert detect_lang("The Council adopted item 38 (会议).") == "en"


@pytest.mark.parametrize(
    "question,lang",
    [
        ("Who took the minutes of meeting 〔2020〕21号?", "en"),
        ("What did 《某市老旧小区改造实施方案》 require?", "en"),
        ("Who chaired the Yunjiang (云江市稳就业促创业) meeting?", "en"),
        ("Portland Plan有什么决定？", "zh"),
        ("〔2021〕7号", "zh"),
        ("（一）会议审议了什么？", "zh"),
    ],
)
def test_questions_set_quoted_chinese_aside(question: str, lang: str) -> None:
    assert detect_lang(question, question=True) == lang
    assert analyse(question).lang == lang


# ---------------------------------------------------------------- meeting numbers, dates, doc numbers

_ZH_MINUTE = (
    "苏州市人民政府常务会议纪要\n\n〔2020〕21号\n\n"
    "2020年6月30日上午，李亚平市长主持召开市政府第一百零二次常务会议，研究了以下事项：\n\n"
    "一、审议《苏州市政策性租赁住房试点工作方案》\n\n会议原则同意该方案。\n\n"
    "二、听取关于安全生产工作的汇报\n\n会议要求各地加强检查。\n"
)


def test_chinese_numeral_meeting_number_in_a_minute_and_in_a_question() -> None:
    assert extract_metadata(normalize_text(_ZH_MINUTE)).meeting_number == 102
    assert find_references("市政府第一百零二次常务会议研究了什么？").meeting_numbers == (102,)
    assert find_references("第102次常务会议由谁主持？").meeting_numbers == (102,)
    assert find_references("What did the 102nd executive meeting decide?").meeting_numbers == (102,)


def test_abbreviated_english_date_in_a_minute_and_in_a_question() -> None:
    minute = "MINUTES OF THE REGULAR MEETING OF THE TOWN COUNCIL\nThe meeting was held on Jan. 12, 2011.\n"
    assert extract_metadata(minute).date == "2011-01-12"
    assert find_references("What did the council decide on Jan. 12, 2011?").dates == ("2011-01-12",)
    assert find_references("What was decided at the 12 Jan 2011 meeting?").dates == ("2011-01-12",)
    assert find_references("What was decided on January 12, 2011?").dates == ("2011-01-12",)


def test_dates_in_every_form() -> None:
    text = "2020年6月30日、二〇二〇年六月三十日、2020-06-30、June 30, 2020、30th of June 2020、Sept. 3, 2021"
    assert [d.iso for d in find_dates(text)] == ["2020-06-30"] * 5 + ["2021-09-03"]
    assert find_dates("February 30, 2011 and 2011-13-01") == []  # not real dates


@pytest.mark.parametrize("written", ["〔2020〕21号", "[2020]21号", "（2020）21号", "(2020)21号", "【2020】21号",
                                     "［2020］21号", "〔2020〕第21号", "〔 2020 〕 021 号"])
def test_document_numbers_in_every_bracket_form(written: str) -> None:
    assert find_doc_numbers(f"苏府{written}的意见") == ["〔2020〕21号"]
    assert find_references(f"{written}纪要研究了什么？").doc_numbers == ("〔2020〕21号",)
    minute = _ZH_MINUTE.replace("〔2020〕21号", f"苏府{written}")
    assert extract_metadata(normalize_text(minute)).doc_number == "苏府〔2020〕21号"


def test_cn_to_int() -> None:
    cases = {"十": 10, "十二": 12, "二十一": 21, "一百零二": 102, "一百〇五": 105, "两百": 200, "一千零一": 1001,
             "两千": 2000, "二〇二〇": 2020, "7": 7, "７": 7, "甲": None, "": None}
    assert {s: cn_to_int(s) for s in cases} == cases
    assert meeting_numbers("第两百次、第十次") == [200, 10]


# ---------------------------------------------------------------- stemming

@pytest.mark.parametrize("a,b", [("referred", "refer"), ("buses", "bus"), ("reported", "report"),
                                 ("approved", "approve"), ("talents", "talent"), ("uses", "use")])
def test_stemmer_pairs_meet_on_every_path(a: str, b: str) -> None:
    assert words.stem(a) == words.stem(b)
    assert answer_lang.stem is words.stem  # the answerer's and citations' stemmer is the one stemmer
    assert tokenize(f"Council {a} it") == tokenize(f"Council {b} it")  # lexical index
    assert glossary.en_words(a) == glossary.en_words(b)  # glossary phrases
    # the answerer's keyword of one form is found in a text written with the other
    (kw,) = answer_lang.keywords(f"{a}?")
    assert answer_lang.text_matcher(f"The plan was {b} today.")(kw)


def test_stems_differ_for_different_words() -> None:
    assert words.stem("bus") != words.stem("business")
    assert words.stem("refer") != words.stem("reform")
    # a derivation names another concept (同意 is not 行政审批): inflections meet, derivations do not
    assert words.stem("approved") == words.stem("approving") != words.stem("approval") == words.stem("approvals")
    assert words.stem("assist") != words.stem("assistance") != words.stem("assistant")
    assert words.stem("represented") == words.stem("represent") and words.stem("arrived") == words.stem("arrive")


# ---------------------------------------------------------------- sentences

def test_abbreviations_end_no_sentence() -> None:
    assert is_abbreviation("At 10:31 a.m") and is_abbreviation("Item No") and is_abbreviation("J")
    assert not is_abbreviation("the council")
    assert first_sentence("Mr. Adams presided at 9 a.m. today. Then the council met.", 80) == (
        "Mr. Adams presided at 9 a.m. today")
    assert first_sentence("审议《苏州市政策性租赁住房试点工作方案》。会议原则同意。") == "审议《苏州市政策性租赁住房试点工作方案》"


def test_one_sentence_rule_for_the_answerer_and_the_ledger() -> None:
    from minutes_rag.ledger.en import sentences as en_sentences
    from minutes_rag.ledger.zh_sentences import sentences as zh_sentences
    from minutes_rag.text.sentences import spans_between, split_spans

    zh = "二、研究秋粮收购工作\n\n会议决定，秋粮收购由县粮食局负责；\n县农业农村局配合。要确保10月15日前开秤。"
    # read without the section's title, a heading line is a unit of its own for the ledger,
    # and so is a line that ends in ；(each part may name its own unit)
    assert [zh[a:b] for a, b in spans_between(zh, headings=True)] == [
        "二、研究秋粮收购工作", "会议决定，秋粮收购由县粮食局负责；", "县农业农村局配合。", "要确保10月15日前开秤。"]
    # the answerer knows the title: the heading is cut by it, the rest as before
    assert [zh[a:b] for a, b in split_spans(zh, "研究秋粮收购工作")][0] == "二、研究秋粮收购工作"
    assert "二、研究秋粮收购工作" not in [zh[a:b] for a, b in split_spans(zh)]
    # the ledger reads the same spans (item markers dropped), offsets into the text it got
    text = "前文。" + zh
    assert [text[a:b] for a, b in zh_sentences(text, 3)][:2] == ["研究秋粮收购工作", "会议决定，秋粮收购由县粮食局负责；"]
    en = "Staff was directed to report by May 1. Mr. Adams moved approval at 9 a.m. Tuesday.\n\nMotion carried."
    assert [en[a:b] for a, b in en_sentences(en, 0, len(en))] == [
        "Staff was directed to report by May 1.", "Mr. Adams moved approval at 9 a.m. Tuesday.", "Motion carried."]


# ---------------------------------------------------------------- agenda items, filter dates

_EN_MINUTE = (
    "Springfield City Council\nMinutes of the Regular Meeting\nMarch 3, 2015\n\n"
    "Present: Councilmembers Simpson, Flanders and Van Houten; Mayor Quimby.\n\n"
    "*12 Accept the bid of Acme Paving for $1,250,000 for 2015 street repairs.\n\n"
    "13 Approve the plan for 40 Oak Avenue (Ordinance 184562).\n\n"
    "S-15 Adopt the budget of the Bureau of Parks.\n\n"
    "At 10:31 a.m. Council adjourned.\n"
)


def test_english_items_are_found_in_one_place() -> None:
    text = normalize_text(_EN_MINUTE)
    meta = extract_metadata(text)
    items = [s.label for s in split_minute(Minute("m", "/x", "h", text, meta)) if s.kind == "item"]
    # amounts, years, addresses and ordinance numbers are not items
    assert items == ["12", "13", "15"]
    assert meta.item_numbers == tuple(items)


def test_filter_dates() -> None:
    from minutes_rag.text.patterns import is_iso_date

    assert is_iso_date("2020-06-30")
    assert not any(is_iso_date(s) for s in ["2020-6-30", "2020-02-30", "2020/06/30", "20200630", " 2020-06-30"])
