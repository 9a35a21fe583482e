"""The ledger tab's and the timeline view's handlers over a fake Assistant, and the page
with both tabs built (not served)."""

from dataclasses import dataclass, field

import openpyxl
import pytest

from minutes_rag.config import Settings
from minutes_rag.errors import NotFound
from minutes_rag.ledger.model import LedgerEntry, LedgerFilter
from minutes_rag.model import Minute, MinuteMeta, Section
from minutes_rag.timeline import Timeline, TimelineEntry
from minutes_rag.ui.handlers import Handlers
from minutes_rag.ui.ledger_app import chart_frame, counts_of
from minutes_rag.ui.ledger_handlers import LedgerHandlers, ledger_rows
from minutes_rag.ui.ledger_render import timeline_html

TEXT = ("云江市人民政府常务会议纪要\n〔2020〕5号\n一、审议《老旧小区改造<b>方案</b>》\n"
        "（一）原则同意《老旧小区改造方案》。由市住建局牵头，市财政局配合，年底前完成。\n"
        "（二）各有关部门要加强协调。\n")
META = MinuteMeta(title="云江市人民政府常务会议纪要", doc_number="〔2020〕5号", meeting_number=41, date="2020-03-10")


def _entry(q: str, kind: str, **kw) -> LedgerEntry:
    a = TEXT.index(q)
    return LedgerEntry(f"m1-{a}", "m1", META.doc_number, 41, META.date, "一（一）", "s1", kind, quote=q, start=a,
                       end=a + len(q), **kw)


ENTRIES = [
    _entry("原则同意《老旧小区改造方案》。", "decision", outcome="原则同意", subject="《老旧小区改造方案》"),
    _entry("由市住建局牵头，市财政局配合，年底前完成。", "assignment", lead=("市住建局",), partners=("市财政局",),
           task="年底前完成", deadline="年底前"),
    _entry("各有关部门要加强协调。", "assignment", lead=("各有关部门",), generic=True, task="加强协调"),
]


@dataclass
class FakeAssistant:
    settings: Settings
    filters: list = field(default_factory=list)
    llm_available: bool = False

    def actions(self, flt: LedgerFilter) -> list[LedgerEntry]:
        self.filters.append(flt)
        return [e for e in ENTRIES if flt.matches(e)]

    def timeline(self, topic, *, date_from="", date_to=""):
        out = []
        for date, e in (("2019-11-02", ENTRIES[0]), ("2020-03-10", ENTRIES[0]), ("2021-07-01", ENTRIES[1])):
            out.append(TimelineEntry(date, e.minute_id, e.doc_number, 41, e.label, e.section_id, "审议《老旧小区改造方案》",
                                     e.quote, e.start, e.end, e.kind))
        return Timeline(topic, tuple(x for x in out if not date_from or x.date >= date_from))

    def get_minute(self, ref):
        if ref != "m1":
            raise NotFound(ref)
        a = TEXT.index("（一）")
        return Minute("m1", "/a.txt", "h", TEXT, META), [Section("s1", "m1", ("一", "（一）"), "item", "审议", TEXT[a:], a,
                                                                 len(TEXT))]

    def list_minutes(self):
        return []


@pytest.fixture()
def lh(tmp_path):
    fake = FakeAssistant(Settings.load(env={}, data_dir=str(tmp_path)))
    return LedgerHandlers(Handlers(fake, upload_dir=tmp_path / "up"), export_dir=tmp_path / "exports")


def test_search_by_unit_named_only_and_exports(lh):
    rows, summary, entries, xlsx, csv = lh.search("市住建局", "", "", "", "", True, "zh")
    assert summary == "共 1 条" and len(rows) == 1 and entries[0]["kind"] == "assignment"
    assert rows[0][5] == "市住建局" and rows[0][6] == "市财政局" and rows[0][7] == "年底前"
    flt = lh.assistant.filters[-1]
    assert flt.dept == "市住建局" and flt.named_only
    ws = openpyxl.load_workbook(xlsx).worksheets[0]
    values = [[str(v) if v is not None else "" for v in r] for r in ws.iter_rows(values_only=True)]
    assert any("由市住建局牵头，市财政局配合，年底前完成。" in r for r in values)
    assert "由市住建局牵头" in open(csv, encoding="utf-8-sig").read()


