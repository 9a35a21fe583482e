"""Structure sets and by-reference labels: offsets into a raw corpus file carried onto the
normalised minute, hand-computed item recall/precision and metadata, ledger labels by span."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minutes_rag.evaluation.anchors import Aligner
from minutes_rag.evaluation.ledger import (
    LedgerLabel,
    LedgerSetError,
    load_ledger_sets,
    matches,
    overlaps,
    place_labels,
    score_minute,
    summarize_by_style,
)
from minutes_rag.evaluation.structure import (
    StructureSetError,
    is_structure_set,
    load_structure_sets,
    same_label,
    score_structure,
    summarize_structure,
)
from minutes_rag.ledger import LedgerEntry
from minutes_rag.model import MinuteMeta, Section

# a raw file with irregular whitespace, and the "normalised" text the minute holds
RAW = "北京市政府常务会议\n\n  会议听取了市发展改革委关于甲项目的汇报。\n\n会议原则通过《乙办法》。\n会议要求，市财政局要做好保障。\n"
TEXT = "北京市政府常务会议\n\n会议听取了市发展改革委关于甲项目的汇报。\n会议原则通过《乙办法》。\n会议要求，市财政局要做好保障。"


def test_offsets_are_carried_onto_the_normalised_text() -> None:
    al = Aligner(RAW, TEXT)
    s = RAW.index("会议原则")
    e = RAW.index("。", s) + 1
    assert al.span(s, e) == (TEXT.index("会议原则"), TEXT.index("》。") + 2)
    assert TEXT[slice(*al.span(s, e))] == RAW[s:e]  # type: ignore[misc]
    # a start on the whitespace before a line lands on the line
    assert al.start(RAW.index("  会议听取")) == TEXT.index("会议听取")
    # text that is not in the target is not placed
    assert Aligner("完全不同的一段文字内容在这里", TEXT).start(0) is None


def test_a_repeated_phrase_is_placed_at_the_nearer_occurrence() -> None:
    raw = "会议要求抓好落实。" + "甲" * 50 + "会议要求抓好落实。"
    text = "会议要求抓好落实。" + "甲" * 50 + "会议要求抓好落实。"
    assert Aligner(raw, text).start(59) == 59
    assert Aligner(raw, text).start(0) == 0


def test_labels_compare_modulo_punctuation() -> None:
    assert same_label("Ord. No. 11-10", "Ord No 11-10")
    assert same_label("一、", "一")
    assert same_label("（二）", "(二)")
    assert not same_label("Ord. No. 11-10", "Ord. No. 11-11")


def _sec(label: tuple[str, ...], start: int, kind: str = "item", part: int = 0) -> Section:
    return Section(f"s{start}", "m", label, kind, "", TEXT[start:start + 5], start, start + 5, part, 1)


def _write(tmp_path: Path, name: str, records: list[dict]) -> Path:
    p = tmp_path / name
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return p


def _corpus(tmp_path: Path) -> Path:
    (tmp_path / "corpus" / "dev").mkdir(parents=True)
    (tmp_path / "corpus" / "dev" / "a.txt").write_text(RAW, encoding="utf-8")
    return tmp_path / "corpus"


def test_structure_scores_hand_computed(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    rec = {"id": "s1", "structure": true_(), "file": "dev/a.txt", "style": "zh/x", "lang": "zh",
           "meta": {"body": "北京市人民政府", "title_span": [0, 9]},
           "items": [{"label": "", "start": RAW.index("  会议听取")}, {"label": "", "start": RAW.index("会议原则")},
                     {"label": "三", "start": RAW.index("会议要求")}]}
    path = _write(tmp_path, "s.jsonl", [rec])
    assert is_structure_set(path)
    [item] = load_structure_sets([path], corpus)
    sections = [
        _sec(("导语",), 0, kind="preamble"),
        _sec(("一",), TEXT.index("会议听取")),
        _sec(("一",), TEXT.index("会议听取") + 8, part=1),  # a second part is not a second item
        _sec(("二",), TEXT.index("会议原则") + 3),  # within the tolerance, empty label: any label
        _sec(("四",), TEXT.index("会议要求")),  # right place, wrong label
    ]
    sc = score_structure(item, sections, TEXT, MinuteMeta(body="北京市人民政府", title="北京市政府常务会"))
    assert (sc.labelled, sc.found, sc.sections, sc.matched_sections) == (3, 2, 3, 2)
    assert (sc.meta_fields, sc.meta_right) == (2, 1)
    assert sc.meta_wrong == [{"field": "title", "got": "北京市政府常务会"}]
    summary = summarize_structure([sc])
    assert summary["by_style"]["zh/x"]["recall"] == pytest.approx(2 / 3)
    assert summary["by_style"]["zh/x"]["precision"] == pytest.approx(2 / 3)
    assert summary["worst_recall"] == {"style": "zh/x", "value": pytest.approx(2 / 3)}


def true_() -> bool:
    return True


def test_an_item_far_from_its_label_is_not_found(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    path = _write(tmp_path, "s.jsonl", [{"id": "s1", "structure": True, "file": "dev/a.txt", "style": "zh/x",
                                         "items": [{"label": "", "start": 0}]}])
    [item] = load_structure_sets([path], corpus)
    sc = score_structure(item, [_sec(("一",), 60)], TEXT, MinuteMeta())
    assert (sc.found, sc.matched_sections) == (0, 0)


@pytest.mark.parametrize("record, problem", [
    ({"id": "x", "structure": True, "file": "dev/none.txt", "style": "s", "items": []}, "cannot read the labelled file"),
    ({"id": "x", "structure": True, "file": "dev/a.txt", "style": "s", "items": [{"label": "", "start": 9999}]},
     "item 1 needs"),
    ({"id": "x", "structure": True, "file": "dev/a.txt", "style": "s", "items": [], "meta": {"title_span": [5, 2]}},
     "lies outside the file"),
    ({"id": "x", "structure": True, "file": "dev/a.txt", "style": "s", "items": [], "meta": {"mayor": "x"}},
     "meta.mayor"),
])
def test_bad_structure_sets_name_the_file_and_line(tmp_path: Path, record: dict, problem: str) -> None:
    corpus = _corpus(tmp_path)
    path = _write(tmp_path, "bad.jsonl", [record])
    with pytest.raises(StructureSetError, match=rf"bad\.jsonl:1: .*{problem}"):
        load_structure_sets([path], corpus)


def _entry(kind: str, quote: str, lead: tuple[str, ...] = ()) -> LedgerEntry:
    start = TEXT.index(quote)
    return LedgerEntry(item_id=f"m-{start}", minute_id="m", doc_number="", meeting_number=None, date="", label="",
                       section_id="s", kind=kind, lead=lead, quote=quote, start=start, end=start + len(quote))


def test_ledger_labels_by_reference_match_by_overlap(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    rs = RAW.index("会议听取")
    ds = RAW.index("会议原则")
    a_s = RAW.index("市财政局要")
    rec = {"id": "l1", "ledger": True, "file": "dev/a.txt", "minute": "a.txt", "style": "zh/x", "lang": "zh",
           "entries": [{"kind": "report", "lead": "市发展改革委", "span": [rs, RAW.index("。", rs) + 1]},
                       {"kind": "decision", "outcome": "原则通过", "span": [ds, RAW.index("。", ds) + 1],
                        "subject_span": [RAW.index("《乙"), RAW.index("》") + 1]},
                       {"kind": "assignment", "lead": "市财政局", "span": [a_s, RAW.index("。", a_s) + 1]}]}
    [item] = load_ledger_sets([_write(tmp_path, "l.jsonl", [rec])], corpus)
    assert item.entries[1].subject == "《乙办法》"
    placed = place_labels(item, TEXT)
    report = _entry("report", "会议听取了市发展改革委关于甲项目的汇报。", ("市发展改革委",))
    short = _entry("report", "会议听取", ("市发展改革委",))  # 4 of 4 characters inside the span: overlaps
    wrong_lead = _entry("report", "会议听取了市发展改革委关于甲项目的汇报。", ("市财政局",))
    elsewhere = _entry("assignment", "会议要求，市财政局要做好保障。", ("市财政局",))
    assert matches(placed.entries[0], report) and matches(placed.entries[0], short)
    assert not matches(placed.entries[0], wrong_lead)
    assert matches(placed.entries[2], elsewhere)
    assert not matches(placed.entries[2], _entry("assignment", "会议原则通过《乙办法》。", ("市财政局",)))
    sc = score_minute(placed, [report, elsewhere, _entry("decision", "会议原则通过《乙办法》。")], TEXT, "zh")
    assert sc.group == "zh/x"
    assert (sc.tallies["report (named)"].matched_labels, sc.tallies["decision"].matched_labels) == (1, 1)
    styles = summarize_by_style([sc])
    assert styles["by_style"]["zh/x"]["groups"]["assignment (named)"]["recall"] == 1.0
    assert styles["worst"]["decision"]["recall"] == {"style": "zh/x", "value": 1.0}


def test_an_unplaced_label_matches_nothing() -> None:
    lb = LedgerLabel("decision", outcome="原则通过", span=(0, 5), at=None)
    assert not matches(lb, _entry("decision", "会议原则通过《乙办法》。"))


def test_overlap_is_half_of_the_shorter() -> None:
    assert overlaps((0, 10), (5, 30))
    assert not overlaps((0, 10), (6, 30))
    assert not overlaps((0, 10), (10, 20))


def test_bad_by_reference_ledger_sets(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    base = {"id": "l1", "ledger": True, "file": "dev/a.txt", "minute": "a.txt", "style": "zh/x"}
    for entries, problem in [([{"kind": "decision", "outcome": "原则通过"}], "needs span"),
                             ([{"kind": "decision", "span": [3, 999]}], "lies outside"),
                             ([{"kind": "assignment", "span": [0, 3]}], "needs its lead"),
                             ([{"kind": "decision", "span": [0, 3], "task": "x"}], "unknown field")]:
        path = _write(tmp_path, "bad.jsonl", [{**base, "entries": entries}])
        with pytest.raises(LedgerSetError, match=rf"bad\.jsonl:1: entry 1: .*{problem}"):
            load_ledger_sets([path], corpus)
    with pytest.raises(LedgerSetError, match="needs the corpus root"):
        load_ledger_sets([_write(tmp_path, "b.jsonl", [{**base, "entries": []}])])


CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not (CORPUS / "dev").is_dir(), reason="the dev corpus (../shared/corpus/dev) is not on this machine")
@pytest.mark.parametrize("structure_set, ledger_set", [("structure_dev_zh.jsonl", "ledger_dev_zh_styles.jsonl")])
def test_the_dev_style_labels_read_against_the_corpus(structure_set: str, ledger_set: str) -> None:
    structure = load_structure_sets([REPO / "eval" / structure_set], CORPUS)
    ledger = load_ledger_sets([REPO / "eval" / ledger_set], CORPUS)
    per_style: dict[str, int] = {}
    for m in structure:
        per_style[m.style] = per_style.get(m.style, 0) + 1
        starts = [it.start for it in m.items]
        assert starts == sorted(starts), m.id  # items in document order
    assert min(per_style.values()) >= 10 and len(per_style) == 4
    assert {m.file for m in ledger} == {m.file for m in structure}
    for m in ledger:
        for lb in m.entries:
            assert lb.span and not m.raw[lb.span[0]:lb.span[1]].isspace(), m.id
