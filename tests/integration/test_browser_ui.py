"""End to end in a real headless browser: `python app.py` on a free port, driven by Playwright
through Debian's chromium (never `playwright install`).

The app runs in a subprocess exactly as a user starts it, over a fresh data directory with
the Suzhou minute ingested by the real bundled model. The test asks, reads the streamed
answer and its citation card, opens the cited passage, filters it away, uploads a new minute
that carries a <script> tag and asks about that one. It prints the time from submit to the
first answer text and to the finished answer.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from llm_server import free_port  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
]
SUZHOU_Q = "姑苏领军人才计划第一批拟立项情况由哪个部门汇报？"

# A made-up minute in the same format family, with markup that must stay text.
NEW_MINUTE = """青川市人民政府
常务会议纪要
〔2023〕7号
2023年3月15日上午，王明市长主持召开市政府第15次常务会议。现将会议议定事项纪要如下：
一、审议《青川市城市公园绿地养护管理办法<script>window.__xss = 1; alert("xss")</script>》
（一）原则同意《青川市城市公园绿地养护管理办法》。由市园林绿化局负责公园绿地养护考核，考核结果每季度向社会公布。<script>window.__xss = 2</script><img src=x onerror="window.__xss = 3">
（二）各区要落实养护经费，确保公园绿地养护质量稳步提升。
二、听取关于老旧住宅电梯更新改造工作的汇报
（一）会议听取了市市场监管局关于老旧住宅电梯更新改造工作的汇报。
（二）各区要加快推进电梯更新改造，年内完成一百台老旧电梯改造任务。
出席：王明 李华 张强
记录：赵敏
"""
NEW_Q = "公园绿地养护考核由哪个部门负责？"




def _wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the app exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"the app did not answer at {url} within {timeout}s:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, suzhou_path):
    with serve_app(tmp_path_factory.mktemp("ui-data"), [suzhou_path]) as url:
        yield url


@contextlib.contextmanager
def serve_app(data: Path, sources: list[Path], ingest_timeout: float = 300) -> Iterator[str]:
    """`minutes-rag ingest SOURCES` into ``data``, then `python app.py` on a free port, as a
    user starts them; yields the page's URL and stops the app afterwards."""
    env = {
        **os.environ,
        "MINUTES_RAG_DATA_DIR": str(data),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }
    cli = [sys.executable, "-c", "import sys; from minutes_rag.cli import main; sys.exit(main())"]
    done = subprocess.run(cli + ["ingest", *map(str, sources)], env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=ingest_timeout)
    assert done.returncode == 0, done.stderr
    port = free_port()
    env["MINUTES_RAG_PORT"] = str(port)
    log = data / "app.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "app.py"], env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_http(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def page(app_url):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is missing: run scripts/system-deps.sh (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = browser.new_page(viewport={"width": 1500, "height": 950})
        pg.dialogs = []  # type: ignore[attr-defined]
        pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
        pg.goto(app_url, wait_until="load")
        pg.locator("#question textarea").wait_for(timeout=60_000)
        yield pg
        browser.close()


def _ask(pg, question: str, *, enter: bool = False) -> tuple[float, float, str]:
    """Submits ``question`` (the Ask button, or Enter in the box); returns (seconds to first
    answer text, seconds to finished, turn id)."""
    n = pg.locator("#conversation .turn").count()
    turn = f"#turn-{n}"
    box = pg.locator("#question textarea")
    box.fill(question)
    # note every state the new turn goes through, however briefly it shows
    pg.evaluate(
        """(sel) => { window.__states = []; const seen = window.__states;
        new MutationObserver(() => { const t = document.querySelector(sel);
          if (t && seen[seen.length - 1] !== t.dataset.state) seen.push(t.dataset.state); })
        .observe(document.querySelector('#conversation'), {subtree: true, childList: true, attributes: true}); }""",
        turn,
    )
    t0 = time.perf_counter()
    if enter:
        box.press("Enter")
    else:
        pg.locator("#ask-btn").click()
    pg.locator(f"{turn} .answer-text:not(.answer-pending), {turn} .answer-error").first.wait_for(timeout=120_000)
    t_first = time.perf_counter() - t0
    pg.locator(f'{turn}[data-state="done"]').wait_for(timeout=120_000)
    t_done = time.perf_counter() - t0
    assert pg.locator(f"{turn} .answer-error").count() == 0, pg.locator(turn).inner_text()
    assert pg.evaluate("() => window.__states") == ["pending", "done"]  # streamed into place
    return t_first, t_done, turn


def _set(pg, elem_id: str, value: str) -> None:
    box = pg.locator(f"#{elem_id} input, #{elem_id} textarea").first
    box.fill(value)
    box.press("Tab")  # commit the value (Gradio sends it on change/blur)


