"""Images in an archive folder that are not minutes, read by the real OCR model (rapidocr):
a logo with a name under it and a photo-like picture are skipped (``NotMinutes``), while a
page of a real minute saved as a PNG is still read as a minute."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from minutes_rag.errors import NotMinutes
from minutes_rag.evaluation.scans import FONT, render_scan
from minutes_rag.parse import load_minute
from minutes_rag.parse.ocr.pages import PageSource
from minutes_rag.parse.ocr.run import OcrOptions

pytestmark = [pytest.mark.integration]

OCR = OcrOptions(engine="rapidocr", workers=1)


def test_a_logo_and_a_photo_are_skipped_as_not_minutes(tmp_path: Path) -> None:
    logo = Image.new("RGB", (600, 400), "white")
    draw = ImageDraw.Draw(logo)
    draw.ellipse((220, 30, 380, 190), fill=(200, 30, 30))
    draw.text((90, 250), "苏州市人民政府办公室", font=ImageFont.truetype(FONT, 42), fill="black")
    logo.save(tmp_path / "logo.png")
    with pytest.raises(NotMinutes, match="almost no text"):
        load_minute(tmp_path / "logo.png", ocr=OCR)

    rng = random.Random(18)
    photo = Image.new("RGB", (480, 320))
    photo.putdata([(x % 256, (y * 3) % 256, rng.randrange(60, 120)) for y in range(320) for x in range(480)])
    photo.save(tmp_path / "photo.jpg")
    with pytest.raises(NotMinutes, match="no text"):
        load_minute(tmp_path / "photo.jpg", ocr=OCR)


def test_a_page_of_a_real_minute_saved_as_png_is_a_minute(tmp_path: Path, suzhou_path: Path) -> None:
    rendered = render_scan(load_minute(suzhou_path).text, tmp_path / "page.pdf", seed=18, max_pages=1)
    source = PageSource("pdf", rendered.pdf.read_bytes(), str(rendered.pdf))
    image = source.image(0)
    image.save(tmp_path / "page.png")
    image.close()
    source.close()
    minute = load_minute(tmp_path / "page.png", ocr=OCR)
    assert "市政府第102次常务会议" in minute.text  # (the bundled model reads 〔〕 as [], so not the doc number)
