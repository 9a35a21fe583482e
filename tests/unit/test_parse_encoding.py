"""Encoding detection for .txt/.md: every encoding real archives use gives the same text."""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from parse_builders import SMALL_MINUTE  # noqa: E402

from minutes_rag.parse import load_minute, parse_document  # noqa: E402
from minutes_rag.parse.encoding import DecodeProblem, decode_bytes  # noqa: E402
from minutes_rag.parse.normalize import normalize_text  # noqa: E402

CASES = [
    ("utf-8", SMALL_MINUTE.encode("utf-8"), "utf-8"),
    ("utf-8-bom", codecs.BOM_UTF8 + SMALL_MINUTE.encode("utf-8"), "utf-8-sig"),
    ("gbk", SMALL_MINUTE.encode("gbk"), "gb18030"),
    ("gb18030", SMALL_MINUTE.encode("gb18030"), "gb18030"),
    ("utf-16-le-bom", codecs.BOM_UTF16_LE + SMALL_MINUTE.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be-bom", codecs.BOM_UTF16_BE + SMALL_MINUTE.encode("utf-16-be"), "utf-16-be"),
    ("utf-16-le", SMALL_MINUTE.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be", SMALL_MINUTE.encode("utf-16-be"), "utf-16-be"),
    ("utf-16 (python, BOM)", SMALL_MINUTE.encode("utf-16"), "utf-16-le"),
    ("crlf gbk", SMALL_MINUTE.replace("\n", "\r\n").encode("gbk"), "gb18030"),
]


@pytest.mark.parametrize("label,data,encoding", CASES, ids=[c[0] for c in CASES])
def test_each_encoding_gives_the_same_text(tmp_path: Path, label: str, data: bytes, encoding: str) -> None:
    p = tmp_path / "m.txt"
    p.write_bytes(data)
    doc = parse_document(p, data)
    assert doc.encoding == encoding
    assert doc.text.replace("\r\n", "\n").lstrip("\ufeff") == SMALL_MINUTE
    m = load_minute(p)
    assert m.text == normalize_text(SMALL_MINUTE)
    assert m.meta.doc_number == "〔2021〕5号"


def test_gb18030_only_characters() -> None:
    # 𠮷 (U+20BB7) and 㐀 (U+3400) exist in GB18030 but not in GBK
    text = "会议由𠮷㐀同志记录。\n" * 5
    data = text.encode("gb18030")
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    assert decode_bytes(data) == (text, "gb18030")


def test_gbk_is_not_mistaken_for_utf8() -> None:
    data = "苏州市人民政府常务会议纪要".encode("gbk")
    text, enc = decode_bytes(data)
    assert (text, enc) == ("苏州市人民政府常务会议纪要", "gb18030")


def test_markdown_in_gbk_strips_heading_markers(tmp_path: Path) -> None:
    p = tmp_path / "m.md"
    p.write_bytes("# 江城市人民政府常务会议纪要\n\n## 一、审议方案 ##\n\n正文 #1 不动\n".encode("gbk"))
    doc = parse_document(p, p.read_bytes())
    assert doc.text == "江城市人民政府常务会议纪要\n\n一、审议方案\n\n正文 #1 不动\n"
    assert doc.encoding == "gb18030"


def test_big5_falls_back_to_charset_normalizer() -> None:
    text = "會議紀要：蘇州市人民政府常務會議，會議聽取了市應急局關於安全生產的彙報。"
    assert decode_bytes(text.encode("big5")) == (text, "big5")


@pytest.mark.parametrize(
    "data,problem",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "binary file, not text (NUL bytes)"),
        (b"%PDF-1.4\n" + bytes(range(256)) * 4, "binary file, not text (NUL bytes)"),
        (b"abc\x01\x02\x03\x04\x05\x06\x07\x08" * 40, "binary file, not text (control characters)"),
        (b"\x80" * 200, "cannot decode text: not UTF-8, UTF-16 or GB18030"),
        (("会议".encode() + b"\xff\x80\xfe") * 30, "cannot decode text: not UTF-8, UTF-16 or GB18030"),
    ],
    ids=["png", "pdf-bytes", "controls", "high-bytes", "corrupt-utf8"],
)
def test_not_text(data: bytes, problem: str) -> None:
    with pytest.raises(DecodeProblem) as info:
        decode_bytes(data)
    assert str(info.value) == problem


def test_utf16_with_odd_length_is_binary() -> None:
    data = "会议纪要 2020\n".encode("utf-16-le") + b"\x00"
    with pytest.raises(DecodeProblem):
        decode_bytes(data)
