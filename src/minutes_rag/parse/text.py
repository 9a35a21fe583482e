"""Plain text (.txt) and Markdown (.md) files."""

from __future__ import annotations

import re

from minutes_rag.errors import ParseError
from minutes_rag.model import ParsedDocument
from minutes_rag.parse.encoding import DecodeProblem, decode_bytes

# ATX headings ("## 四、审议...") keep their text; only the markers go, so a heading reads
# like the same line in a .txt minute and the splitter sees 四、 at the start of the line.
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)


def read_text(data: bytes, path: str) -> ParsedDocument:
    try:
        text, encoding = decode_bytes(data)
    except DecodeProblem as exc:
        raise ParseError(path, str(exc)) from exc
    return ParsedDocument(path=path, text=text, encoding=encoding)


def read_markdown(data: bytes, path: str) -> ParsedDocument:
    doc = read_text(data, path)
    return ParsedDocument(path=doc.path, text=strip_md_headings(doc.text), encoding=doc.encoding)


def strip_md_headings(text: str) -> str:
    return _MD_HEADING.sub(r"\1", text)
