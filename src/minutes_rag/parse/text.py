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
    front, body = split_front_matter(doc.text)
    return ParsedDocument(path=doc.path, text=strip_md_headings(body), encoding=doc.encoding, properties=front)


# YAML ("---") or TOML ("+++") front matter: a block of keys before the text, which static
# site tools put at the top of Markdown. It describes the page; it is not the minute's text.
_FRONT = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\r?\n(.*?)\r?\n\1[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*[:=]\s*(.*?)\s*$")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """({key: value} of simple front matter lines, the text after it). Only a block whose
    lines look like keys counts: a minute that starts with a rule line stays whole."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    keys: dict[str, str] = {}
    for line in m.group(2).splitlines():
        if not line.strip() or line.lstrip().startswith(("#", "-")) or line.startswith((" ", "\t")):
            continue
        km = _FRONT_KEY.match(line)
        if not km:
            return {}, text
        keys[km.group(1).lower()] = km.group(2).strip("\"'")
    if not keys:
        return {}, text
    return keys, text[m.end():]


def strip_md_headings(text: str) -> str:
    return _MD_HEADING.sub(r"\1", text)
