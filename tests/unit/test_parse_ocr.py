"""Scans: OCR lines -> page text (reading order, joins, paragraphs), the page map kept through
normalisation, the OCR cache by file hash, low-confidence pages reported. A fake engine
stands in for the model here; tests/integration/test_scans.py runs the real one."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from minutes_rag.errors import ParseError
from minutes_rag.model import PageSpan
from minutes_rag.pages import page_at, pages_json
from minutes_rag.parse import load_minute
from minutes_rag.parse.normalize import normalize_pages, normalize_text
from minutes_rag.parse.ocr import OcrLine, OcrPage
from minutes_rag.parse.ocr.layout import page_text
from minutes_rag.parse.ocr.pages import PageSource
from minutes_rag.parse.ocr.run import OcrOptions, low_confidence_warnings, ocr_pages
from minutes_rag.parse.ocr.tesseract import parse_tsv

W, H = 1000, 1400


def line(text: str, x0: float, y0: float, x1: float, conf: float = 0.99, h: float = 30) -> OcrLine:
    return OcrLine(text, (x0, y0, x1, y0 + h), conf)


# -- layout -------------------------------------------------------------------------------
def test_chinese_rows_of_a_paragraph_join_without_space_and_an_indent_starts_a_paragraph() -> None:
    lines = [
        line("会议听取了市发改委关于项目推进情况的汇", 160, 200, 900),
        line("报，原则同意。", 100, 245, 330),
        line("二、审议方案", 100, 290, 320),
        line("会议原则同意该方案。", 160, 335, 500),
    ]
    assert page_text(lines, W, H) == "会议听取了市发改委关于项目推进情况的汇报，原则同意。\n\n二、审议方案\n\n会议原则同意该方案。"


def test_english_hyphenation_is_repaired_and_words_get_one_space() -> None:
    lines = [
        line("The council voted unani-", 100, 200, 900),
        line("mously to adopt the report of the", 100, 245, 900),
        line("committee.", 100, 290, 260),
    ]
    assert page_text(lines, W, H) == "The council voted unanimously to adopt the report of the committee."


def test_two_columns_are_read_left_column_first_below_a_full_width_title() -> None:
    lines = [
        line("Minutes of the Regular Meeting", 200, 100, 800),
        line("right one", 560, 200, 940),
        line("left one", 60, 200, 440),
        line("right two.", 560, 245, 700),
        line("left two.", 60, 245, 200),
    ]
    text = page_text(lines, W, H)
    assert text.split("\n\n") == ["Minutes of the Regular Meeting", "left one left two.", "right one right two."]


def test_low_confidence_lines_stay_out_of_the_text_but_count_in_the_page_confidence() -> None:
    lines = [line("会议原则同意该方案。", 100, 200, 500), line("@#~", 100, 400, 300, conf=0.1)]
    assert page_text(lines, W, H) == "会议原则同意该方案。"
    page = OcrPage(W, H, tuple(lines))
    assert page.confidence < 0.9
    warnings = low_confidence_warnings("scan.pdf", {0: page, 1: OcrPage(W, H, (lines[0],))}, 0.9)
    assert warnings == [warnings[0]] and warnings[0].startswith("scan.pdf: page 1: OCR read it with low confidence")


def test_a_page_number_in_the_foot_stays_a_line_of_its_own_and_is_dropped_by_normalisation() -> None:
    lines = [line("会议原则同意该方案，请市住建局牵头组织实施", 100, 200, 900), line("-3-", 480, 1320, 520)]
    text = page_text(lines, W, H)
    assert text.endswith("\n\n-3-")
    assert "3" not in normalize_text(text)


# -- the page map -------------------------------------------------------------------------
def test_normalize_pages_keeps_where_each_page_starts_and_its_printed_number() -> None:
    pages = ["苏州市人民政府常务会议纪要\n\n一、会议听取了汇报。\n\n- 1 -", "二、会议审议了方案。\n\n第 2 页 共 3 页", "", "三、其他事项。"]
    out = normalize_pages(pages)
    assert out.text == normalize_text("\n\n".join(pages))
    assert out.text[out.starts[1]:].startswith("二、会议审议了方案。")
    assert out.text[out.starts[3]:].startswith("三、其他事项。")
    assert out.starts[2] == out.starts[3]  # an empty page starts where the next one does
    assert out.printed == ("1", "2", "", "")


def test_a_sentence_cut_by_a_page_break_is_joined_and_page_two_starts_inside_it() -> None:
    first = "（一）会议认为，" + "推进城市安全发展是重要政治任务，" * 3 + "各地各部门要"
    pages = [first, "认真落实市委、市政府的部署要求。\n\n（二）会议强调。"]
    out = normalize_pages(pages)
    assert "各地各部门要认真落实" in out.text  # the page-break repair joined them
    assert out.text[out.starts[1]:].startswith("认真落实")


def test_page_lookup_and_section_page_fields() -> None:
    pages = (PageSpan(1, 0, ""), PageSpan(2, 100, "1"), PageSpan(3, 250, "2"))
    assert page_at(pages, 99) == pages[0] and page_at(pages, 100) == pages[1]
    assert pages_json(pages, 120, 260) == {"page": 2, "page_end": 3, "printed_page": "1"}
    assert pages_json(pages, 0, 100) == {"page": 1, "page_end": 1, "printed_page": None}
    assert pages_json((), 0, 10) == {"page": None, "page_end": None, "printed_page": None}


# -- a scanned PDF end to end, with a fake engine -----------------------------------------
class ScriptedEngine:
    """Returns the next page's lines on each call; counts the calls."""

    name = "scripted-1"

    def __init__(self, pages: list[list[OcrLine]]) -> None:
        self.pages = pages
        self.calls = 0

    def read(self, image: Image.Image) -> list[OcrLine]:
        self.calls += 1
        return self.pages[(self.calls - 1) % len(self.pages)]


