"""The .docx, .pdf, .html and .md readers: the same minute in each format gives the
same paragraphs and the same metadata; broken files give a ParseError."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from parse_builders import (  # noqa: E402
    SMALL_MINUTE,
    SMALL_MINUTE_PARAGRAPHS,
    small_minute_html,
    write_blank_pdf,
    write_docx,
    write_pdf,
)

from minutes_rag.errors import ParseError  # noqa: E402
from minutes_rag.parse import load_minute, parse_document  # noqa: E402
from minutes_rag.parse.html import read_html  # noqa: E402

EXPECTED_META = dict(  # noqa: C408 - reads as the MinuteMeta fields it checks
    body="江城市人民政府",
    title="江城市人民政府常务会议纪要",
    doc_number="〔2021〕5号",
    meeting_number=12,
    date="2021-03-08",
    chair="王大明",
    attendees=("王大明", "李小红", "赵志刚"),
    recorder="吴芳",
    issue_date="2021-03-10",
)


def assert_small_minute_meta(meta) -> None:
    for field, value in EXPECTED_META.items():
        assert getattr(meta, field) == value, field
    assert [(o.org, o.name) for o in meta.observers] == [
        ("", "孙建国"), ("市住建局", "周晓东"), ("市水利局", "钱立新")
    ]


def test_txt_reference(tmp_path: Path) -> None:
    p = tmp_path / "m.txt"
    p.write_text(SMALL_MINUTE, encoding="utf-8")
    assert_small_minute_meta(load_minute(p).meta)


def test_docx_paragraphs_in_order_with_blank_lines(tmp_path: Path) -> None:
    p = write_docx(tmp_path / "m.docx", SMALL_MINUTE_PARAGRAPHS)
    doc = parse_document(p, p.read_bytes())
    assert doc.text == "\n\n".join(SMALL_MINUTE_PARAGRAPHS)
    m = load_minute(p)
    assert m.text == SMALL_MINUTE
    assert_small_minute_meta(m.meta)


def test_docx_tables_and_empty_paragraphs(tmp_path: Path) -> None:
    paras = ["标题", "", "正文第一段。", "正文第二段。"]
    table = [["出席", "王大明"], ["列席", "市住建局周晓东"]]
    p = write_docx(tmp_path / "t.docx", paras, table=table, table_after=2)
    text = parse_document(p, p.read_bytes()).text
    # the table sits where it is in the document, one cell a paragraph; empty ones dropped
    assert text == "标题\n\n正文第一段。\n\n出席\n\n王大明\n\n列席\n\n市住建局周晓东\n\n正文第二段。"


def test_docx_merged_cells_once(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    a = t.cell(0, 0).merge(t.cell(0, 2))
    a.text = "合并单元格"
    t.cell(1, 0).text = "甲"
    t.cell(1, 2).text = "丙"
    p = tmp_path / "merged.docx"
    d.save(str(p))
    assert parse_document(p, p.read_bytes()).text == "合并单元格\n\n甲\n\n丙"


def test_corrupt_docx(tmp_path: Path) -> None:
    p = tmp_path / "bad.docx"
    p.write_bytes(b"PK\x03\x04 this is not a zip" * 10)
    with pytest.raises(ParseError) as info:
        load_minute(p)
    assert "not a valid .docx" in info.value.problem


def test_pdf_pages_joined_by_blank_line(tmp_path: Path) -> None:
    half = len(SMALL_MINUTE_PARAGRAPHS) // 2
    pages = [SMALL_MINUTE_PARAGRAPHS[:half], SMALL_MINUTE_PARAGRAPHS[half:]]
    p = write_pdf(tmp_path / "m.pdf", pages)
    text = parse_document(p, p.read_bytes()).text
    page_texts = text.split("\n\n")
    assert len(page_texts) == 2
    assert page_texts[0].split("\n") == pages[0]
    assert page_texts[1].split("\n") == pages[1]
    assert_small_minute_meta(load_minute(p).meta)


def test_pdf_without_text(tmp_path: Path) -> None:
    p = write_blank_pdf(tmp_path / "scan.pdf")
    with pytest.raises(ParseError) as info:
        load_minute(p)
    assert info.value.problem == "PDF has no extractable text (scanned?)"


def test_corrupt_pdf(tmp_path: Path) -> None:
    p = tmp_path / "bad.pdf"
    p.write_bytes(b"%PDF-1.4\n garbage garbage\n%%EOF\n")
    with pytest.raises(ParseError) as info:
        load_minute(p)
    assert "PDF" in info.value.problem


def test_html_visible_text_only(tmp_path: Path) -> None:
    p = tmp_path / "m.html"
    p.write_text(small_minute_html(), encoding="utf-8")
    text = parse_document(p, p.read_bytes()).text
    assert not re.search(r"[<>]", text)
    for hidden in ("脚本文字", "样式文字", "首页", "信息公开", "注释", "江城市政府网"):
        assert hidden not in text
    paragraphs = text.split("\n\n")
    assert paragraphs[: len(SMALL_MINUTE_PARAGRAPHS)] == SMALL_MINUTE_PARAGRAPHS
    assert paragraphs[-1] == "版权所有：江城市人民政府办公室"
    assert_small_minute_meta(load_minute(p).meta)


def test_html_gbk_declared_in_meta(tmp_path: Path) -> None:
    p = tmp_path / "m.htm"
    p.write_bytes(small_minute_html("gb2312").encode("gbk"))
    doc = parse_document(p, p.read_bytes())
    assert doc.encoding == "gb18030"
    assert doc.text.split("\n\n")[0] == "江城市人民政府常务会议纪要"


def test_html_gbk_without_declaration_is_detected(tmp_path: Path) -> None:
    p = tmp_path / "m.html"
    p.write_bytes("<html><body><p>会议纪要</p><p>第二段</p></body></html>".encode("gbk"))
    doc = parse_document(p, p.read_bytes())
    assert (doc.text, doc.encoding) == ("会议纪要\n\n第二段", "gb18030")


def test_html_inline_and_breaks(tmp_path: Path) -> None:
    html = (
        "<div>出席：<b>王大明</b> <span>李小红</span></div>"
        "<p>第一行<br>第二行<br/>第三行</p>"
        "<p>安全\n        生产工作</p>"
        "<table><tr><td>市住建局</td><td>周晓东</td></tr><tr><td>市水利局</td><td>钱立新</td></tr></table>"
        "<ul><li>一、甲</li><li>二、乙</li></ul>"
        "<pre>  保留\n  换行</pre>"
    )
    doc = read_html(html.encode("utf-8"), "x.html")
    assert doc.text.split("\n\n") == [
        "出席：王大明 李小红",
        "第一行\n第二行\n第三行",
        "安全生产工作",  # a source line break between Chinese characters is no space
        "市住建局 周晓东",
        "市水利局 钱立新",
        "一、甲",
        "二、乙",
        "保留\n换行",
    ]


def test_html_only_script_has_no_text(tmp_path: Path) -> None:
    p = tmp_path / "empty.html"
    p.write_text("<html><head><script>alert(1)</script></head><body> </body></html>", encoding="utf-8")
    with pytest.raises(ParseError) as info:
        load_minute(p)
    assert info.value.problem == "document has no text"


def test_markdown(tmp_path: Path) -> None:
    md = "# " + SMALL_MINUTE_PARAGRAPHS[0] + "\n\n" + "\n\n".join(
        ("### " + x) if x.startswith(("一、", "二、")) else x for x in SMALL_MINUTE_PARAGRAPHS[1:]
    ) + "\n"
    p = tmp_path / "m.md"
    p.write_text(md, encoding="utf-8")
    m = load_minute(p)
    assert m.text == SMALL_MINUTE
    assert_small_minute_meta(m.meta)
