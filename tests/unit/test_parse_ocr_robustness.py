"""Scans that go wrong: an OCR worker process that dies (at start or mid-run) is an error
naming the file, never a hang, and ingest goes on with the other files; an image in the
archive folder with no or almost no text (a logo, a photo) is skipped with the warning
``not_minutes``, not indexed as an empty minute. Fake engines stand in for the model (the
dying ones run in real spawned worker processes)."""

from __future__ import annotations

import sys
import textwrap
import threading
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from test_ingest_pipeline import MINUTE_A, MINUTE_B

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.errors import NotMinutes, ParseError
from minutes_rag.parse import load_minute
from minutes_rag.parse.image import MIN_MINUTE_WEIGHT
from minutes_rag.parse.ocr import OcrLine
from minutes_rag.parse.ocr.pages import PageSource
from minutes_rag.parse.ocr.run import OcrOptions, ocr_pages
from minutes_rag.text.lang import text_weight

# a spawned worker imports the engine's module by name: it lives in a folder on sys.path
ENGINES = '''
import os
from minutes_rag.parse.ocr import OcrLine

def dies_at_start():
    os._exit(3)  # the worker process ends inside the pool's initializer

class _DiesOnTallPages:
    name = "dies-on-tall-pages"

    def read(self, image):
        if image.height > image.width * 2:
            os._exit(3)  # a native crash or the OOM killer, mid-run
        return [OcrLine("page", (0, 0, 10, 10), 0.99)]

def dies_mid_run():
    return _DiesOnTallPages()

class _Letterhead:
    name = "letterhead"

    def read(self, image):
        return [OcrLine("苏州市人民政府", (100, 40, 400, 80), 0.97)]

def letterhead():
    return _Letterhead()
'''

HANG_GUARD_S = 120  # spawning two workers takes ~2 s here; a hang fails the test instead of blocking it


