"""The ledger exports (xlsx, csv) read back as a 督办 office would open them, and
`minutes-rag eval` on a ledger set."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from openpyxl import load_workbook

from minutes_rag.ledger import LedgerEntry
from minutes_rag.ledger.exports import write_csv, write_xlsx

ENTRIES = [
    LedgerEntry(
        item_id="m1-a10", minute_id="m1", doc_number="〔2020〕21号", meeting_number=102, date="2020-06-30", label="四（一）",
        section_id="s1", kind="assignment", lead=("市住建局",), partners=("市财政局", "市审计局"),
        task="作进一步修改完善后按程序发文实施", deadline="年底前", quote="由市住建局根据本次会议讨论意见作进一步修改完善后按程序发文实施。",
        start=10, end=40,
    ),
    LedgerEntry(
        item_id="m1-d5", minute_id="m1", doc_number="〔2020〕21号", meeting_number=102, date="2020-06-30", label="四（一）",
        section_id="s1", kind="decision", outcome="原则同意", subject="《苏州市政策性租赁住房试点工作方案》",
        quote="原则同意《苏州市政策性租赁住房试点工作方案》。", start=5, end=9,
    ),
]


def test_xlsx_is_a_printable_chinese_ledger(tmp_path: Path) -> None:
    path = write_xlsx(ENTRIES, tmp_path / "ledger.xlsx")
    ws = load_workbook(path).active
    head = [c.value for c in ws[1]]
    for h in ("会议", "文号", "议题", "事项", "责任单位", "配合单位", "完成时限", "结果", "原文", "出处"):
        assert h in head
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 2
    row = dict(zip(head, rows[0]))
    assert row["责任单位"] == "市住建局" and row["配合单位"] == "市财政局、市审计局" and row["完成时限"] == "年底前"
    assert row["出处"] == "〔2020〕21号 四（一）" and row["会议"] == "第102次会议 2020-06-30"
    assert row["原文"] == ENTRIES[0].quote and row["类型"] == "任务"
    assert dict(zip(head, rows[1]))["结果"] == "原则同意"
    assert ws.freeze_panes == "A2"
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$1"  # the header row repeats on every printed page
    assert ws.cell(row=2, column=head.index("原文") + 1).alignment.wrap_text
    assert ws.column_dimensions["L"].width >= 40  # the quote column is wide


def test_xlsx_english_headings(tmp_path: Path) -> None:
    ws = load_workbook(write_xlsx(ENTRIES, tmp_path / "l.xlsx", lang="en")).active
    head = [c.value for c in ws[1]]
    assert "Responsible" in head and "Deadline" in head and "责任单位" not in head


def test_csv_has_a_bom_for_excel(tmp_path: Path) -> None:
    path = write_csv(ENTRIES, tmp_path / "ledger.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][5] == "事项" and rows[1][6] == "市住建局" and len(rows) == 3


def test_eval_scores_a_ledger_set(tmp_path: Path, capsys, monkeypatch) -> None:
    from minutes_rag.cli import main

    monkeypatch.setenv("MINUTES_RAG_EMBEDDER", "hash-64")
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "临江市人民政府常务会议纪要\n\n〔2022〕7号\n\n2022年3月1日，市长主持召开市政府第9次常务会议。\n\n会议议定以下意见：\n\n"
        "一、审议《临江市河道保护方案》\n\n（一）原则同意《临江市河道保护方案》。由市水利局会同市财政局于6月30日前印发实施。\n\n"
        "（二）会议听取了市审计局关于河道资金审计情况的汇报。\n",
        encoding="utf-8",
    )
    labels = {"id": "t1", "ledger": True, "minute": "〔2022〕7号", "entries": [
        {"kind": "decision", "outcome": "原则同意", "subject": "临江市河道保护方案"},
        {"kind": "assignment", "lead": "市水利局", "partners": ["市财政局"], "task": "印发实施", "deadline": "6月30日前"},
        {"kind": "report", "lead": "市审计局", "subject": "河道资金审计情况"},
        {"kind": "report", "lead": "市财政局", "subject": "不存在的汇报"},
    ]}
    sets = tmp_path / "ledger.jsonl"
    sets.write_text(json.dumps(labels, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "reports"
    code = main(["eval", str(sets), "--ingest", str(folder), "--data-dir", str(tmp_path / "data"), "--json", "--out", str(out)])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    g = data["ledger"]["groups"]
    assert g["decision"]["recall"] == 1.0 and g["assignment"]["recall"] == 1.0
    assert g["report"]["recall"] == 0.5 and g["report"]["precision"] == 1.0
    assert data["ledger"]["deadline_accuracy"] == 1.0 and data["ledger"]["verbatim_quotes"] == 1.0
    assert data["per_minute"][0]["missed"][0]["lead"] == "市财政局"
    assert (out / "ledger.md").exists() and "precision" in (out / "ledger.md").read_text(encoding="utf-8")
