"""The structural reranker (rerank.structure_rerank): what the minutes' structure says about
which section answers, on small hand-made minutes (no model, no index)."""

from __future__ import annotations

from minutes_rag.model import Hit, MinuteMeta, Section
from minutes_rag.query import analyse
from minutes_rag.rerank import named_places, structure_rerank, sub_items_first
from minutes_rag.text.patterns import body_places
from minutes_rag.text.sentences import heading_only

META = MinuteMeta(lang="zh", body="青川市人民政府", title="青川市人民政府常务会议纪要", doc_number="〔2023〕7号")
TITLE_A = "审议《青川市老旧小区改造三年行动方案》"
TITLE_B = "研究全市农村饮水安全巩固提升工作"


def _hit(label: tuple[str, ...], text: str, score: float, title: str = TITLE_A, minute: str = "m1") -> Hit:
    sec = Section(section_id=f"{minute}-{''.join(label)}", minute_id=minute, label_path=label, kind="item",
                  title=title, text=text, start=0, end=len(text))
    return Hit(section=sec, score=score, meta=META)


HEAD = _hit(("一",), f"一、{TITLE_A}", 0.09)
SUB1 = _hit(("一", "（一）"), "（一）原则同意《青川市老旧小区改造三年行动方案》。由市住建局根据本次会议讨论意见修改完善后印发实施。", 0.06)
SUB2 = _hit(("一", "（二）"), "（二）方案明确，2023年至2025年全市改造老旧小区186个。", 0.05)
OTHER = _hit(("三",), f"三、{TITLE_B}\n会议研究了全市农村饮水安全巩固提升工作。明确由市水务局牵头。", 0.07, title=TITLE_B)


def test_heading_only_is_a_section_that_says_nothing_but_its_title() -> None:
    assert heading_only(HEAD.section.text, TITLE_A)
    assert not heading_only(OTHER.section.text, TITLE_B)  # its heading is followed by what was decided
    assert not heading_only(SUB1.section.text, TITLE_A)


def test_a_heading_only_item_gives_way_to_its_best_sub_item() -> None:
    q = analyse("青川市第45次常务会议对《青川市老旧小区改造三年行动方案》作出了什么决定？")
    out = structure_rerank(q, [HEAD, OTHER, SUB1, SUB2])
    labels = [h.section.label for h in out]
    assert labels.index("一（一）") < labels.index("一")  # the sub-item takes the heading's place
    assert labels.index("一") == labels.index("一（一）") + 1  # and the heading follows it
    scores = [h.score for h in out]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)


def test_the_order_and_scores_agree_and_other_items_keep_their_places() -> None:
    out = sub_items_first([HEAD, OTHER, SUB1, SUB2])
    assert [h.section.label for h in out] == ["一（一）", "一", "三", "一（二）"]
    assert [h.score for h in out] == [0.09, 0.07, 0.06, 0.05]


def test_no_sub_item_among_the_hits_or_another_minute_s_leaves_the_heading_where_it_is() -> None:
    foreign = _hit(("一", "（一）"), SUB1.section.text, 0.06, minute="m2")
    out = sub_items_first([HEAD, OTHER, foreign])
    assert [h.section.section_id for h in out] == [HEAD.section.section_id, OTHER.section.section_id,
                                                   foreign.section.section_id]


def test_a_heading_whose_title_shares_no_word_with_the_question_stays() -> None:
    # nothing says the item is on topic (an English question outside the glossary): its
    # sub-item is not promoted on the heading's rank
    q = analyse("Which law was explained in the legal study session?")
    out = structure_rerank(q, [HEAD, OTHER, SUB1])
    assert out[0].section.label == "一"


# -- the place the question names -----------------------------------------------------------

def test_body_places_are_the_place_names_of_an_issuing_body() -> None:
    assert body_places("苏州市人民政府") == ("苏州",)
    assert body_places("东湖市政府") == ("东湖",)
    assert body_places("City of Portland") == ("Portland",)
    assert body_places("Riverton City Council") == ("Riverton",)
    assert body_places("") == ()


