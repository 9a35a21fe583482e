"""Ingest the real minutes with the real bundled model and a real embedded Chroma."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings

sys.path.insert(0, str(Path(__file__).parent))
from counting import CountingEmbedder  # noqa: E402

pytestmark = pytest.mark.integration

ZH_LABELS = [
    "一", "一（一）", "一（二）", "一（三）", "二", "二（一）", "二（二）", "二（三）", "三",
    "四", "四（一）", "四（二）", "四（三）", "五", "五（一）", "五（二）", "五（三）",
]


def _renderings(src: Path, out: Path) -> list[Path]:
    """GBK, UTF-16, .docx, .pdf and .html copies of a minute, made here."""
    text = src.read_text(encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    (out / "gbk.txt").write_bytes(text.encode("gbk"))
    (out / "utf16.txt").write_bytes(text.encode("utf-16"))
    paragraphs = text.split("\n")

    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    d.save(str(out / "rendered.docx"))

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(out / "rendered.pdf"), pagesize=A4)
    c.setFont("STSong-Light", 10)
    y = 800
    for p in paragraphs:
        # wrap long paragraphs the way a page does
        chunks = [p[i : i + 45] for i in range(0, len(p), 45)] or [""]
        for chunk in chunks:
            if y < 50:
                c.showPage()
                c.setFont("STSong-Light", 10)
                y = 800
            c.drawString(40, y, chunk)
            y -= 14
    c.save()

    import html

    body = "".join(f"<p>{html.escape(p)}</p>" if p.strip() else "" for p in paragraphs)
    (out / "rendered.html").write_text(
        f"<html><head><title>纪要</title><style>p{{}}</style></head><body>{body}</body></html>", encoding="utf-8"
    )
    return [out / n for n in ("gbk.txt", "utf16.txt", "rendered.docx", "rendered.pdf", "rendered.html")]


def _item_labels(a: Assistant, minute_id: str) -> list[str]:
    seen: list[str] = []
    for s in a.index.sections_of(minute_id):
        if s.kind == "item" and s.label not in seen:
            seen.append(s.label)
    return seen


def test_real_minutes_ingest_split_and_rerun(tmp_path: Path, suzhou_path: Path, portland_path: Path, bundled_embedder) -> None:
    emb = CountingEmbedder(bundled_embedder)
    a = Assistant(Settings.load(env={}, data_dir=str(tmp_path / "data")), embedder=emb)
    report = a.ingest([suzhou_path, portland_path])
    assert report.failed == 0 and report.added == 2, report.errors

    sz = a.index.resolve_minute("〔2020〕21号")
    meta = a.index.meta(sz)
    assert (meta.doc_number, meta.meeting_number, meta.date, meta.chair, meta.recorder) == (
        "〔2020〕21号", 102, "2020-06-30", "李亚平", "栗涛",
    )
    assert len(meta.attendees) == 9
    assert any(o.org == "市住建局" and o.name == "张伟" for o in meta.observers)
    assert _item_labels(a, sz) == ZH_LABELS
    sections = a.index.sections_of(sz)
    kinds = {s.kind for s in sections}
    assert {"preamble", "closing", "attendance"} <= kinds
    assert any(s.kind == "closing" and "学法" in s.text for s in sections)
    minute = a.index.minute(sz)
    for s in sections:
        assert minute.text[s.start : s.end] == s.text
        for artefact in ("安\n\n全生产", "风\n\n险隐患", "试\n\n点工作"):
            assert artefact not in s.text

    pdx = [m for m in a.list_minutes() if m["minute_id"] != sz][0]["minute_id"]
    labels = _item_labels(a, pdx)
    for n in range(38, 62):
        assert str(n) in labels
    assert a.index.meta(pdx).date == "2011-01-12"

    # the vectors are the real model's, and Chroma holds exactly SQLite's sections
    assert a.store.count() == a.index.section_count()
    assert emb.calls == a.index.section_count()

    # re-running embeds nothing
    b_emb = CountingEmbedder(bundled_embedder)
    b = Assistant(Settings.load(env={}, data_dir=str(tmp_path / "data")), embedder=b_emb)
    again = b.ingest([suzhou_path, portland_path])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert b_emb.calls == 0


def test_other_encodings_and_formats_split_into_the_same_labels(tmp_path: Path, suzhou_path: Path, bundled_embedder) -> None:
    files = _renderings(suzhou_path, tmp_path / "renderings")
    a = Assistant(Settings.load(env={}, data_dir=str(tmp_path / "data")), embedder=bundled_embedder)
    report = a.ingest([suzhou_path, *files])
    assert report.failed == 0, report.errors
    by_source = {m["source"]: m["minute_id"] for m in a.list_minutes()}
    reference = _item_labels(a, by_source[str(suzhou_path.resolve())])
    assert reference == ZH_LABELS
    for f in files:
        mid = by_source[str(f.resolve())]
        assert _item_labels(a, mid) == ZH_LABELS, f.name
        assert a.index.meta(mid).doc_number == "〔2020〕21号", f.name
    # GBK and UTF-16 copies give the very same sections
    ref_texts = [s.text for s in a.index.sections_of(by_source[str(suzhou_path.resolve())])]
    for name in ("gbk.txt", "utf16.txt"):
        mid = by_source[str((tmp_path / "renderings" / name).resolve())]
        assert [s.text for s in a.index.sections_of(mid)] == ref_texts
