"""No input aborts a run, and nothing outside the archive is read: hostile and odd inputs,
each next to a good minute that must still be ingested."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from test_ingest_pipeline import MINUTE_A, MINUTE_B, make_assistant

from minutes_rag.assistant import Assistant
from minutes_rag.config import Settings
from minutes_rag.embed import HashEmbedder
from minutes_rag.errors import ParseError
from minutes_rag.parse import load_minute, walk_archive


def errors_by_name(report) -> dict[str, str]:
    return {Path(e["path"]).name: e["error"] for e in report.errors}


def test_a_parser_raising_an_unexpected_error_fails_that_file_only(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(MINUTE_A, encoding="utf-8")
    (folder / "b.md").write_text(MINUTE_B, encoding="utf-8")
    from minutes_rag.parse import text as text_mod

    real = text_mod.read_markdown

    def broken(data: bytes, path: str):
        raise ZeroDivisionError("a bug in a parser")

    monkeypatch.setattr(text_mod, "read_markdown", broken)
    a, _ = make_assistant(tmp_path / "data")
    report = a.ingest([folder])
    assert report.added == 1 and report.failed == 1
    err = errors_by_name(report)["b.md"]
    assert "ZeroDivisionError" in err and "a bug in a parser" in err
    assert a.store.count() == a.index.section_count()
    monkeypatch.setattr(text_mod, "read_markdown", real)
    assert a.ingest([folder]).added == 1


@pytest.mark.parametrize("batch", [1, 1000])
def test_a_chroma_failure_half_way_through_a_file_is_rolled_back(tmp_path: Path, monkeypatch, batch: int) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(MINUTE_A, encoding="utf-8")
    (folder / "b.txt").write_text(MINUTE_B, encoding="utf-8")
    a = Assistant(Settings.load(env={}, data_dir=str(tmp_path / "data"), ingest_batch_sections=batch),
                  embedder=HashEmbedder(64))
    a.store.create = True  # as the writer does: the test reaches into the collection first
    a.store.max_batch = lambda: 2  # type: ignore[method-assign]
    calls = {"n": 0}
    real = a.store.col.upsert

    def flaky(**kw):
        calls["n"] += 1
        if calls["n"] == 2:  # the second batch of the first file fails
            raise RuntimeError("chroma went away")
        return real(**kw)

    a.store.col.upsert = flaky  # type: ignore[method-assign]
    report = a.ingest([folder])
    if batch == 1:  # every minute alone: the first file fails
        assert report.failed == 1 and report.added == 1
        assert "RuntimeError" in report.errors[0]["error"]
    else:  # both minutes in one batch: it is rolled back and written again one minute at a time
        assert report.failed == 0 and report.added == 2 and calls["n"] > 2
    # the failed file's first batch is not left behind as strays
    assert set(a.store.all_ids()) == a.index.all_section_ids()
    assert a.index.journal_pending() == []


def test_batches_to_chroma_respect_its_maximum(tmp_path: Path) -> None:
    items = "\n\n".join(f"{i}. Item {i}: the council discussed agenda matter number {i} at length." for i in range(1, 41))
    text = "CITY COUNCIL MINUTES\n\nJanuary 5, 2011\n\n" + items + "\n"
    f = tmp_path / "long.txt"
    f.write_text(text, encoding="utf-8")
    a, _ = make_assistant(tmp_path / "data")
    sizes: list[int] = []
    a.store.create = True
    a.store.max_batch = lambda: 7  # type: ignore[method-assign]
    real = a.store.col.upsert

    def spy(**kw):
        sizes.append(len(kw["ids"]))
        return real(**kw)

    a.store.col.upsert = spy  # type: ignore[method-assign]
    report = a.ingest([f])
    assert report.added == 1 and a.index.section_count() > 7
    assert max(sizes) <= 7 and sum(sizes) == a.index.section_count()
    assert a.store.count() == a.index.section_count()


def test_html_nested_many_levels_deep_is_read(tmp_path: Path) -> None:
    depth = 20000
    body = "<div>" * depth + "<p>苏州市人民政府常务会议纪要</p><p>一、审议《方案》</p><p>会议原则同意。</p>" + "</div>" * depth
    f = tmp_path / "deep.html"
    f.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    minute = load_minute(f)
    assert "会议原则同意" in minute.text


def _docx_with(part_bytes: int, n_extra: int = 0) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<" + b"a" * part_bytes + b">")
        for i in range(n_extra):
            zf.writestr(f"word/media/x{i}.bin", b"")
    return buf.getvalue()


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    import tracemalloc

    bomb = _docx_with(200 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024  # small on disk
    f = tmp_path / "bomb.docx"
    f.write_bytes(bomb)
    tracemalloc.start()
    with pytest.raises(ParseError, match="unpack to 200 MB, over the limit of 64 MB"):
        load_minute(f)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 32 * 1024 * 1024
    many = tmp_path / "many.docx"
    many.write_bytes(_docx_with(10, n_extra=2500))
    with pytest.raises(ParseError, match="2502 parts, over the limit of 2000"):
        load_minute(many)


def test_markdown_front_matter_is_metadata_not_text(tmp_path: Path) -> None:
    f = tmp_path / "m.md"
    f.write_text(
        "---\nlayout: minutes\ntitle: Council minutes 5 January 2011\ntags: [council]\n---\n"
        "# CITY COUNCIL MINUTES\n\nJanuary 5, 2011\n\n1. The council approved the budget.\n",
        encoding="utf-8",
    )
    minute = load_minute(f)
    assert "layout" not in minute.text and "tags" not in minute.text
    assert minute.text.lstrip().startswith("CITY COUNCIL MINUTES")
    assert "approved the budget" in minute.text
    # a rule line at the top that is not front matter stays text
    g = tmp_path / "rule.md"
    g.write_text("---\n会议纪要正文第一段\n---\n第二段\n", encoding="utf-8")
    assert "会议纪要正文第一段" in load_minute(g).text


# -- archive boundaries ----------------------------------------------------------------------

@pytest.fixture()
def linked_archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(MINUTE_A, encoding="utf-8")
    secret = tmp_path / "outside" / "passwd.txt"
    secret.parent.mkdir()
    secret.write_text(MINUTE_B.replace("老旧小区改造", "秘密文件内容"), encoding="utf-8")
    os.symlink(secret, folder / "leak.txt")
    os.symlink(folder / "a.txt", folder / "sub" / "inside-link.txt")  # stays inside: fine
    os.symlink(folder / "loop1.txt", folder / "loop2.txt")
    os.symlink(folder / "loop2.txt", folder / "loop1.txt")
    os.symlink(tmp_path / "nowhere.txt", folder / "broken.txt")
    os.symlink(tmp_path / "outside", folder / "outdir")  # a linked folder is never descended
    os.mkfifo(folder / "pipe.txt")
    return folder


def test_links_out_of_the_archive_are_not_followed(tmp_path: Path, linked_archive: Path) -> None:
    a, _ = make_assistant(tmp_path / "data")
    report = a.ingest([linked_archive])
    errors = errors_by_name(report)
    assert "outside the folder being ingested" in errors["leak.txt"]
    assert "loop" in errors["loop1.txt"] and "loop" in errors["loop2.txt"]
    assert "broken symbolic link" in errors["broken.txt"]
    assert "not a regular file" in errors["pipe.txt"]
    texts = " ".join(s.text for m in a.list_minutes() for s in a.index.sections_of(m["minute_id"]))
    assert "秘密文件内容" not in texts
    assert not a.retrieve("秘密文件内容", k=5) or all("秘密" not in h.section.text for h in a.retrieve("秘密文件内容"))
    assert report.added == 1  # a.txt; its inside link is the same minute's text (deduplicated by id)


def test_following_links_out_is_a_setting(tmp_path: Path, linked_archive: Path) -> None:
    files, refused = walk_archive([linked_archive], follow_symlinks=True)
    assert "leak.txt" in {p.name for p in files}
    assert "leak.txt" not in {p.name for p, _ in refused}
    files, refused = walk_archive([linked_archive])
    assert "leak.txt" not in {p.name for p in files}
    assert "inside-link.txt" in {p.name for p in files}


def test_a_missing_root_and_a_looping_root_get_the_right_message(tmp_path: Path) -> None:
    os.symlink(tmp_path / "l2", tmp_path / "l1")
    os.symlink(tmp_path / "l1", tmp_path / "l2")
    a, _ = make_assistant(tmp_path / "data")
    report = a.ingest([tmp_path / "l1", tmp_path / "gone.txt"])
    errors = errors_by_name(report)
    assert "loop" in errors["l1"]
    assert errors["gone.txt"] == "no such file or directory"
