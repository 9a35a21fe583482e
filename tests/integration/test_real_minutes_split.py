"""split_minute on the two real minutes of the shared corpus (beside the repository, never
copied into it), and the split invariants on every minute there."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from split_checks import by_label as _by_label  # noqa: E402
from split_checks import check_invariants as _check_invariants  # noqa: E402
from split_checks import make_minute as _minute  # noqa: E402

from minutes_rag.model import Minute, Section  # noqa: E402
from minutes_rag.split import split_minute  # noqa: E402

pytestmark = pytest.mark.integration


# --------------------------------------------------------------------------- Suzhou


@pytest.fixture(scope="module")
def suzhou(suzhou_path: Path) -> tuple[Minute, list[Section]]:
    m = _minute(open(suzhou_path, encoding="utf-8").read(), "msuzhou")
    return m, split_minute(m)


def test_suzhou_labels(suzhou) -> None:
    m, secs = suzhou
    _check_invariants(m, secs)
    items = [s.label for s in secs if s.kind == "item" and s.part == 0]
    assert items == [
        "一", "一（一）", "一（二）", "一（三）",
        "二", "二（一）", "二（二）", "二（三）",
        "三",
        "四", "四（一）", "四（二）", "四（三）",
        "五", "五（一）", "五（二）", "五（三）",
    ]  # fmt: skip
    assert secs[0].kind == "preamble" and secs[0].label_path == ("导语",)
    assert "〔2020〕21号" in secs[0].text and "会议议定以下意见" in secs[0].text


def test_suzhou_titles_and_texts(suzhou) -> None:
    _, secs = suzhou
    by = _by_label(secs)
    assert by["四"].title == "审议《苏州市政策性租赁住房试点工作方案》"
    assert by["四"].text == "四、审议《苏州市政策性租赁住房试点工作方案》"
    assert by["四（一）"].title == by["四"].title  # a sub-item carries its item's title
    assert "由市住建局" in by["四（一）"].text
    assert by["一"].title == "安全生产专题宣讲：学习宣传贯彻习近平总书记关于安全生产重要论述，推进城市安全发展"
    assert by["三"].text.startswith("三、听取关于") and "会议听取了市资源规划局" in by["三"].text
    assert by["五（三）"].text.endswith("不想走，安心深耕苏州创新创业。")


def test_suzhou_closing_attendance_tail(suzhou) -> None:
    _, secs = suzhou
    kinds = [s.kind for s in secs]
    closing = [s for s in secs if s.kind == "closing"]
    assert len(closing) == 1 and "学法" in closing[0].text and closing[0].label_path == ("结尾",)
    att = "".join(s.text for s in secs if s.kind == "attendance")
    assert att.startswith("出席：") and "列席：" in att and "记录：栗涛" in att
    assert "市国资委、苏州工业园区、苏州军分区的代表" in att
    assert all(s.label_path == ("出席",) for s in secs if s.kind == "attendance")
    tail = [s for s in secs if s.kind == "tail"]
    assert tail[0].text.startswith("苏州市人民政府办公室整理") and tail[-1].text.endswith("2020年7月10日印发")
    assert kinds.index("closing") < kinds.index("attendance") < kinds.index("tail")
    assert "学法" not in by_text(secs, "五（三）")


def by_text(secs: list[Section], label: str) -> str:
    return "".join(s.text for s in secs if s.label == label)


def test_suzhou_no_page_break_inside_a_sentence(suzhou) -> None:
    _, secs = suzhou
    for s in secs:
        for broken in ("安\n\n全", "风\n\n险", "试\n\n点"):
            assert broken not in s.text
        for m in re.finditer(r"\n\n", s.text):
            before = s.text[: m.start()].rstrip()
            # a blank line may only follow the end of a sentence, a heading, or a list line
            assert before[-1] in "。：；）" or s.kind in ("preamble", "attendance", "tail") or s.kind == "item" and m.start() < 80, (s.label, before[-20:])


# --------------------------------------------------------------------------- Portland


@pytest.fixture(scope="module")
def portland(portland_path: Path) -> tuple[Minute, list[Section]]:
    m = _minute(open(portland_path, encoding="utf-8").read(), "mportland")
    return m, split_minute(m)


def test_portland_items(portland) -> None:
    m, secs = portland
    _check_invariants(m, secs)
    items = [s for s in secs if s.kind == "item"]
    assert [s.label for s in items] == [str(n) for n in range(38, 62)]
    by = _by_label(secs)
    assert by["56"].text.startswith("S-56 Accept a grant")
    assert by["42"].text.startswith("*42 Accept and appropriate")
    assert by["38"].title == "Request of Joe Rastatter to address Council regarding fair wages at PGE Park"
    assert "REFERRED TO COMMISSIONER OF FINANCE AND ADMINISTRATION" in by["47"].text
    assert "Lake Oswego" in by["47"].title
    # a page footer between items does not end up in the text
    assert "of 18" not in by["42"].text and "of 18" not in by["43"].text


def test_portland_preamble_closing_transcript(portland) -> None:
    _, secs = portland
    assert secs[0].kind == "preamble" and secs[0].label == "Preamble"
    assert "THOSE PRESENT WERE" in secs[0].text
    closing = [s for s in secs if s.kind == "closing"]
    assert len(closing) == 1 and closing[0].text.startswith("At 10:31 a.m. Council adjourned.")
    assert "adjourned" not in _by_label(secs)["61"].text
    tr = [s for s in secs if s.kind == "transcript"]
    assert len(tr) > 10 and all(s.label == "Transcript" for s in tr)
    assert tr[0].text.startswith("Closed Caption File") and [s.part for s in tr] == list(range(len(tr)))
    assert all(len(s.text) <= 700 for s in tr)
    # the transcript's "Item 38." mentions do not become items
    assert all(s.start < tr[0].start for s in secs if s.kind == "item")


def test_invariants_hold_for_every_corpus_minute(corpus: Path) -> None:
    files = sorted(p for p in corpus.rglob("*.txt"))
    assert files
    for p in files:
        text = p.read_text(encoding="utf-8")
        if not text.strip("\ufeff \n"):  # dev/en/fomc_minutes_flat/fomc_2003-04-01.txt is empty: ingest refuses it
            continue
        m = _minute(text, p.stem)
        for max_chars in (200, 700, 5000):
            _check_invariants(m, split_minute(m, max_chars=max_chars))
