"""A scanned minute in the chat, in a real browser (Debian's chromium via Playwright): the
Suzhou minute rendered at run time as a noisy, skewed, image-only PDF is ingested with the
real OCR model and the real embedder; a question answered from page 2 shows a citation card
naming 第2页, and the source viewer opened from it names the page too."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_browser_ui import CHROMIUM, FLAGS, _ask, serve_app  # noqa: E402

from minutes_rag.evaluation.scans import render_scan  # noqa: E402
from minutes_rag.parse import load_minute  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.browser]

QUESTION = "国务院江苏安全生产专项整治督导工作推进会议精神由哪个部门汇报？"


def test_a_scanned_minute_cites_its_page_in_the_chat(tmp_path_factory, suzhou_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("chromium is missing: run scripts/system-deps.sh (apt-get install chromium)")
    folder = tmp_path_factory.mktemp("ui-scans")
    rendered = render_scan(load_minute(suzhou_path).text, folder / "suzhou_scan.pdf", seed=18, max_pages=3)
    assert "市应急局关于国务院江苏" in rendered.page_texts[1].replace("\n", "")  # the answer is on page 2
    with serve_app(tmp_path_factory.mktemp("ui-scan-data"), [folder], ingest_timeout=1200) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = browser.new_page(viewport={"width": 1500, "height": 950})
        pg.goto(url, wait_until="load")
        pg.locator("#question textarea").wait_for(timeout=60_000)
        _, _, turn = _ask(pg, QUESTION)
        assert "市应急局" in pg.locator(f"{turn} .answer-text").inner_text()
        cards = pg.locator(f"{turn} .cite-card")
        texts = [cards.nth(i).inner_text() for i in range(cards.count())]
        on_page_2 = [i for i, t in enumerate(texts) if "市应急局" in t]
        assert on_page_2 and all("第2页" in texts[i] for i in on_page_2), texts
        cards.nth(on_page_2[0]).click()
        pg.locator("#source-viewer mark#cite-mark").wait_for(timeout=30_000)
        assert "第2页" in pg.locator("#source-viewer .viewer-cite").inner_text()
        browser.close()
