"""load_minute: the checks before reading, the errors it raises, what a Minute holds;
iter_source_files: which files a folder yields."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from parse_builders import SMALL_MINUTE  # noqa: E402

import minutes_rag.parse as parse_pkg  # noqa: E402
from minutes_rag import ids  # noqa: E402
from minutes_rag.errors import ParseError, UnsupportedFormat  # noqa: E402
from minutes_rag.parse import SUPPORTED_EXTENSIONS, iter_source_files, load_minute  # noqa: E402


def problem_of(path: Path, **kw) -> ParseError:
    with pytest.raises(ParseError) as info:
        load_minute(path, **kw)
    assert info.value.path == str(path)
    assert str(path) in str(info.value)
    return info.value


def test_minute_fields(tmp_path: Path) -> None:
    p = tmp_path / "m.txt"
    p.write_text(SMALL_MINUTE, encoding="utf-8")
    m = load_minute(p)
    assert m.source == str(p.resolve())
    assert m.minute_id == ids.minute_id_for(p)
    assert m.content_hash == ids.bytes_hash(p.read_bytes())
    assert m.text.startswith("江城市人民政府常务会议纪要\n\n〔2021〕5号")
    assert m.meta.doc_number == "〔2021〕5号"
    assert m.meta.date == "2021-03-08"


def test_same_file_same_ids_and_edit_changes_only_hash(tmp_path: Path) -> None:
    p = tmp_path / "m.txt"
    p.write_text(SMALL_MINUTE, encoding="utf-8")
    a, b = load_minute(p), load_minute(p)
    assert a == b
    p.write_text(SMALL_MINUTE.replace("防汛", "抗旱"), encoding="utf-8")
    c = load_minute(p)
    assert c.minute_id == a.minute_id and c.content_hash != a.content_hash


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    assert problem_of(p).problem == "file is empty"


def test_whitespace_only_has_no_text(tmp_path: Path) -> None:
    p = tmp_path / "blank.md"
    p.write_text(" \n\n\t\u3000\n", encoding="utf-8")
    assert problem_of(p).problem == "document has no text"


def test_oversize_file_reports_size_and_setting(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    with open(p, "wb") as fh:  # sparse: costs no disk
        fh.truncate(50 * 1024 * 1024)
    assert problem_of(p).problem == "file is 50.0 MB, over the 20 MB limit (MINUTES_RAG_MAX_FILE_MB)"


def test_max_bytes_is_respected(tmp_path: Path) -> None:
    p = tmp_path / "m.txt"
    p.write_text(SMALL_MINUTE, encoding="utf-8")
    err = problem_of(p, max_bytes=100)
    assert "over the" in err.problem and "limit" in err.problem
    assert load_minute(p, max_bytes=len(p.read_bytes())).meta.doc_number == "〔2021〕5号"


def test_missing_file(tmp_path: Path) -> None:
    assert problem_of(tmp_path / "nope.txt").problem == "file not found"


def test_broken_symlink(tmp_path: Path) -> None:
    p = tmp_path / "link.txt"
    p.symlink_to(tmp_path / "gone.txt")
    assert "broken symbolic link" in problem_of(p).problem


def test_directory_named_like_a_file(tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.mkdir()
    assert problem_of(p).problem == "is a directory, not a file"


def test_fifo_is_not_a_regular_file(tmp_path: Path) -> None:
    p = tmp_path / "pipe.txt"
    os.mkfifo(p)
    assert problem_of(p).problem == "not a regular file"


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, which reads a chmod 000 file anyway: make open() refuse instead.
    p = tmp_path / "secret.txt"
    p.write_text(SMALL_MINUTE, encoding="utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(parse_pkg, "open", refuse, raising=False)
    assert problem_of(p).problem == "permission denied"


def test_unsupported_extension(tmp_path: Path) -> None:
    p = tmp_path / "minute.xyz"
    p.write_text(SMALL_MINUTE, encoding="utf-8")
    with pytest.raises(UnsupportedFormat) as info:
        load_minute(p)
    assert info.value.problem == (
        "unsupported file type .xyz (supported: .txt, .md, .docx, .pdf, .html, .htm, .png, .jpg, .jpeg, .tif, .tiff)"
    )


def test_no_extension_is_unsupported(tmp_path: Path) -> None:
    p = tmp_path / "README"
    p.write_text("x", encoding="utf-8")
    with pytest.raises(UnsupportedFormat) as info:
        load_minute(p)
    assert "no extension" in info.value.problem


def test_extension_case_is_ignored(tmp_path: Path) -> None:
    p = tmp_path / "M.TXT"
    p.write_text(SMALL_MINUTE, encoding="utf-8")
    assert load_minute(p).meta.meeting_number == 12


def test_binary_file(tmp_path: Path) -> None:
    p = tmp_path / "image.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    assert problem_of(p).problem == "binary file, not text (NUL bytes)"


def test_control_characters_are_binary(tmp_path: Path) -> None:
    p = tmp_path / "junk.txt"
    p.write_bytes(bytes(range(1, 9)) * 200)
    assert problem_of(p).problem == "binary file, not text (control characters)"


def test_undecodable_bytes(tmp_path: Path) -> None:
    # UTF-8 text with stray bytes that are valid in no encoding we try
    p = tmp_path / "broken.txt"
    p.write_bytes(("会议纪要".encode() + b"\x80\xff\xfe\x81") * 50)
    assert problem_of(p).problem == "cannot decode text: not UTF-8, UTF-16 or GB18030"


def test_supported_extensions() -> None:
    assert SUPPORTED_EXTENSIONS == (".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


def test_iter_source_files_walks_sorted_and_skips_hidden(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    for rel in ["2020/b.txt", "2020/a.docx", "2019/z.pdf", "top.md", "page.HTM", "notes.xyz",
                ".hidden.txt", ".git/x.txt", "2020/.cache/y.txt", "2020/~$a.docx"]:
        f = root / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("x", encoding="utf-8")
    got = [p.relative_to(root).as_posix() for p in iter_source_files([root])]
    assert got == ["2019/z.pdf", "2020/a.docx", "2020/b.txt", "page.HTM", "top.md"]


def test_iter_source_files_keeps_explicit_files_and_order(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("x", encoding="utf-8")
    odd = tmp_path / "odd.xyz"
    odd.write_text("x", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    got = iter_source_files([odd, tmp_path / "d", missing, tmp_path / "d" / "a.txt"])
    # explicit files come back even when unsupported or missing; duplicates only once
    assert got == [odd, tmp_path / "d" / "a.txt", missing]


def test_iter_source_files_skips_folder_notes_but_not_when_named(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# about this archive", encoding="utf-8")
    (tmp_path / "LICENSE.txt").write_text("MIT", encoding="utf-8")
    (tmp_path / "minute.txt").write_text("纪要", encoding="utf-8")
    assert [p.name for p in iter_source_files([tmp_path])] == ["minute.txt"]
    assert [p.name for p in iter_source_files([tmp_path / "README.md"])] == ["README.md"]