def _attendance(minute: str, body: str, text: str, score: float) -> Hit:
    sec = Section(section_id=f"{minute}-att", minute_id=minute, label_path=("出席",), kind="attendance",
                  title="出席、列席、记录", text=text, start=0, end=len(text))
    return Hit(section=sec, score=score, meta=MinuteMeta(lang="zh", body=body, title=body + "常务会议纪要"))


def test_a_meeting_question_naming_a_place_ranks_that_body_s_minute_first() -> None:
    # every attendance block reads alike; only the place tells the minutes apart
    other = _attendance("m1", "云江市人民政府", "出席：徐永 严文\n记录：刘萍", 0.08)
    named = _attendance("m2", "东湖市人民政府", "出席：范秀 余健\n记录：郑鹏", 0.05)
    q = analyse("东湖市政府常务会议纪要的记录人是谁？")
    assert named_places(q, ["云江市人民政府", "东湖市人民政府"]) == {"东湖"}
    assert structure_rerank(q, [other, named])[0].section.minute_id == "m2"
    # through the glossary: an English question names 苏州 as Suzhou
    en = analyse("Who took the minutes of the Suzhou executive meeting?")
    assert named_places(en, ["苏州市人民政府", "东湖市人民政府"]) == {"苏州"}


def test_a_content_question_is_told_apart_by_its_topic_not_the_place() -> None:
    other = _attendance("m1", "云江市人民政府", "出席：徐永 严文\n记录：刘萍", 0.06)
    named = _attendance("m2", "东湖市人民政府", "出席：范秀 余健\n记录：郑鹏", 0.05)
    q = analyse("东湖市食品安全推进工作由哪个部门牵头？")
    assert not q.intents
    assert structure_rerank(q, [other, named])[0].section.minute_id == "m1"


def test_metadata_candidates_come_from_the_named_body_s_minutes_first() -> None:
    from minutes_rag.retrieve import RetrievalConfig, Retriever

    bodies = {f"m{i}": "云江市人民政府" for i in range(6)} | {"m6": "苏州市人民政府"}

    class _Index:
        def metas(self, ids: list[str]) -> dict[str, MinuteMeta]:
            return {i: MinuteMeta(lang="zh", body=bodies[i]) for i in ids if i in bodies}

        def section_ids_of_kinds(self, mids: list[str], kinds: list[str]) -> list[tuple[str, str, str]]:
            return [(m, "attendance", f"{m}-att") for m in mids]

    r = Retriever(_Index(), None, None, RetrievalConfig())  # type: ignore[arg-type]
    seen = [f"m{i}-1" for i in range(7)]  # the Suzhou minute found last, after five others
    q = analyse("Who attended the Suzhou executive meeting?")
    assert "m6-att" in r._metadata_candidates(q, None, seen)[:1]
    # no place named: the first five minutes found, in their order
    plain = analyse("Who attended the executive meeting?")
    assert r._metadata_candidates(plain, None, seen) == [f"m{i}-att" for i in range(5)]


def test_the_date_naming_the_minute_tells_no_section_apart() -> None:
    # "of 30 June 2020" names the minute; an item whose title holds "2020" is not therefore
    # about the question
    meta = MinuteMeta(lang="zh", body="苏州市人民政府", date="2020-06-30")

    def item(label: tuple[str, ...], title: str, text: str, score: float) -> Hit:
        sec = Section(section_id="m-" + "".join(label), minute_id="m", label_path=label, kind="item",
                      title=title, text=text, start=0, end=len(text))
        return Hit(section=sec, score=score, meta=meta)

    talent = item(("五", "（一）"), "听取2020年人才计划拟立项情况的汇报", "（一）原则同意市科技局关于2020年人才计划拟立项情况的汇报。", 0.0271)
    housing = item(("四", "（一）"), "审议《苏州市政策性租赁住房试点工作方案》", "（一）原则同意《苏州市政策性租赁住房试点工作方案》。", 0.0279)
    q = analyse("Which work plan did the Suzhou executive meeting of 30 June 2020 review?")
    out = structure_rerank(q, [housing, talent])
    assert out[0].section.label == "四（一）"
    assert out[0].score == housing.score  # no word of the question's date counts for either
