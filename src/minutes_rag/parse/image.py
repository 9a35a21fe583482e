"""Page images (.png, .jpg, .tif; a multi-page TIFF is a multi-page minute) read by OCR.

An archive folder also holds images that are not minutes (a logo, a letterhead, a photo of
the meeting): an image whose OCR text weighs less than ``MIN_MINUTE_WEIGHT`` is skipped
(``NotMinutes``), not indexed as an empty minute.
"""

from __future__ import annotations

from minutes_rag.errors import NotMinutes, ParseError
from minutes_rag.model import ParsedDocument
from minutes_rag.parse.ocr.run import OcrOptions
from minutes_rag.text.lang import text_weight

# In Han characters (``text_weight``: an English letter or digit weighs 1/5). Measured on
# the shared corpus (dev/ 366 files, zh/, en/): the shortest real minute weighs 231 (an IETF
# working group's minutes; the shortest Chinese one, a readout cut at ~1,000 characters,
# 344), while the longest single line that names a body or meeting (the manifest's `body`
# field, what a letterhead, logo or banner would carry) weighs 49. 60 sits above one such
# line and below a quarter of the shortest minute.
MIN_MINUTE_WEIGHT = 60.0


def read_image(data: bytes, path: str, ocr: OcrOptions | None = None) -> ParsedDocument:
    if ocr is None:
        raise ParseError(path, "a page image is read by OCR, and OCR is off (MINUTES_RAG_OCR_ENGINE=off)")
    from minutes_rag.parse.ocr.pages import PageSource
    from minutes_rag.parse.ocr.run import low_confidence_warnings, ocr_pages

    source = PageSource("image", data, path)
    try:
        read = ocr_pages(source, range(len(source)), ocr)
    finally:
        source.close()
    pages = tuple(read[i].text for i in sorted(read))
    text = "\n\n".join(p for p in pages if p.strip())
    weight = text_weight(text)
    if not text.strip():
        raise NotMinutes(path, "skipped: OCR found no text on the image (a picture, not a minute)")
    if weight < MIN_MINUTE_WEIGHT:
        raise NotMinutes(
            path,
            f"skipped: OCR found almost no text on the image ({weight:.0f} Han-character equivalents, "
            f"a minute has at least {MIN_MINUTE_WEIGHT:.0f}): a logo or photo, not a minute",
        )
    return ParsedDocument(
        path=path, text=text, encoding="", pages=pages,
        warnings=tuple(low_confidence_warnings(path, read, ocr.min_confidence)),
    )