@pytest.fixture()
def engines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    folder = tmp_path / "engines"
    folder.mkdir()
    (folder / "dying_ocr_engines.py").write_text(textwrap.dedent(ENGINES), encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    sys.modules.pop("dying_ocr_engines", None)
    return "dying_ocr_engines"


def pdf_of(path: Path, sizes: list[tuple[int, int]]) -> Path:
    images = [Image.new("L", size, 255) for size in sizes]
    images[0].save(path, format="PDF", save_all=True, append_images=images[1:])
    return path


def guarded(call):  # type: ignore[no-untyped-def]
    """Run ``call`` in a thread; fail (not block) when it does not return in time."""
    out: dict[str, object] = {}

    def target() -> None:
        try:
            out["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            out["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(HANG_GUARD_S)
    assert not thread.is_alive(), "the OCR step hung"
    return out


@pytest.mark.parametrize(("factory", "sizes"), [
    ("dies_at_start", [(200, 280)] * 3),
    ("dies_mid_run", [(200, 280), (100, 400), (200, 280)]),
])
def test_a_dying_ocr_worker_is_an_error_naming_the_file_not_a_hang(
    tmp_path: Path, engines: str, factory: str, sizes: list[tuple[int, int]]
) -> None:
    pdf = pdf_of(tmp_path / "scan.pdf", sizes)
    source = PageSource("pdf", pdf.read_bytes(), str(pdf))
    options = OcrOptions(engine=f"{engines}:{factory}", workers=2, cache_dir=str(tmp_path / "cache"))
    out = guarded(lambda: ocr_pages(source, [0, 1, 2], options))
    error = out.get("error")
    assert isinstance(error, ParseError), out
    assert error.path == str(pdf)
    assert "OCR worker process ended abruptly" in error.problem


def test_ingest_reports_the_scan_whose_worker_died_and_keeps_the_other_files(tmp_path: Path, engines: str) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "a.txt").write_text(MINUTE_A, encoding="utf-8")
    pdf_of(archive / "scan.pdf", [(200, 280)] * 3)
    settings = Settings.load(env={}, data_dir=str(tmp_path / "data"), ocr_engine=f"{engines}:dies_at_start", ocr_workers=2)
    assistant = Assistant(settings, embedder=HashEmbedder(64))
    out = guarded(lambda: assistant.ingest([archive]))
    assert "error" not in out, out
    report = out["value"]
    assert (report.added, report.failed) == (1, 1)  # type: ignore[attr-defined]
    [error] = report.errors  # type: ignore[attr-defined]
    assert error["path"].endswith("scan.pdf") and "OCR worker process ended abruptly" in error["error"]

    # what was ingested stays, and the next file after a later good run is read as usual
    (archive / "b.txt").write_text(MINUTE_B, encoding="utf-8")
    again = guarded(lambda: assistant.ingest([archive]))["value"]
    assert (again.added, again.unchanged, again.failed) == (1, 1, 1)  # type: ignore[attr-defined]
    assert assistant.index.minute_count() == 2


# -- images that are not minutes ------------------------------------------------------------
class LinesEngine:
    name = "lines-1"

    def __init__(self, lines: list[OcrLine]) -> None:
        self.lines = lines

    def read(self, image: Image.Image) -> list[OcrLine]:
        return self.lines


def logo_png(path: Path) -> Path:
    """A logo-like picture: a filled circle and a short name under it."""
    image = Image.new("RGB", (320, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((110, 20, 210, 120), fill=(180, 20, 20))
    draw.text((95, 150), "CITY HALL", fill="black")
    image.save(path)
    return path


def test_text_weight_counts_han_characters_and_a_fifth_per_letter_or_digit() -> None:
    assert text_weight("苏州市人民政府") == 7
    assert text_weight("City Hall 2020") == pytest.approx(12 / 5)
    assert text_weight("，。 ,.-") == 0


def test_an_image_with_no_or_almost_no_text_is_not_a_minute(tmp_path: Path) -> None:
    logo = logo_png(tmp_path / "logo.png")
    with pytest.raises(NotMinutes, match="no text on the image"):
        load_minute(logo, ocr=OcrOptions(engine=LinesEngine([])))
    letterhead = [OcrLine("苏州市人民政府办公室", (60, 150, 260, 180), 0.95), OcrLine("CITY HALL", (95, 150, 200, 170), 0.9)]
    with pytest.raises(NotMinutes, match="almost no text") as info:
        load_minute(logo, ocr=OcrOptions(engine=LinesEngine(letterhead)))
    assert info.value.path == str(logo)


def test_an_image_of_a_page_of_minutes_is_still_a_minute(tmp_path: Path) -> None:
    page = logo_png(tmp_path / "page.png")
    body = [line for line in MINUTE_A.splitlines() if line.strip()]
    lines = [OcrLine(text, (40, 40 + 40 * n, 40 + 30 * len(text), 70 + 40 * n), 0.97) for n, text in enumerate(body)]
    assert text_weight(MINUTE_A) > MIN_MINUTE_WEIGHT
    minute = load_minute(page, ocr=OcrOptions(engine=LinesEngine(lines)))
    assert minute.meta.doc_number == "〔2021〕3号"


def test_ingest_skips_a_logo_with_a_warning_code_and_reads_the_minutes(tmp_path: Path, engines: str) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "a.txt").write_text(MINUTE_A, encoding="utf-8")
    logo_png(archive / "logo.png")
    settings = Settings.load(env={}, data_dir=str(tmp_path / "data"), ocr_engine=f"{engines}:letterhead", ocr_workers=1)
    assistant = Assistant(settings, embedder=HashEmbedder(64))
    report = assistant.ingest([archive])
    assert (report.added, report.failed, report.errors) == (1, 0, [])
    [warning] = report.warning_details
    assert warning["code"] == "not_minutes" and warning["path"].endswith("logo.png")
    assert "almost no text" in warning["message"] and warning["minute_id"] == ""
    assert any(w.startswith("logo.png: skipped") for w in report.warnings)
    assert report.to_json()["warning_details"] == [warning]
    assert assistant.index.minute_count() == 1
