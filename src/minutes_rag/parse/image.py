"""Page images (.png, .jpg, .tif; a multi-page TIFF is a multi-page minute) read by OCR."""

from __future__ import annotations

from minutes_rag.errors import ParseError
from minutes_rag.model import ParsedDocument
from minutes_rag.parse.ocr.run import OcrOptions


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
    if not any(p.strip() for p in pages):
        raise ParseError(path, "OCR found no text on the image")
    return ParsedDocument(
        path=path, text="\n\n".join(p for p in pages if p.strip()), encoding="", pages=pages,
        warnings=tuple(low_confidence_warnings(path, read, ocr.min_confidence)),
    )
