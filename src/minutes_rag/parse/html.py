"""HTML pages (.html, .htm) via BeautifulSoup + lxml: visible text only, block elements as
paragraphs separated by blank lines. No markup survives."""

from __future__ import annotations

import re

from minutes_rag.errors import ParseError
from minutes_rag.model import ParsedDocument
from minutes_rag.parse.encoding import DecodeProblem, decode_bytes
from minutes_rag.text.lang import CJK_TEXT

# Elements whose content is never part of the minute.
_DROP = ("script", "style", "nav", "noscript", "template", "head", "iframe", "svg", "canvas",
         "button", "select", "object", "embed")
_BLOCK = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu ol p "
    "pre section summary table tbody tfoot thead tr ul".split()
)
_CELL = frozenset({"td", "th"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Source line breaks between two CJK characters are layout, not spaces.
_CJK_WRAP = re.compile(rf"(?<=[{CJK_TEXT}])[ \t]*\n\s*(?=[{CJK_TEXT}])")

# private-use characters: never in real text, and (unlike \x1e) not whitespace to re
_PARA = "\ue000"  # paragraph break marker while collecting text
_LINE = "\ue001"  # <br>


def read_html(data: bytes, path: str) -> ParsedDocument:
    text, encoding = _decode_html(data, path)
    try:
        from bs4 import BeautifulSoup
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise ParseError(path, "reading .html needs beautifulsoup4 and lxml") from exc
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:
        raise ParseError(path, f"cannot parse HTML: {exc}") from exc
    return ParsedDocument(path=path, text=html_to_text(soup), encoding=encoding)


def _decode_html(data: bytes, path: str) -> tuple[str, str]:
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        # pages that say gb2312/gbk routinely hold characters only GB18030 has
        if name in ("gb2312", "gbk", "x-gbk", "gb_2312-80"):
            name = "gb18030"
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass  # the declaration lies; fall back to detection
    try:
        return decode_bytes(data)
    except DecodeProblem as exc:
        raise ParseError(path, str(exc)) from exc


def html_to_text(soup) -> str:
    from bs4 import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag
    from bs4.element import CData

    for name in _DROP:
        for tag in soup.find_all(name):
            tag.decompose()

    parts: list[str] = []
    # An explicit stack, not recursion: a page nested thousands of levels deep (broken or
    # hostile markup) must not end the run with a RecursionError. Each entry is a node to
    # visit or a string to emit once its children are done.
    stack: list[tuple[object, bool] | str] = [(soup, False)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        node, in_pre = item
        if isinstance(node, (Comment, Declaration, Doctype, ProcessingInstruction, CData)):
            continue
        if isinstance(node, NavigableString):
            text = str(node)
            parts.append(text.replace("\n", _LINE) if in_pre else text)
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if name == "br" and node is not soup:
            parts.append(_LINE)
            continue
        child_pre = in_pre or name == "pre"
        children = [(child, child_pre) for child in node.children]
        if node is soup:
            stack.extend(reversed(children))
        elif name in _BLOCK:
            parts.append(_PARA)
            stack.append(_PARA)
            stack.extend(reversed(children))
        elif name in _CELL:
            parts.append(" ")
            stack.append(" ")
            stack.extend(reversed(children))
        else:
            stack.extend(reversed(children))
    raw = "".join(parts)
    raw = _CJK_WRAP.sub("", raw)
    paragraphs = []
    for para in raw.split(_PARA):
        lines = [re.sub(r"\s+", " ", line).strip() for line in para.split(_LINE)]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)
