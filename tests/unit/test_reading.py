"""reading: how a minute was read (family, items, ledger entries) and the warnings on long
minutes the rules did not understand; the CLI's ingest report and doctor --structure."""

from __future__ import annotations

import json
from pathlib import Path

from minutes_rag.model import Minute, MinuteMeta, Section
from minutes_rag.reading import WARN_MIN_CHARS, MinuteRead, families_line, family_of, minute_read, read_warnings
from minutes_rag.structure_report import structure_json, structure_lines
from minutes_rag.ui import render


def _minute(text: str, lang: str = "en", source: str = "/a/m.txt") -> Minute:
    return Minute("m1", source, "h", text, MinuteMeta(lang=lang))


def _sec(kind: str, label: tuple[str, ...]) -> Section:
    return Section("s", "m1", label, kind, "", "x", 0, 1)


def test_family_from_the_sections():
    items = [_sec("preamble", ("Preamble",)), _sec("item", ("38",)), _sec("item", ("39",)), _sec("item", ("39",))]
    paragraphs = [_sec("paragraph", ("¶1",)), _sec("paragraph", ("¶2",))]
    assert family_of(_minute("x"), items) == "council items"
    assert family_of(_minute("x", source="/a/notes.md"), items) == "board markdown"
    assert family_of(_minute("x", lang="zh"), items) == "纪要 items"
    assert family_of(_minute("x"), paragraphs) == "paragraphs"
    assert family_of(_minute("会议指出，要做好。会议强调，要抓好。", lang="zh"), paragraphs) == "readout paragraphs"
    read = minute_read(_minute("x" * 10), items, 3, "split-1")
    assert (read.items, read.ledger_entries, read.chars, read.splitter) == (2, 3, 10, "split-1")


def test_long_minutes_without_items_or_ledger_are_warned_about_short_ones_not():
    long = MinuteRead("/a/m.txt", "m1", "paragraphs", 0, 0, WARN_MIN_CHARS + 1)
    codes = [w.code for w in read_warnings(long)]
    assert codes == ["no_agenda_items", "no_ledger_entries"]
    assert "read as paragraphs: no agenda items recognised" in read_warnings(long)[0].message
    assert read_warnings(MinuteRead("/a/m.txt", "m1", "paragraphs", 0, 0, WARN_MIN_CHARS)) == []
    ok = MinuteRead("/a/m.txt", "m1", "council items", 12, 7, 50_000)
    assert read_warnings(ok) == []
    no_ledger = MinuteRead("/a/m.txt", "m1", "council items", 12, 0, 50_000)
    assert [w.code for w in read_warnings(no_ledger)] == ["no_ledger_entries"]
    assert families_line([ok.to_json(), long.to_json()]) == "read: 1 council items, 1 paragraphs (1 with warnings, listed below)"


def test_structure_report_lists_the_flagged_minutes():
    reads = [MinuteRead("/a/ok.txt", "m1", "council items", 12, 7, 50_000),
             MinuteRead("/a/flat.txt", "m2", "paragraphs", 0, 0, 9_000)]
    out = structure_json(reads, minutes=3)
    assert out["families"] == {"council items": 1, "paragraphs": 1} and out["recorded"] == 2
    assert [m["minute_id"] for m in out["flagged"]] == ["m2"]
    assert [w["code"] for w in out["flagged"][0]["warnings"]] == ["no_agenda_items", "no_ledger_entries"]
    lines = structure_lines(out)
    assert any("flat.txt" in line and "no agenda items" in line for line in lines)
    assert any("1 minutes have no record" in line for line in lines)


def test_the_upload_report_shows_the_warning_and_each_read():
    read = MinuteRead("/up/flat.txt", "m2", "paragraphs", 0, 0, 9_000).to_json()
    warnings = [w.to_json() for w in read_warnings(MinuteRead(**read))]
    html = render.ingest_html("1 added", [], "en", reads=[read], warnings=warnings)
    assert 'data-code="no_agenda_items"' in html and "flat.txt: read as paragraphs: no agenda items recognised" in html
    assert "9,000 characters" in html and "read as paragraphs, 0 agenda items, 0 ledger entries" in html
    zh = render.ingest_html("新增 1", [], "zh", reads=[read], warnings=warnings)
    assert "未识别出议题" in zh
    assert "ingest-warning" not in render.ingest_html("1 added", [], "en", reads=[], warnings=[])


FLAT = ("The board talked about the budget and the weather for a long while without any numbered item. " * 30).strip()


def test_cli_ingest_and_doctor_structure_report_a_minute_not_understood(tmp_path: Path, capsys, monkeypatch):
    from minutes_rag import cli

    monkeypatch.setenv("MINUTES_RAG_EMBEDDER", "hash-64")
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "flat.txt").write_text(FLAT, encoding="utf-8")
    data = str(tmp_path / "d")
    assert cli.main(["ingest", str(archive), "--data-dir", data, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (read,) = out["minutes_read"]
    assert read["family"] == "paragraphs" and read["items"] == 0 and len(FLAT) <= read["chars"] <= len(FLAT) + 1
    assert {w["code"] for w in out["warning_details"]} == {"no_agenda_items", "no_ledger_entries"}
    assert all(w["path"].endswith("flat.txt") for w in out["warning_details"])
    assert any("no agenda items recognised" in w for w in out["warnings"])

    (archive / "flat.txt").write_text(FLAT + " More.", encoding="utf-8")
    assert cli.main(["ingest", str(archive), "--data-dir", data]) == 0
    captured = capsys.readouterr()
    assert "read: 1 paragraphs (1 with warnings, listed below)" in captured.out
    assert "warning: flat.txt: read as paragraphs: no agenda items recognised" in captured.err

    assert cli.main(["doctor", "--structure", "--data-dir", data, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["minutes"] == 1 and [m["path"].rsplit("/", 1)[-1] for m in report["flagged"]] == ["flat.txt"]
    assert cli.main(["doctor", "--structure", "--data-dir", data]) == 0
    assert "flat.txt" in capsys.readouterr().out
