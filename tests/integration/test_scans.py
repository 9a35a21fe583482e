"""Scanned minutes end to end with the real OCR model and the real bundled embedder, through
the CLI's JSON: a real Chinese minute rendered at run time as a noisy, skewed, image-only
PDF (``evaluation.scans``) is ingested like a text file; its text is read with a low error
rate, its sections name the page they start on, a question answered from page 2 cites page
2, and ingesting the unchanged scan again (or a copy of it) reads no page again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from minutes_rag.evaluation.scans import cer, render_scan, start_pages
from minutes_rag.parse import load_minute
from minutes_rag.present import minute_json
from minutes_rag.split import split_minute

pytestmark = [pytest.mark.integration]

REPO = Path(__file__).resolve().parents[2]
PAGES = 3  # the minute's first three pages: what OCR costs on two shared cores


@pytest.fixture(scope="module")
def scan(tmp_path_factory, suzhou_path: Path):
    folder = tmp_path_factory.mktemp("scans")
    source = load_minute(suzhou_path)
    rendered = render_scan(source.text, folder / "suzhou_scan.pdf", seed=18, max_pages=PAGES)
    data = tmp_path_factory.mktemp("scan-data")
    env = {**os.environ, "MINUTES_RAG_DATA_DIR": str(data)}
    cli = [sys.executable, "-c", "import sys; from minutes_rag.cli import main; sys.exit(main())"]

    def call(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(cli + list(args), env=env, cwd=REPO, capture_output=True, text=True, timeout=1200)

    done = call("ingest", str(folder))
    assert done.returncode == 0, done.stderr
    truth = minute_json(source, split_minute(source))["sections"]
    return call, rendered, truth, folder, done


def test_the_scan_is_read_with_its_pages(scan) -> None:
    call, rendered, truth, _, done = scan
    assert f"{PAGES}/{PAGES} pages" in done.stderr  # the CLI's OCR progress
    listed = json.loads(call("minutes", "list", "--json").stdout)
    shown = json.loads(call("minutes", "show", listed[0]["minute_id"], "--json").stdout)
    assert shown["minute"]["doc_number"] == "〔2020〕21号"
    assert shown["minute"]["pages"] == PAGES
    sections = shown["sections"]
    assert all(isinstance(s["page"], int) and s["page"] <= s["page_end"] <= PAGES for s in sections)
    text = "".join(s["text"] for s in sections)  # sections cover the minute in order
    edits, chars = cer("\n".join(rendered.page_texts), text)
    assert chars > 1500 and edits / chars <= 0.03, (edits, chars)
    right, total = start_pages(rendered, truth, sections)
    assert total >= 8 and right / total >= 0.9, (right, total)


def test_an_answer_from_page_two_cites_page_two(scan) -> None:
    call, rendered, _, _, _ = scan
    # the answer (the unit that reported) was rendered on page 2
    assert "市应急局关于国务院江苏安全生产专项整治督导工作推进会议精神" in rendered.page_texts[1].replace("\n", "")
    done = call("ask", "国务院江苏安全生产专项整治督导工作推进会议精神由哪个部门汇报？", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert "市应急局" in out["answer"]
    cited = [c for c in out["citations"] if "市应急局" in c["quote"]]
    assert cited and all(c["page"] == 2 for c in cited), out["citations"]


def test_ingesting_the_unchanged_scan_or_a_copy_reads_no_page_again(scan) -> None:
    call, _, _, folder, _ = scan
    scan_file = folder / "suzhou_scan.pdf"
    os.utime(scan_file)  # touched: the content hash decides
    shutil.copy(scan_file, folder / "suzhou_scan_copy.pdf")
    done = call("ingest", str(folder), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["minutes"]["unchanged"] == 1 and report["minutes"]["added"] == 1
    assert "OCR" not in done.stderr
