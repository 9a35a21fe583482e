"""PDF files via pypdf: the text layer of each page, pages joined by a blank line."""

from __future__ import annotations

import io

from minutes_rag.errors import ParseError
from minutes_rag.model import ParsedDocument

NO_TEXT = "PDF has no extractable text (scanned?)"


def read_pdf(data: bytes, path: str) -> ParsedDocument:
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
    if not any(p.strip() for p in pages):
        raise ParseError(path, NO_TEXT)
    return ParsedDocument(path=path, text="\n\n".join(p for p in pages if p.strip()), encoding="")
