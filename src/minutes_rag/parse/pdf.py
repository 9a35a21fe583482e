"""PDF files via pypdf: the text layer of each page; pages without one are read by OCR
(``parse.ocr``) when OCR is on, so a scanned minute, or a scanned page inside a text PDF,
is read like any other."""

from __future__ import annotations

import io
import re

from minutes_rag.errors import ParseError
from minutes_rag.model import ParsedDocument
from minutes_rag.parse.ocr.run import OcrOptions

NO_TEXT = "PDF has no extractable text (scanned?)"  # OCR off
NO_TEXT_OCR = "PDF has no text: no text layer, and OCR found no text on its pages"

# a page whose text layer holds no letter, digit or Han character is an image: a stamp's
# stray glyph or a scanner's invisible "." is not text
_WORD = re.compile(r"\w")


def _has_image(page) -> bool:
    """Whether a page without text holds an image (a blank page is not worth an OCR pass)."""
    try:
        return bool(page.images)
    except Exception:  # noqa: BLE001 - an image pypdf cannot list may still render: try it
        return True


def read_pdf(data: bytes, path: str, ocr: OcrOptions | None = None) -> ParsedDocument:
    try:
        import logging

        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise ParseError(path, "reading .pdf needs pypdf (pip install pypdf)") from exc

    # pypdf logs every small defect of real-world PDFs; they are not the user's problem.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:
                raise ParseError(path, "PDF is encrypted") from exc
            if not ok:
                raise ParseError(path, "PDF is encrypted (password needed)")
        pages = [(page.extract_text() or "") for page in reader.pages]
    except ParseError:
        raise
    except PdfReadError as exc:
        raise ParseError(path, f"not a valid PDF ({exc})") from exc
    except Exception as exc:  # corrupt PDFs raise anything from deep inside pypdf
        raise ParseError(path, f"cannot read PDF: {exc.__class__.__name__}: {exc}") from exc

    pages = [p.strip("\n") for p in pages]
    images = [i for i, p in enumerate(pages) if not _WORD.search(p) and _has_image(reader.pages[i])]
    warnings: list[str] = []
    if images and ocr is not None:
        from minutes_rag.parse.ocr.pages import PageSource
        from minutes_rag.parse.ocr.run import low_confidence_warnings, ocr_pages

        source = PageSource("pdf", data, path)
        try:
            read = ocr_pages(source, images, ocr)
        finally:
            source.close()
        for i, page in read.items():
            pages[i] = page.text
        warnings = low_confidence_warnings(path, read, ocr.min_confidence)
    if not any(p.strip() for p in pages):
        raise ParseError(path, NO_TEXT_OCR if ocr is not None else NO_TEXT)
    return ParsedDocument(
        path=path, text="\n\n".join(p for p in pages if p.strip()), encoding="", pages=tuple(pages),
        warnings=tuple(warnings),
    )