def test_chat_citations_filters_upload_and_escaping(page, tmp_path):
    pg = page
    # the interface starts in Chinese, with the answer mode shown
    assert pg.locator("#ask-btn").inner_text().strip() == "提问"
    assert "摘录原文" in pg.locator("#mode").inner_text()

    # 0. Shift+Enter adds a line and sends nothing; Enter sends (below)
    box = pg.locator("#question textarea")
    box.fill("")
    box.type("first line")
    box.press("Shift+Enter")
    box.type("second line")
    pg.wait_for_timeout(800)
    assert box.input_value() == "first line\nsecond line"
    assert pg.locator("#conversation .turn").count() == 0

    # 1. a question about the Suzhou minute, sent with Enter: streamed answer, a card with
    # the right section, and the box emptied
    t_first, t_done, turn = _ask(pg, SUZHOU_Q, enter=True)
    assert box.input_value() == ""
    print(f"\n[ui timing] Suzhou question: first answer text {t_first * 1000:.0f} ms, finished {t_done * 1000:.0f} ms")
    answer = pg.locator(f"{turn} .answer-text").inner_text()
    assert "市科技局" in answer
    card = pg.locator(f"{turn} .cite-card").first
    card_text = card.inner_text()
    assert "五（一）" in card_text and "〔2020〕21号" in card_text and "2020-06-30" in card_text
    assert "第102次" in card_text

    # 2. the card opens the whole minute with the quote highlighted and scrolled into view
    card.click()
    mark = pg.locator("#source-viewer mark#cite-mark")
    mark.wait_for(timeout=30_000)
    assert "市科技局" in mark.inner_text()
    pg.wait_for_function(
        "() => { const m = document.querySelector('#cite-mark'); const r = m.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }",
        timeout=10_000,
    )
    assert "苏州市人民政府" in pg.locator("#source-viewer").inner_text()  # the whole minute, not the quote
    shot = Path(os.environ.get("MINUTES_RAG_UI_SCREENSHOT") or tmp_path / "screenshot-chat.png")
    pg.screenshot(path=str(shot))
    print(f"[ui] screenshot: {shot}")

    # a marker in the answer opens the same passage (the old view is removed first)
    pg.evaluate("() => document.querySelector('#source-viewer .minute-viewer').remove()")
    assert mark.count() == 0
    pg.locator(f'{turn} .cite-marker[data-cite$=":1"]').first.click()
    mark.wait_for(timeout=30_000)
    assert "市科技局" in mark.inner_text()

    # 3. a date filter that excludes the minute gives the not-found answer
    _set(pg, "date-from", "2021-01-01")
    t_first_nf, t_done_nf, turn = _ask(pg, SUZHOU_Q)
    print(f"[ui timing] filtered (not found): first answer text {t_first_nf * 1000:.0f} ms, "
          f"finished {t_done_nf * 1000:.0f} ms")
    assert "未在会议纪要中找到相关内容" in pg.locator(f"{turn} .answer-text").inner_text()
    assert pg.locator(f"{turn} .cite-card").count() == 0
    _set(pg, "date-from", "")

    # 4. upload a new minute (with markup in it) and a broken PDF in the archive tab: the
    # minute goes in, the PDF's problem is shown against its name; then ask about the minute
    src = tmp_path / "qingchuan_2023-7.txt"
    src.write_text(NEW_MINUTE, encoding="utf-8")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n\x00\x01 not really a pdf")
    # and a long note with no agenda item in it: ingested, and named as not understood
    flat = tmp_path / "flat_notes.txt"
    flat.write_text("The board talked about the budget and the weather for a long while. " * 40, encoding="utf-8")
    pg.locator("#tabs button[role=tab]", has_text="纪要库").click()
    pg.locator("#upload input[type=file]").set_input_files([str(src), str(broken), str(flat)])
    pg.locator("#ingest-result .ingest-summary").wait_for(timeout=180_000)
    summary = pg.locator("#ingest-result").inner_text()
    assert "新增 2" in summary and "失败 1" in summary, summary
    error = pg.locator("#ingest-result .ingest-error").inner_text()
    assert "broken.pdf" in error and "qingchuan" not in error
    warning = pg.locator("#ingest-result .ingest-warning[data-code=no_agenda_items]").inner_text()
    assert "flat_notes.txt" in warning and "未识别出议题" in warning, warning
    reads = pg.locator("#ingest-result .ingest-reads").inner_text()
    assert "qingchuan_2023-7.txt：按纪要 items读取" in reads and "flat_notes.txt：按paragraphs读取" in reads, reads
    pg.wait_for_function("() => document.querySelector('#archive-table').innerText.includes('〔2023〕7号')",
                         timeout=30_000)
    table = pg.locator("#archive-table").inner_text()
    assert "〔2020〕21号" in table and "2023-03-15" in table

    pg.locator("#tabs button[role=tab]", has_text="问答").click()
    t_first2, t_done2, turn = _ask(pg, NEW_Q)
    print(f"[ui timing] uploaded-minute question: first answer text {t_first2 * 1000:.0f} ms, "
          f"finished {t_done2 * 1000:.0f} ms")
    assert "市园林绿化局" in pg.locator(f"{turn} .answer-text").inner_text()
    card = pg.locator(f"{turn} .cite-card").first
    assert "〔2023〕7号" in card.inner_text() and "一（一）" in card.inner_text()

    # 5. markup from the minute shows as text and never runs
    card.click()
    pg.locator("#source-viewer .viewer-meta", has_text="〔2023〕7号").wait_for(timeout=30_000)
    assert "市园林绿化局" in pg.locator("#source-viewer mark#cite-mark").inner_text()
    viewer_text = pg.locator("#source-viewer").inner_text()
    assert '<script>window.__xss = 1; alert("xss")</script>' in viewer_text
    assert "<img src=x onerror=" in viewer_text
    assert pg.locator("#source-viewer script, #conversation script, #source-viewer img, #conversation img").count() == 0
    time.sleep(0.5)
    assert pg.evaluate("() => window.__xss") is None
    assert pg.dialogs == []

    # 6. the English switch relabels the page and the not-found message
    pg.locator("#lang label", has_text="English").click()
    pg.wait_for_function("() => document.querySelector('#ask-btn').innerText.trim() === 'Ask'", timeout=15_000)
    assert "No relevant content was found in the minutes." in pg.locator("#conversation").inner_text()
    # the tab labels are relabelled by their own update, which may land after the button's
    pg.locator("#tabs button[role=tab]", has_text="Archive").wait_for(timeout=15_000)
    assert pg.locator("#tabs button[role=tab]", has_text="Archive").count() == 1
    assert "From date" in pg.locator("#date-from").inner_text()
    assert "Extractive" in pg.locator("#mode").inner_text()
