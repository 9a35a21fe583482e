"""Word (.docx) files via python-docx: body paragraphs and table cells in document order."""

from __future__ import annotations

import io
import zipfile

from minutes_rag.errors import ParseError
from minutes_rag.model import ParsedDocument

# A .docx is a zip: its size on disk says little about what it unpacks to (a 0.5 MB zip
# bomb grew to 3.5 GB). python-docx unpacks every part into memory and lxml parses the XML
# parts, so the unpacked total and the number of entries are bounded before it starts.
# Python's zipfile stops reading an entry at the size its directory declares, so checking the
# declared sizes bounds what is really inflated. Real minutes unpack to a few MB.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 2000


def check_zip(data: bytes, path: str, *, max_unpacked: int = MAX_UNPACKED_BYTES, max_entries: int = MAX_ENTRIES) -> None:
    """Refuse an archive that would unpack past the limits (a ``ParseError`` saying so)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ParseError(path, f"not a valid .docx file ({exc.__class__.__name__})") from exc
    if len(infos) > max_entries:
        raise ParseError(path, f"the .docx holds {len(infos)} parts, over the limit of {max_entries}: not read")
    total = sum(max(0, i.file_size) for i in infos)
    if total > max_unpacked:
        raise ParseError(
            path,
            f"the .docx would unpack to {total / 1048576:.0f} MB, over the limit of "
            f"{max_unpacked / 1048576:.0f} MB (a damaged file or a zip bomb): not read",
        )


def read_docx(data: bytes, path: str) -> ParsedDocument:
    check_zip(data, path)
    try:
        import docx  # lazy: python-docx pulls in lxml
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise ParseError(path, "reading .docx needs python-docx (pip install python-docx)") from exc

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ParseError(path, f"not a valid .docx file ({exc.__class__.__name__})") from exc
    except Exception as exc:  # python-docx/lxml raise many kinds on corrupt packages
        raise ParseError(path, f"cannot read .docx file: {exc}") from exc

    pieces = _body_paragraphs(document)
    paragraphs = [p for p in pieces if p is not PAGE_BREAK and p.strip()]
    # One paragraph a line, a blank line between: the same layout as the .txt minutes, so
    # the splitter and the page-break repair see one shape whatever the source format.
    text = "\n\n".join(paragraphs)
    if PAGE_BREAK not in pieces:
        return ParsedDocument(path=path, text=text, encoding="")
    # explicit page breaks (a page-break character, a paragraph set to start a page): the
    # page map follows them. Pages Word makes by flowing text are not in the file.
    pages: list[list[str]] = [[]]
    for p in pieces:
        if p is PAGE_BREAK:
            pages.append([])
        elif p.strip():
            pages[-1].append(p)
    return ParsedDocument(path=path, text=text, encoding="", pages=tuple("\n\n".join(pg) for pg in pages))


# a marker between paragraphs where the document breaks the page
PAGE_BREAK = "\f"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _breaks_before(p) -> bool:
    flag = p.find(f"{_W}pPr/{_W}pageBreakBefore")
    return flag is not None and flag.get(f"{_W}val", "true") not in ("0", "false", "off")


def _split_at_page_breaks(p) -> list[str]:
    """A paragraph holding page-break characters: its text before and after each, with
    ``PAGE_BREAK`` between (w:t text, tabs, other breaks as a line break)."""
    out: list[str] = []
    cur: list[str] = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "t":
            cur.append(node.text or "")
        elif tag == "tab":
            cur.append("\t")
        elif tag == "br" and node.get(f"{_W}type") == "page":
            out += ["\n".join(line.rstrip() for line in "".join(cur).split("\n")), PAGE_BREAK]
            cur = []
        else:
            cur.append("\n")
    out.append("\n".join(line.rstrip() for line in "".join(cur).split("\n")))
    return out


def _body_paragraphs(document) -> list[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[str] = []

    def walk(parent, element) -> None:
        for child in element.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                if _breaks_before(child):
                    out.append(PAGE_BREAK)
                if child.find(f".//{_W}br[@{_W}type='page']") is not None:
                    out.extend(_split_at_page_breaks(child))
                else:
                    out.append(_paragraph_text(Paragraph(child, parent)))
            elif tag == "tbl":
                table = Table(child, parent)
                for row in table.rows:
                    seen: set[int] = set()
                    for cell in row.cells:
                        # merged cells come back once per grid column: keep one copy
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        walk(cell, cell._tc)
            elif tag == "sdt":  # content controls wrap ordinary paragraphs
                content = child.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sdtContent")
                if content is not None:
                    walk(parent, content)

    walk(document, document.element.body)
    return out


def _paragraph_text(paragraph) -> str:
    # python-docx renders <w:br/> as "\n" and <w:tab/> as "\t"
    return "\n".join(line.rstrip() for line in paragraph.text.split("\n"))