SCAN_PAGES = [
    [
        line("苏州市人民政府常务会议纪要", 250, 150, 750),
        line("〔2020〕21号", 400, 220, 600),
        line("一、会议听取了市应急局关于安全生产专项整治的汇报", 100, 300, 900),
        line("-1-", 480, 1320, 520),
    ],
    [
        line("二、审议《苏州市政策性租赁住房试点工作方案》", 100, 150, 900),
        line("会议原则同意该方案，由市住建局修改完善后印发。", 160, 200, 900),
        line("-2-", 480, 1320, 520),
    ],
]


def image_pdf(path: Path, pages: int) -> Path:
    images = [Image.new("L", (W // 2, H // 2), 255) for _ in range(pages)]
    images[0].save(path, format="PDF", save_all=True, append_images=images[1:])
    return path


def test_an_image_only_pdf_is_read_by_ocr_with_its_page_map(tmp_path: Path) -> None:
    pdf = image_pdf(tmp_path / "scan.pdf", 2)
    engine = ScriptedEngine(SCAN_PAGES)
    minute = load_minute(pdf, ocr=OcrOptions(engine=engine, cache_dir=str(tmp_path / "cache")))
    assert minute.meta.doc_number == "〔2020〕21号"
    assert [p.page for p in minute.pages] == [1, 2]
    assert [p.printed for p in minute.pages] == ["1", "2"]
    assert minute.text[minute.pages[1].start:].startswith("二、审议《苏州市政策性租赁住房试点工作方案》")
    assert "-1-" not in minute.text and "-2-" not in minute.text
    assert minute.warnings == ()


def test_reading_an_unchanged_scan_again_does_no_ocr(tmp_path: Path) -> None:
    pdf = image_pdf(tmp_path / "scan.pdf", 2)
    engine = ScriptedEngine(SCAN_PAGES)
    options = OcrOptions(engine=engine, cache_dir=str(tmp_path / "cache"))
    first = load_minute(pdf, ocr=options)
    assert engine.calls == 2
    again = load_minute(pdf, ocr=options)
    assert engine.calls == 2  # from the cache
    assert again.text == first.text and again.pages == first.pages
    other = ScriptedEngine(SCAN_PAGES)
    other.name = "scripted-2"  # another model reads again
    load_minute(pdf, ocr=OcrOptions(engine=other, cache_dir=str(tmp_path / "cache")))
    assert other.calls == 2


def test_progress_reports_pages_done_of_all(tmp_path: Path) -> None:
    pdf = image_pdf(tmp_path / "scan.pdf", 2)
    seen: list[tuple[int, int]] = []
    options = OcrOptions(engine=ScriptedEngine(SCAN_PAGES), progress=lambda d, t, p, r: seen.append((d, t)))
    ocr_pages(PageSource("pdf", pdf.read_bytes(), str(pdf)), [0, 1], options)
    assert seen == [(1, 2), (2, 2)]


def test_a_low_confidence_page_is_a_warning_naming_file_and_page(tmp_path: Path) -> None:
    pdf = image_pdf(tmp_path / "scan.pdf", 2)
    doubtful = [line(ln.text, *ln.box[:3], conf=0.55) for ln in SCAN_PAGES[1]]
    minute = load_minute(pdf, ocr=OcrOptions(engine=ScriptedEngine([SCAN_PAGES[0], doubtful])))
    assert len(minute.warnings) == 1
    assert minute.warnings[0].startswith(f"{pdf}: page 2: OCR read it with low confidence (0.55")
    assert "二、审议" in minute.text  # reported, not dropped


def test_a_scan_with_ocr_off_or_a_blank_scan_is_a_clear_error(tmp_path: Path) -> None:
    pdf = image_pdf(tmp_path / "scan.pdf", 1)
    with pytest.raises(ParseError, match="no extractable text"):
        load_minute(pdf)
    with pytest.raises(ParseError, match="OCR found no text"):
        load_minute(pdf, ocr=OcrOptions(engine=ScriptedEngine([[]])))
    png = tmp_path / "page.png"
    Image.new("L", (100, 100), 255).save(png)
    with pytest.raises(ParseError, match="OCR is off"):
        load_minute(png)


def test_a_multi_page_tiff_is_a_multi_page_minute(tmp_path: Path) -> None:
    tif = tmp_path / "scan.tif"
    frames = [Image.new("L", (W // 2, H // 2), 255) for _ in range(2)]
    frames[0].save(tif, save_all=True, append_images=frames[1:])
    minute = load_minute(tif, ocr=OcrOptions(engine=ScriptedEngine(SCAN_PAGES)))
    assert [p.page for p in minute.pages] == [1, 2]
    assert minute.text[minute.pages[1].start:].startswith("二、审议")


def test_tesseract_tsv_words_become_lines() -> None:
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "5\t1\t1\t1\t1\t1\t100\t200\t40\t30\t96\t会议",
        "5\t1\t1\t1\t1\t2\t140\t200\t80\t30\t90\t原则同意",
        "5\t1\t1\t1\t2\t1\t100\t250\t60\t30\t80\tCouncil",
        "5\t1\t1\t1\t2\t2\t170\t250\t60\t30\t70\tvoted",
        "4\t1\t1\t1\t3\t0\t0\t0\t0\t0\t-1\t",
    ]
    lines = parse_tsv("\n".join([head, *rows]))
    assert [(ln.text, ln.box) for ln in lines] == [("会议原则同意", (100, 200, 220, 230)), ("Council voted", (100, 250, 230, 280))]
    assert lines[0].confidence == pytest.approx(0.93)


def test_docx_explicit_page_breaks_give_the_page_map(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("苏州市人民政府常务会议纪要")
    d.add_paragraph("一、会议听取了汇报。")
    d.add_page_break()
    d.add_paragraph("二、会议审议了方案。")
    third = d.add_paragraph("三、其他事项。")
    third.paragraph_format.page_break_before = True
    path = tmp_path / "m.docx"
    d.save(str(path))
    minute = load_minute(path)
    assert [p.page for p in minute.pages] == [1, 2, 3]
    assert minute.text[minute.pages[1].start:].startswith("二、会议审议了方案。")
    assert minute.text[minute.pages[2].start:].startswith("三、其他事项。")
    plain = docx.Document()
    plain.add_paragraph("一、会议听取了汇报。")
    plain.save(str(tmp_path / "plain.docx"))
    assert load_minute(tmp_path / "plain.docx").pages == ()  # no explicit break: no page map


def test_a_text_pdf_with_a_blank_page_needs_no_ocr(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
    from parse_builders import write_pdf

    pdf = write_pdf(tmp_path / "m.pdf", [["一、会议听取了汇报。"], [], ["二、会议审议了方案。"]])
    engine = ScriptedEngine(SCAN_PAGES)
    minute = load_minute(pdf, ocr=OcrOptions(engine=engine))
    assert engine.calls == 0
    assert [p.page for p in minute.pages] == [1, 2, 3]
    assert minute.text[minute.pages[2].start:].startswith("二、")
