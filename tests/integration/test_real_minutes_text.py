"""normalize_text on the real minutes of the shared corpus: page breaks and footers."""

from __future__ import annotations

import pytest

from minutes_rag.parse.normalize import normalize_text

pytestmark = pytest.mark.integration


def test_suzhou_minute_page_breaks_are_repaired(suzhou_path) -> None:
    out = normalize_text(suzhou_path.read_text(encoding="utf-8"))
    for broken in ("安\n\n全", "风\n\n险", "试\n\n点", "督导组\n\n反馈", "不想走，\n\n安心"):
        assert broken not in out
    for kept in ("常务会议纪要\n\n〔2020〕21号\n\n", "记录：栗涛\n\n苏州市人民政府办公室整理\n\n2020年7月9日\n\n（此件公开发布）"):
        assert kept in out
    # every blank-line separated block either ends a sentence or is a short standalone line
    for block in out.strip().split("\n\n"):
        last = block.rsplit("\n", 1)[-1]
        heading = block[:2] in ("一、", "二、", "三、", "四、", "五、")
        assert last[-1] in "。：）" or heading or len(last) <= 30, block[-40:]


def test_portland_minute_footers_are_removed(portland_path) -> None:
    out = normalize_text(portland_path.read_text(encoding="utf-8"))
    assert " of 18" not in out
    assert "\n*43 Authorize a $285,000 grant agreement" in out
    assert "(Y-5) 184349\n" in out


def test_normalize_is_idempotent(suzhou_path, portland_path) -> None:
    for p in (suzhou_path, portland_path):
        once = normalize_text(p.read_text(encoding="utf-8"))
        assert normalize_text(once) == once
