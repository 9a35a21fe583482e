"""Following the ledger up in a real headless browser (Playwright + Debian's chromium) over
`python app.py` with auth on: an editor sets a task's status with a note in the ledger tab;
the state survives a re-ingest that re-extracts the ledger (the minute's stored extractor
version made stale, as an upgrade does); a read-only account (viewer_auth) changes nothing.
The real Suzhou minute, ingested by the real bundled model."""

from __future__ import annotations

import base64
import json
import re
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_browser_ui import CHROMIUM, FLAGS, REPO, serve_app  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.browser]

UNIT = "市住建局"
ROWS = "#ledger-table .virtual-body [role=row]"


def _login(browser, url: str, user: str, password: str):
    pg = browser.new_page(viewport={"width": 1500, "height": 1050})
    pg.goto(url, wait_until="load")
    pg.locator("input[type=password]").wait_for(timeout=60_000)
    pg.locator("input:not([type=password])").first.fill(user)
    pg.locator("input[type=password]").fill(password)
    pg.locator("input[type=password]").press("Enter")
    pg.locator("#question textarea").wait_for(timeout=60_000)
    return pg


def _list(pg) -> None:
    pg.locator("#tabs button[role=tab]", has_text="督办台账").click()
    pg.locator("#ledger-unit input, #ledger-unit textarea").first.fill(UNIT)
    pg.locator("#ledger-search").click()
    pg.wait_for_function("() => /共 \\d+ 条/.test(document.querySelector('#ledger-count').innerText)", timeout=60_000)
    pg.wait_for_function(f"() => document.querySelectorAll('{ROWS}').length >= 1", timeout=30_000)


def _cells(pg, row: int) -> list[str]:
    return [c.strip() for c in pg.locator(ROWS).nth(row).locator("[role=gridcell]").all_inner_texts()]


def _save(pg, status: str, note: str) -> str:
    pg.locator(ROWS).nth(0).locator("[role=gridcell]").nth(4).click()
    pg.locator("#ledger-detail").filter(has_text="状态").wait_for(timeout=30_000)
    pg.locator("#ledger-set-status input").click()
    pg.locator("[role=option]", has_text=status).first.click()
    pg.locator("#ledger-note textarea, #ledger-note input").first.fill(note)
    pg.locator("#ledger-save").click()
    # the answer is a sentence (a progress timer shows meanwhile)
    pg.wait_for_function("() => /。$/.test(document.querySelector('#ledger-save-msg').innerText.trim())", timeout=30_000)
    return pg.locator("#ledger-save-msg").inner_text().strip()


def _correct_lead(pg, lead: str) -> str:
    pg.locator(ROWS).nth(0).locator("[role=gridcell]").nth(4).click()
    pg.locator("#ledger-lead input, #ledger-lead textarea").first.fill(lead)
    pg.locator("#ledger-save").click()
    pg.wait_for_function("() => /。$/.test(document.querySelector('#ledger-save-msg').innerText.trim())", timeout=30_000)
    return pg.locator("#ledger-save-msg").inner_text().strip()


def test_an_editor_sets_a_status_that_survives_reextraction_and_a_viewer_cannot(
    tmp_path_factory, suzhou_path, monkeypatch
) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is missing: run scripts/system-deps.sh (apt-get install chromium)")
    monkeypatch.setenv("MINUTES_RAG_AUTH", "boss:editor-pw")
    monkeypatch.setenv("MINUTES_RAG_VIEWER_AUTH", "reader:viewer-pw")
    data = tmp_path_factory.mktemp("ui-followup-data")
    with serve_app(data, [suzhou_path], ingest_timeout=600) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = _login(browser, url, "boss", "editor-pw")
        _list(pg)
        first = _cells(pg, 0)
        assert first[-1].startswith("未办")
        assert _save(pg, "在办", "已召开专题推进会") == "已保存。"
        pg.wait_for_function(f"() => document.querySelector('{ROWS} [role=gridcell]:last-child')"
                             ".innerText.includes('在办')", timeout=30_000)
        assert "boss: 已召开专题推进会" in pg.locator("#ledger-detail").inner_text()
        assert _correct_lead(pg, "市住建局、市财政局") == "已保存。"
        pg.wait_for_function(f"() => document.querySelector('{ROWS} [role=gridcell]:nth-child(6)')"
                             ".innerText.includes('市财政局')", timeout=30_000)

        # an upgrade's re-extraction: the stored ledger marked as another extractor's, then ingest
        with sqlite3.connect(data / "state.sqlite") as db:
            db.execute("UPDATE ledger_state SET version='rules-old'")
        cli = [sys.executable, "-c", "import sys; from minutes_rag.cli import main; sys.exit(main())"]
        env = {**__import__("os").environ, "MINUTES_RAG_DATA_DIR": str(data)}
        done = subprocess.run(cli + ["ingest", str(suzhou_path)], env=env, cwd=REPO, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        with sqlite3.connect(data / "state.sqlite") as db:
            assert {v for (v,) in db.execute("SELECT version FROM ledger_state")} != {"rules-old"}
        done = subprocess.run(cli + ["actions", "--json", "--dept", UNIT], env=env, cwd=REPO, capture_output=True,
                              text=True, timeout=300)
        rows = json.loads(done.stdout)
        kept = [r for r in rows if r["status"] == "in_progress"]
        assert len(kept) == 1 and [n["text"] for n in kept[0]["notes"]] == ["已召开专题推进会"]
        assert kept[0]["lead"] == ["市住建局", "市财政局"] and kept[0]["origin"] == "person"

        viewer = _login(browser, url, "reader", "viewer-pw")
        _list(viewer)
        assert _cells(viewer, 0)[-1].startswith("在办")  # the viewer reads the state
        assert _save(viewer, "办结", "想改") == "只读账号不能修改。"
        with sqlite3.connect(data / "state.sqlite") as db:
            assert [u for (u,) in db.execute("SELECT DISTINCT user FROM entry_history")] == ["boss"]

        # a viewer may follow (the row it picked: an item alert): the feed URL is shown, and the
        # feed answers the viewer's credentials
        viewer.locator("#ledger-follow").click()
        viewer.locator("#ledger-follow-msg").filter(has_text="/feeds/").wait_for(timeout=30_000)
        feed_path = re.search(r"/feeds/\w+\.atom", viewer.locator("#ledger-follow-msg").inner_text()).group(0)
        token = base64.b64encode(b"reader:viewer-pw").decode()
        req = urllib.request.Request(url.rstrip("/") + feed_path, headers={"Authorization": f"Basic {token}"})
        with urllib.request.urlopen(req, timeout=20) as resp:
            import feedparser

            feed = feedparser.parse(resp.read())
        assert not feed.bozo and feed.version == "atom10" and feed.feed.title.startswith("minutes-rag: item ")
        browser.close()