def test_generic_entries_only_when_asked(lh):
    _, s_named, *_ = lh.search("", "assignment", "", "", "", True, "zh")
    _, s_all, *_ = lh.search("", "assignment", "", "", "", False, "zh")
    assert (s_named, s_all) == ("共 1 条", "共 2 条")


def test_bad_dates_say_so_and_list_nothing(lh):
    rows, summary, entries, xlsx, _ = lh.search("", "", "2020-13", "", "", True, "en")
    assert rows == [] and entries == [] and xlsx is None and "YYYY-MM-DD" in summary
    _, summary, *_ = lh.search("", "", "2021-01-01", "2020-01-01", "", True, "en")
    assert "after the end date" in summary


def test_a_row_opens_its_passage_highlighted(lh):
    _, _, entries, _, _ = lh.search("", "decision", "", "", "", True, "zh")
    html = lh.open_row(entries, 0, "zh")
    assert '<mark class="cite-hl" id="cite-mark">原则同意《老旧小区改造方案》。</mark>' in html
    assert "&lt;b&gt;方案&lt;/b&gt;" in html  # the minute's text stays text
    assert "viewer-empty" in lh.open_row(entries, 5, "zh")  # a row this session was not shown


def test_timeline_cards_counts_and_passage(lh):
    html, entries, counts, summary = lh.timeline("老旧小区改造", "", "", "year", "zh")
    assert [e["date"] for e in entries] == ["2019-11-02", "2020-03-10", "2021-07-01"]
    assert counts == [("2019", 1), ("2020", 1), ("2021", 1)] and "3 次会议" in summary
    assert html.count('class="tl-card') == 3 and 'data-cite="tl:2"' in html
    _, _, q, _ = lh.timeline("老旧小区改造", "", "", "quarter", "zh")
    assert q[0] == ("2019Q4", 1) and q[-1] == ("2021Q3", 1) and len(q) == 8
    viewer = lh.open_timeline_entry(entries, "tl:1", "zh")
    assert 'id="cite-mark">原则同意《老旧小区改造方案》。</mark>' in viewer
    assert "viewer-empty" in lh.open_timeline_entry(entries, "m1:0", "zh")
    assert lh.timeline("  ", "", "", "year", "en")[3] == "Enter a topic."


def test_chart_frame_and_counts_of():
    df = chart_frame([("2019", 1), ("2020", 0)], "zh")
    assert list(df["period"]) == ["2019", "2020"] and str(df["period"].dtype) == "string"
    entries = [{"date": d, "minute_id": "m", "doc_number": "", "meeting_number": None, "label": "", "section_id": "",
                "title": "", "quote": "", "start": 0, "end": 0, "kind": "mention"} for d in ("2020-01-05", "2020-05-01")]
    assert counts_of(entries, "quarter") == [("2020Q1", 1), ("2020Q2", 1)]


def test_rows_and_cards_in_english():
    rows = ledger_rows([ENTRIES[0].to_json()], "en")
    assert rows[0][1] == "〔2020〕5号 meeting 41" and rows[0][3] == "Decision"
    assert "Enter a topic" in timeline_html([], "en")


def test_page_builds_with_both_tabs(tmp_path):
    from minutes_rag.ui.app import build_app

    fake = FakeAssistant(Settings.load(env={}, data_dir=str(tmp_path)))
    app = build_app(fake, lang="en")
    ids = {getattr(b, "elem_id", None) for b in app.blocks.values()}
    assert {"tab-ledger", "tab-timeline", "ledger-table", "ledger-xlsx", "ledger-csv", "timeline-chart",
            "timeline-list", "ledger-viewer", "timeline-viewer"} <= ids
