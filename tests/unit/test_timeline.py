"""The timeline over a fake retriever: floor, one entry per minute, ledger quotes first,
verbatim offsets, date order, date range, per-year/quarter counts."""

from __future__ import annotations

from minutes_rag.ledger.model import LedgerEntry
from minutes_rag.model import Filters, Hit, MinuteMeta, Section
from minutes_rag.timeline import (
    MENTION,
    Timeline,
    TimelineEntry,
    TopicMatcher,
    build_timeline,
)

PRE = "会议议定以下意见：\n"


def _minute(mid: str, date: str, items: list[tuple[str, str]]) -> tuple[str, list[Section], MinuteMeta]:
    text = PRE
    secs = []
    for i, (title, body) in enumerate(items, 1):
        block = f"{title}\n{body}\n"
        start = len(text)
        text += block
        secs.append(Section(f"{mid}-s{i}", mid, (str(i),), "item", title, block.rstrip("\n"), start,
                            start + len(block) - 1))
    return text, secs, MinuteMeta(date=date, doc_number=f"〔{date[:4]}〕{len(mid)}号", meeting_number=int(mid[1:]))


M1 = _minute("m10", "2021-05-06", [
    ("一、审议《云江市老旧小区改造实施方案》", "原则同意《云江市老旧小区改造实施方案》。由市住建局牵头，市财政局配合，年底前完成。"),
    ("二、研究城市更新推进工作", "会议研究了城市更新推进工作。要加强统筹协调。"),
])
M2 = _minute("m3", "2019-11-20", [
    ("一、听取关于老旧小区改造工作情况的汇报", "会议听取了市住建局关于老旧小区改造工作情况的汇报。全市累计改造小区120个。"),
])
M3 = _minute("m7", "2020-02-14", [
    ("一、研究数字政府建设", "会议研究了数字政府建设工作。要守牢安全底线。"),
    ("二、研究重大项目建设", "要加强项目调度，确保小区配套工程按期完工。"),  # shares 小区 only
])
ARCHIVE = {m[1][0].minute_id: m for m in (M1, M2, M3)}


def _retrieve(query: str, filters: Filters, k: int) -> list[Hit]:
    # every section, in a fixed order (the real retriever ranks; the floor must not care)
    out = []
    for _text, secs, meta in ARCHIVE.values():
        if filters.date_from and meta.date < filters.date_from:
            continue
        if filters.date_to and meta.date > filters.date_to:
            continue
        out += [Hit(section=s, score=1.0, meta=meta) for s in secs]
    return out[:k]


def _ledger(minute_id: str) -> list[LedgerEntry]:
    text, secs, meta = ARCHIVE[minute_id]
    out = []
    if minute_id == "m10":
        q = "原则同意《云江市老旧小区改造实施方案》。"
        a = text.index(q)
        out.append(LedgerEntry("m10-1", "m10", meta.doc_number, 10, meta.date, "1", secs[0].section_id, "decision",
                               outcome="原则同意", subject="《云江市老旧小区改造实施方案》", quote=q, start=a, end=a + len(q)))
        q2 = "由市住建局牵头，市财政局配合，年底前完成。"
        b = text.index(q2)
        out.append(LedgerEntry("m10-2", "m10", meta.doc_number, 10, meta.date, "1", secs[0].section_id, "assignment",
                               lead=("市住建局",), quote=q2, start=b, end=b + len(q2)))
    return out


def _text(minute_id: str) -> str:
    return ARCHIVE[minute_id][0]


def test_floor_keeps_the_topic_and_drops_a_shared_word():
    tl = build_timeline("老旧小区改造", _retrieve, ledger=_ledger, minute_text=_text)
    assert [e.minute_id for e in tl.entries] == ["m3", "m10"]  # m7 shares 小区 only
    assert [e.date for e in tl.entries] == sorted(e.date for e in tl.entries)


def test_quotes_are_verbatim_and_prefer_the_decision():
    tl = build_timeline("老旧小区改造", _retrieve, ledger=_ledger, minute_text=_text)
    for e in tl.entries:
        assert _text(e.minute_id)[e.start:e.end] == e.quote
    first, second = tl.entries
    assert first.kind == MENTION and "老旧小区改造工作情况的汇报" in first.quote
    assert second.kind == "decision" and second.quote.startswith("原则同意《云江市老旧小区改造")
    assert second.label == "1" and second.title.startswith("一、审议")


