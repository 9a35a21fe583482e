"""Reading minutes from files: checks, format readers, normalisation and metadata.

``load_minute(path)`` is the one entry point the ingest pipeline needs; every failure is a
``ParseError`` (``UnsupportedFormat`` for a file type we do not read) whose ``problem`` is a
sentence a user can act on.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from minutes_rag import ids
from minutes_rag.errors import ParseError, UnsupportedFormat
from minutes_rag.model import Minute, PageSpan, ParsedDocument
from minutes_rag.parse.metadata import date_from_file_name, extract_metadata
from minutes_rag.parse.ocr.pages import IMAGE_EXTENSIONS
from minutes_rag.parse.ocr.run import OcrOptions

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "DEFAULT_MAX_BYTES",
    "load_minute",
    "parse_document",
    "iter_source_files",
    "walk_archive",
    "path_problem",
    "extract_metadata",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SUPPORTED_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".docx", ".pdf", ".html", ".htm", *IMAGE_EXTENSIONS)
_MB = 1024 * 1024


def _reader(ext: str, ocr: OcrOptions | None = None) -> Callable[[bytes, str], ParsedDocument]:
    # Readers are imported on demand so that importing the package stays cheap.
    if ext == ".txt":
        from minutes_rag.parse.text import read_text

        return read_text
    if ext == ".md":
        from minutes_rag.parse.text import read_markdown

        return read_markdown
    if ext == ".docx":
        from minutes_rag.parse.docx import read_docx

        return read_docx
    if ext == ".pdf":
        from minutes_rag.parse.pdf import read_pdf

        return partial(read_pdf, ocr=ocr)
    if ext in IMAGE_EXTENSIONS:
        from minutes_rag.parse.image import read_image

        return partial(read_image, ocr=ocr)
    if ext in (".html", ".htm"):
        from minutes_rag.parse.html import read_html

        return read_html
    raise KeyError(ext)


def _unsupported(path: Path) -> UnsupportedFormat:
    ext = path.suffix.lower() or "(none)"
    what = f"unsupported file type {ext}" if path.suffix else "unsupported file type (no extension)"
    return UnsupportedFormat(str(path), f"{what} (supported: {', '.join(SUPPORTED_EXTENSIONS)})")


def _mb(n: float) -> str:
    return f"{n / _MB:.1f} MB"


def _read_checked(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, after the checks that give the clearest message first."""
    name = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise ParseError(name, "broken symbolic link (its target does not exist)") from None
        raise ParseError(name, "file not found") from None
    except PermissionError:
        raise ParseError(name, "permission denied") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ParseError(name, "symbolic link loop (the link points back at itself)") from None
        raise ParseError(name, f"cannot access file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise ParseError(name, "is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise ParseError(name, "not a regular file")
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        raise _unsupported(path)
    limit = f"{max_bytes / _MB:g} MB"
    if st.st_size > max_bytes:
        raise ParseError(name, f"file is {_mb(st.st_size)}, over the {limit} limit (MINUTES_RAG_MAX_FILE_MB)")
    if st.st_size == 0:
        raise ParseError(name, "file is empty")
    try:
        # O_NONBLOCK: a file swapped for a pipe after stat() cannot hang the run; fstat on the
        # open descriptor checks what is really read
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with open(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ParseError(name, "not a regular file")
            # read one byte past the limit: a file that grew since stat() is still caught
            data = fh.read(max_bytes + 1)
    except PermissionError:
        raise ParseError(name, "permission denied") from None
    except IsADirectoryError:
        raise ParseError(name, "is a directory, not a file") from None
    except OSError as exc:
        raise ParseError(name, f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise ParseError(name, f"file is over the {limit} limit (MINUTES_RAG_MAX_FILE_MB)")
    if not data:
        raise ParseError(name, "file is empty")
    return data


def parse_document(path: Path, data: bytes, *, ocr: OcrOptions | None = None) -> ParsedDocument:
    """Run the format reader for ``path``'s extension over ``data`` (no normalisation).
    ``ocr``: how to read scanned pages and page images (None: OCR off)."""
    try:
        reader = _reader(path.suffix.lower(), ocr)
    except KeyError:
        raise _unsupported(path) from None
    return reader(data, str(path))


def load_minute(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, ocr: OcrOptions | None = None) -> Minute:
    """Read one minute file into a ``Minute``: normalised text plus metadata, and the page
    map of a paged document. ``ocr``: how scans are read (None: OCR off).

    Raises ``ParseError`` (``UnsupportedFormat`` for an extension we do not read) with a
    human problem: missing, unreadable, empty, too large, binary, undecodable, no text.
    """
    from minutes_rag.parse.normalize import normalize_pages

    path = Path(path)
    data = _read_checked(path, max_bytes)
    doc = parse_document(path, data, ocr=ocr)
    if not doc.text.strip():
        raise ParseError(str(path), "document has no text")
    norm = normalize_pages(doc.pages or [doc.text])
    text = norm.text
    pages = (
        tuple(PageSpan(n + 1, start, printed) for n, (start, printed) in enumerate(zip(norm.starts, norm.printed)))
        if doc.pages
        else ()
    )
    if not text.strip():
        raise ParseError(str(path), "document has no text")
    meta = extract_metadata(text)
    if not meta.date:  # a readout that names the day but not the year, in a file named by date
        meta = replace(meta, date=date_from_file_name(path.name, text))
    # front matter only fills what the minute's own text does not say
    title = doc.properties.get("title", "").strip()
    if title and not meta.title:
        meta = replace(meta, title=title[:200])
    return Minute(
        minute_id=ids.minute_id_for(path),
        source=str(path.resolve()),
        content_hash=ids.bytes_hash(data),
        text=text,
        meta=meta,
        pages=pages,
        warnings=doc.warnings,
    )


def _hidden(name: str) -> bool:
    # dot-files, and the "~$name.docx" lock files Word leaves beside open documents
    return name.startswith(".") or name.startswith("~$")


# A folder of minutes often carries a README or licence describing it: those are not minutes.
# (Named explicitly on the command line they are still ingested.)
_NOT_MINUTES = ("readme", "license", "licence", "notice", "changelog", "copying")


def _folder_note(name: str) -> bool:
    return Path(name).stem.lower() in _NOT_MINUTES


def path_problem(path: Path) -> str:
    """Why a path named on the command line cannot be ingested, or "" when it can be tried."""
    try:
        path.stat()
    except FileNotFoundError:
        if os.path.lexists(path):
            return "broken symbolic link (its target does not exist)"
        return "no such file or directory"
    except PermissionError:
        return "permission denied"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop (the link points back at itself)"
        return f"cannot access: {exc.strerror or exc}"
    return ""


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def walk_archive(paths: list[Path], *, follow_symlinks: bool = False) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files to ingest, and the ones refused with the reason.

    Folders are walked recursively (sorted, hidden files and folders skipped, supported
    extensions only). Symbolic links inside a folder are followed only when their target lies
    inside that folder too, unless ``follow_symlinks``: an archive must not pull in
    /etc/passwd because someone left a link to it. Linked folders are never descended (a
    link loop cannot trap the walk); only regular files are read. A file named explicitly is
    returned as given, so that its own error gets reported."""
    out: list[Path] = []
    refused: list[tuple[Path, str]] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        key = os.path.abspath(p)
        if key not in seen:
            seen.add(key)
            out.append(p)

    for given in paths:
        given = Path(given)
        if not given.is_dir():
            add(given)
            continue
        real_root = os.path.realpath(given)
        found: list[Path] = []
        # os.walk does not follow symlinked folders, so a link loop cannot trap us
        for root, dirs, files in os.walk(given):
            dirs[:] = [d for d in dirs if not _hidden(d)]
            for f in files:
                if _hidden(f) or _folder_note(f) or Path(f).suffix.lower() not in SUPPORTED_EXTENSIONS:
                    continue
                p = Path(root) / f
                if p.is_symlink():
                    problem = path_problem(p)
                    if problem:
                        refused.append((p, problem))
                        continue
                    if not follow_symlinks and not _inside(os.path.realpath(p), real_root):
                        refused.append((p, "symbolic link to a file outside the folder being ingested: not followed "
                                            "(set MINUTES_RAG_FOLLOW_SYMLINKS=true to allow it)"))
                        continue
                try:
                    mode = p.stat().st_mode
                except OSError as exc:
                    refused.append((p, f"cannot access: {exc.strerror or exc}"))
                    continue
                if stat.S_ISREG(mode):
                    found.append(p)
                elif not stat.S_ISDIR(mode):
                    refused.append((p, "not a regular file (a device, pipe or socket): not read"))
        for p in sorted(found, key=lambda q: q.relative_to(given).parts):
            add(p)
    return out, refused


def iter_source_files(paths: list[Path], *, follow_symlinks: bool = False) -> list[Path]:
    """The files ``walk_archive`` accepts (the refused ones dropped)."""
    return walk_archive(paths, follow_symlinks=follow_symlinks)[0]
