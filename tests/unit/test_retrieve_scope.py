"""Retriever.scope and metadata candidates, against a stub index (no models)."""

from dataclasses import dataclass

from minutes_rag.model import Filters
from minutes_rag.query import analyse
from minutes_rag.retrieve import RetrievalConfig, Retriever


@dataclass
class _Sec:
    section_id: str
    kind: str


class _Index:
    minutes = {"m1": "〔2021〕3号", "m2": "〔2021〕4号"}

    def minute_ids_matching(self, f: Filters):
        if f.is_empty():
            return None
        return [m for m, doc in self.minutes.items()
                if (not f.minute_id or f.minute_id == m) and (not f.doc_number or f.doc_number == doc)]

    def sections_of(self, mid):
        return [_Sec(f"{mid}-0", "preamble"), _Sec(f"{mid}-1", "item"), _Sec(f"{mid}-2", "attendance"),
                _Sec(f"{mid}-3", "closing")]

    def section_ids_of_kinds(self, mids, kinds):
        return [(m, s.kind, s.section_id) for m in mids for s in self.sections_of(m) if s.kind in kinds]


def _retriever():
    return Retriever(_Index(), store=None, embedder=None, config=RetrievalConfig())


def test_minute_filter_accepts_a_document_number():
    allowed, _ = _retriever().scope("会议要求什么？", Filters(minute_id="〔2021〕4号"))
    assert allowed == ["m2"]
    allowed, _ = _retriever().scope("会议要求什么？", Filters(minute_id="m1"))
    assert allowed == ["m1"]
    allowed, _ = _retriever().scope("会议要求什么？", Filters(minute_id="〔1999〕1号"))
    assert allowed == []


def test_doc_number_questions_get_the_preamble():
    refs = analyse("这份纪要的文号是什么？")
    assert _retriever()._metadata_candidates(refs, ["m1"], []) == ["m1-0"]


def test_officer_questions_get_opening_and_closing_parts_not_items():
    refs = analyse("Who served as Sergeant at Arms?")
    got = _retriever()._metadata_candidates(refs, ["m1"], [])
    assert got[0] == "m1-0" and "m1-1" not in got and set(got) == {"m1-0", "m1-2", "m1-3"}


def test_attendance_questions_still_get_the_attendance_list():
    refs = analyse("哪些领导出席了会议？")
    assert _retriever()._metadata_candidates(refs, ["m1"], []) == ["m1-2"]


def test_closing_part_is_penalised_less_than_the_opening_parts():
    from minutes_rag.retrieve import KIND_WEIGHT

    # a closing paragraph ranked first by both retrievers must still beat an item both rank
    # far lower: 2/61 * w > 1/(60+11) + 1/(60+29)
    assert 2 / 61 * KIND_WEIGHT["closing"] > 1 / 71 + 1 / 89
    assert KIND_WEIGHT["closing"] > KIND_WEIGHT["preamble"] > KIND_WEIGHT["tail"]


class _Bodies(_Index):
    """Four minutes of one meeting number, held by a city and by two of its districts."""

    bodies = {"c1": "青禾市人民政府", "d1": "青禾市禾丰区人民政府", "d2": "青禾市空港区人民政府", "x1": "City of Portland"}

    def minute_ids_matching(self, f: Filters):
        if f.meeting_number == 115:
            return list(self.bodies)
        return super().minute_ids_matching(f)

    def metas(self, mids):
        from minutes_rag.model import MinuteMeta

        return {m: MinuteMeta(body=self.bodies[m], meeting_number=115) for m in mids}


def _scope(question: str) -> list[str] | None:
    allowed, _ = Retriever(_Bodies(), store=None, embedder=None, config=RetrievalConfig()).scope(question, Filters())
    return allowed


def test_a_meeting_number_is_narrowed_to_the_body_the_question_names():
    # 人民政府 is asked as 政府; the district's name holds the city's: the longer one is meant
    assert _scope("青禾市禾丰区政府第115次常务会议由谁主持？") == ["d1"]
    assert _scope("青禾市人民政府第115次常务会议由谁主持？") == ["c1"]
    assert _scope("青禾市政府第115次常务会议由谁主持？") == ["c1"]
    assert _scope("Who chaired Portland's 115th meeting?") == ["x1"]


def test_a_meeting_number_without_a_body_keeps_every_body():
    assert sorted(_scope("第115次常务会议由谁主持？") or []) == ["c1", "d1", "d2", "x1"]