def test_date_range_and_empty_topic():
    tl = build_timeline("老旧小区改造", _retrieve, ledger=_ledger, minute_text=_text, date_from="2020-01-01")
    assert [e.minute_id for e in tl.entries] == ["m10"]
    assert build_timeline("  ", _retrieve).entries == ()


def test_json_contract_keys():
    tl = build_timeline("城市更新", _retrieve, ledger=_ledger, minute_text=_text)
    data = tl.to_json()
    assert set(data) == {"topic", "entries"} and data["topic"] == "城市更新"
    assert [set(e) for e in data["entries"]] == [{
        "date", "minute_id", "doc_number", "meeting_number", "label", "section_id", "title", "quote", "start",
        "end", "kind",
    }]
    assert data["entries"][0]["section_id"] == "m10-s2"


def test_counts_fill_empty_periods():
    def e(date: str) -> TimelineEntry:
        return TimelineEntry(date, "m", "", None, "", "", "", "", 0, 0, MENTION)

    tl = Timeline("x", (e("2019-02-01"), e("2019-03-30"), e("2020-11-02")))
    assert tl.counts("year") == [("2019", 2), ("2020", 1)]
    q = tl.counts("quarter")
    assert q[0] == ("2019Q1", 2) and q[-1] == ("2020Q4", 1) and len(q) == 8 and sum(n for _, n in q) == 3


def test_english_topic_matches_by_stem():
    m = TopicMatcher("parking permits")
    assert m.score("Staff proposed a new parking permit zone.") == 1.0
    assert m.score("The library budget was adopted.") == 0.0


def test_topic_words_scattered_over_a_section_are_not_the_topic():
    # the department of the topic in one sentence, its other words elsewhere: not about it
    m = TopicMatcher("退役军人服务保障")
    scattered = "由市园林绿化局牵头，市退役军人局、市农业农村局配合。要加大资金保障力度。要做好服务。"
    assert max(m.score(s) for s in scattered.split("。")) < 0.67
    assert m.score("会议研究了云江市退役军人服务保障推进工作。") == 1.0
    # a long sentence that lists a meeting's items holds many topics' words far apart
    listing = ("会议听取关于制造业智能化改造和数字化转型工作情况的汇报，审议《高标准农田建设实施方案》，"
               "研究市政府投资项目审计推进工作。")
    assert TopicMatcher("数字政府建设").score(listing) < 0.67


def test_a_unit_name_is_not_its_policy_area():
    m = TopicMatcher("园林绿化")
    assert m.score("由市园林绿化局牵头，市财政局配合。") == 0.0
    assert m.score("实施园林绿化提升工作。") == 1.0
    assert TopicMatcher("市园林绿化局").score("由市园林绿化局牵头。") == 1.0


def test_asks_for_more_candidates_while_most_pass():
    asked = []

    def many(query: str, filters: Filters, k: int) -> list[Hit]:
        asked.append(k)
        hits = []
        for i in range(min(k, 50)):  # 50 minutes about the topic
            text = f"（一）原则同意《第{i}批老旧小区改造方案》。"
            sec = Section(f"x{i}-s", f"x{i}", ("一",), "item", "审议", text, 0, len(text))
            hits.append(Hit(section=sec, score=1.0, meta=MinuteMeta(date=f"2020-01-{i % 28 + 1:02d}")))
        return hits

    tl = build_timeline("老旧小区改造", many, candidates=10)
    assert asked == [10, 20, 40, 80] and len(tl.entries) == 50


def test_a_minute_filed_twice_is_one_meeting():
    text, secs, meta = M2
    copy = [Section("copy-s1", "copy", s.label_path, s.kind, s.title, s.text, s.start, s.end) for s in secs]

    def twice(query: str, filters: Filters, k: int) -> list[Hit]:
        return [Hit(section=s, score=1.0, meta=meta) for s in secs + copy]

    tl = build_timeline("老旧小区改造", twice)
    assert len(tl.entries) == 1
