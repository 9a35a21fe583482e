"""OCR of scanned minutes: real minutes from the corpus rendered at run time as noisy,
skewed, image-only PDFs (``minutes_rag.evaluation.scans``: blur, grey noise, speckles, up to
0.8 degrees of skew), read back by the ingest path (``load_minute`` with OCR), and scored:
pages per second, the character error rate over Han characters, letters and digits, and the
share of sections whose start page is right. Renderings go to a temporary folder and are
deleted: no rendering of corpus text is kept. Prints a table.

    .venv/bin/python bench/bench_ocr.py [--zh-pages 10] [--en-pages 4] [--workers 2]
    .venv/bin/python bench/bench_ocr.py --text-pdfs 30   # text-layer PDFs only: load time

The default set: Chinese, five minutes: the Suzhou minute (its first 4 pages) and the longest file
of four Chinese dev styles (up to 2 pages each), ten pages in all; English, the Portland
minute and the longest Boston licensing-board minute (2 pages each).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
ZH = [("zh/suzhou_changwu_2020-21.txt", 4)] + [
    (f"dev/zh/{style}", 2)
    for style in ("gov_exec_readout", "department_meeting_readout", "party_people_congress_cppcc_readout",
                  "state_council_readout")
]
EN = [("en/portland_council_2011-01-12_official_minutes.txt", 2), ("dev/en/licensing_board_voting_minutes", 2)]


def _file(rel: str) -> Path:
    """The file, or a style folder's longest file (so that it runs over a page break)."""
    p = CORPUS / rel
    return p if p.is_file() else max(sorted(p.glob("*.txt")), key=lambda f: f.stat().st_size)


def ocr_rows(docs: list[tuple[str, int]], budget: int, workers: int, work: Path) -> list[dict]:
    from minutes_rag.evaluation.scans import page_cer, render_scan, start_pages
    from minutes_rag.parse import load_minute
    from minutes_rag.parse.ocr.run import OcrOptions
    from minutes_rag.present import minute_json
    from minutes_rag.split import split_minute

    rows = []
    for n, (rel, pages) in enumerate(docs):
        pages = min(pages, budget)
        if pages <= 0:
            break
        path = _file(rel)
        source = load_minute(path)
        rendered = render_scan(source.text, work / f"scan{n}.pdf", seed=n, max_pages=pages)
        budget -= len(rendered.page_texts)
        t0 = time.perf_counter()
        scan = load_minute(rendered.pdf, ocr=OcrOptions(workers=workers))
        seconds = time.perf_counter() - t0
        edits, chars = page_cer(rendered, scan.text, [p.start for p in scan.pages])
        right, total = start_pages(
            rendered, minute_json(source, split_minute(source))["sections"], minute_json(scan, split_minute(scan))["sections"]
        )
        rows.append({"file": path.name, "pages": len(rendered.page_texts), "s": seconds, "edits": edits, "chars": chars,
                     "right": right, "sections": total, "warnings": len(scan.warnings)})
        sys.stderr.write(f"  {path.name}: {rows[-1]}\n")
    return rows


def text_pdf_seconds(count: int, work: Path) -> tuple[float, int]:
    """Best of three: seconds to load ``count`` text-layer PDFs of corpus minutes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from minutes_rag.parse import load_minute

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    files = sorted((CORPUS / "dev").rglob("*.txt"))[:: max(1, 366 // count)][:count]
    pdfs = []
    for i, f in enumerate(files):
        lines = [ln[j : j + 40] for ln in f.read_text(encoding="utf-8").splitlines() for j in range(0, max(len(ln), 1), 40)]
        pdf = work / f"text{i}.pdf"
        c = canvas.Canvas(str(pdf), pagesize=A4)
        for k in range(0, len(lines), 45):
            c.setFont("STSong-Light", 10)
            for m, ln in enumerate(lines[k : k + 45]):
                c.drawString(40, 800 - 17 * m, ln)
            c.showPage()
        c.save()
        pdfs.append(pdf)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for pdf in pdfs:
            load_minute(pdf)
        best = min(best, time.perf_counter() - t0)
    return best, len(pdfs)


def _table(name: str, rows: list[dict]) -> str:
    out = [f"| {name} | pages | s | pages/s | CER (Han, letters, digits) | sections, right start page | warnings |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows + [_total(rows)]:
        out.append(
            f"| {r['file']} | {r['pages']} | {r['s']:.1f} | {r['pages'] / r['s']:.3f} | "
            f"{100 * r['edits'] / max(r['chars'], 1):.2f}% ({r['edits']}/{r['chars']}) | "
            f"{r['right']}/{r['sections']} ({100 * r['right'] / max(r['sections'], 1):.0f}%) | {r['warnings']} |"
        )
    return "\n".join(out)


def _total(rows: list[dict]) -> dict:
    keys = ("pages", "s", "edits", "chars", "right", "sections", "warnings")
    return {"file": "**all**", **{k: sum(r[k] for r in rows) for k in keys}}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--zh-pages", type=int, default=10)
    ap.add_argument("--en-pages", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--text-pdfs", type=int, default=0, help="only time loading this many text-layer PDFs")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-ocr-"))
    try:
        if args.text_pdfs:
            seconds, n = text_pdf_seconds(args.text_pdfs, work)
            sys.stdout.write(f"text-layer PDFs: {n} loaded in {seconds:.3f} s (best of 3)\n")
            return 0
        for name, docs, budget in (("zh", ZH, args.zh_pages), ("en", EN, args.en_pages)):
            if budget > 0:
                rows = ocr_rows(docs, budget, args.workers, work)
                sys.stdout.write(_table(name, rows) + "\n\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
