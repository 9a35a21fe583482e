"""``minutes-rag followup`` and ``actions --json`` (the README contract), through cli.main
with the hash embedder; the digest's xlsx read back with openpyxl."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from minutes_rag import cli

# a meeting a year ago with a deadline 30 days after it (overdue today), and one with a
# deadline at the end of a year well ahead (open, not overdue)
_PAST = date.today() - timedelta(days=365)
_FUTURE_YEAR = date.today().year + 2

MINUTE = f"""云江市人民政府 常务会议纪要

〔2021〕3号

{_PAST.year}年{_PAST.month}月{_PAST.day}日上午，张三市长主持召开市政府第110次常务会议。

会议议定以下意见：

一、听取关于全市消防安全工作情况的汇报

会议听取了市消防救援支队的汇报。由市应急局牵头，市住建局配合，30日内完成高层建筑消防隐患排查整治。

二、审议《云江市垃圾分类实施方案》

原则同意《云江市垃圾分类实施方案》。由市城管局负责，{_FUTURE_YEAR}年底前完成垃圾分类设施建设。会议强调，各街道要做好老旧电梯的日常巡查。

出席：张三 李四 王五
"""


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(MINUTE, encoding="utf-8")
    data = tmp_path / "data"
    assert cli.main(["ingest", str(folder), "--data-dir", str(data), "--embedder", "hash-64"]) == 0
    return data


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _actions(capsys: pytest.CaptureFixture[str], data: Path) -> list[dict]:
    code, out, _ = _run(capsys, "actions", "--json", "--data-dir", str(data), "--embedder", "hash-64")
    assert code == 0
    return json.loads(out)


def test_actions_json_gains_the_followup_keys(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _actions(capsys, data_dir)
    fire = next(r for r in rows if r["lead"] == ["市应急局"])
    assert {"status", "overdue", "deadline_date", "origin", "notes", "trail", "suggestion"} <= set(fire)
    assert fire["status"] == "open" and fire["origin"] == "rules" and fire["notes"] == [] and fire["suggestion"] == ""
    assert fire["deadline_date"] == (_PAST + timedelta(days=30)).isoformat() and fire["overdue"] is True
    bins = next(r for r in rows if r["lead"] == ["市城管局"] and r["kind"] == "assignment")
    assert bins["deadline_date"] == f"{_FUTURE_YEAR}-12-31" and bins["overdue"] is False


def test_set_add_correct_and_the_digest(data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    common = ["--data-dir", str(data_dir), "--embedder", "hash-64"]
    rows = _actions(capsys, data_dir)
    fire = next(r for r in rows if r["lead"] == ["市应急局"])
    code, out, _ = _run(capsys, "followup", "set", fire["item_id"], "--status", "blocked", "--note", "资金未到位",
                        "--user", "li", *common)
    assert code == 0
    shown = json.loads(out)
    assert shown["status"] == "blocked" and shown["overdue"] is True
    assert [(n["text"], n["user"]) for n in shown["notes"]] == [("资金未到位", "li")]

    text = MINUTE
    s = text.index("各街道要做好老旧电梯的日常巡查")
    e = s + len("各街道要做好老旧电梯的日常巡查")
    code, out, _ = _run(capsys, "followup", "add", "--minute", "〔2021〕3号", "--start", str(s), "--end", str(e),
                        "--kind", "assignment", "--lead", "各街道", "--deadline", "30日内", "--user", "wang", *common)
    assert code == 0
    added = json.loads(out)
    assert added["quote"] == "各街道要做好老旧电梯的日常巡查" and added["origin"] == "person"
    assert added["lead"] == ["各街道"] and added["overdue"] is True

    code, _, err = _run(capsys, "followup", "add", "--minute", "〔2021〕3号", "--start", "5", "--end", "999999",
                        "--kind", "decision", "--user", "wang", *common)
    assert code == 2 and "outside the minute" in err

    bins = next(r for r in rows if r["lead"] == ["市城管局"] and r["kind"] == "assignment")
    code, out, _ = _run(capsys, "followup", "correct", bins["item_id"], "--lead", "市城市管理局", "--user", "zhao", *common)
    assert code == 0 and json.loads(out)["lead"] == ["市城市管理局"]

    code, out, _ = _run(capsys, "followup", "history", fire["item_id"], "--json", *common)
    assert [(h["action"], h["user"]) for h in json.loads(out)] == [("status", "li"), ("note", "li")]

    code, out, _ = _run(capsys, "followup", "--json", *common)
    digest = json.loads(out)
    units = {u["unit"]: u for u in digest["units"]}
    assert set(units) == {"市应急局", "市城市管理局", "各街道"}
    assert units["市应急局"]["overdue"] == 1 and units["市应急局"]["entries"][0]["status"] == "blocked"
    assert units["市城市管理局"]["overdue"] == 0

    code, out, _ = _run(capsys, "followup", "--overdue", "--json", *common)
    assert {u["unit"] for u in json.loads(out)["units"]} == {"市应急局", "各街道"}
    code, out, _ = _run(capsys, "followup", "--unit", "城市管理", "--json", *common)
    assert [u["unit"] for u in json.loads(out)["units"]] == ["市城市管理局"]

    book = tmp_path / "digest.xlsx"
    assert _run(capsys, "followup", "--xlsx", str(book), *common)[0] == 0
    sheet = load_workbook(book).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["责任单位", "状态", "逾期", "事项"]
    by_unit = {r[0]: r for r in values[1:]}
    assert by_unit["市应急局"][1] == "受阻" and by_unit["市应急局"][2] == "是"
    assert "资金未到位" in by_unit["市应急局"][8]
    assert by_unit["市城市管理局"][2] in ("", None)

    md = tmp_path / "digest.md"
    assert _run(capsys, "followup", "--md", str(md), *common)[0] == 0
    assert "## 市应急局" in md.read_text(encoding="utf-8") and "逾期" in md.read_text(encoding="utf-8")


def test_an_unknown_item_is_a_clear_error(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "followup", "set", "nope", "--status", "done", "--data-dir", str(data_dir),
                        "--embedder", "hash-64")
    assert code == 1 and "no ledger entry 'nope'" in err
