"""Rule-based ledger extraction on small minutes written for these tests (Chinese minutes,
news-style readouts, English council minutes): what is found, what is not, and that every
quote is verbatim at its offsets inside its section."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from minutes_rag.ledger import LedgerEntry
from minutes_rag.ledger.extract import apply_refiner, extract_ledger
from minutes_rag.parse import load_minute
from minutes_rag.split import split_minute

ZH = """江北市人民政府常务会议纪要

〔2023〕9号

2023年4月6日上午，周强市长主持召开市政府第41次常务会议，审议《江北市城市更新实施方案》，听取关于一季度安全生产工作情况的汇报。

会议议定以下意见：

一、审议《江北市城市更新实施方案》

（一）原则同意《江北市城市更新实施方案》。由市住建局会同市自然资源和规划局、市财政局根据会议意见修改完善，6月30日前印发实施。

（二）通过推进城市更新努力改善人居环境。我们要坚持规划引领。

（三）明确由市发展改革委牵头，市城管局、各区政府配合，年底前完成首批项目储备。

二、听取关于一季度安全生产工作情况的汇报

（一）会议听取了市应急局关于一季度安全生产工作情况的汇报。请各地各部门认真抓好落实。

（二）市委组织部要会同市人社局做好干部培训。市消防救援支队负责高层建筑消防检查，各区配合。

三、其他事项

会议不同意市文旅局关于增设节庆补贴的请示。暂缓审议《江北市停车收费管理办法》。

出席：周强 李华

列席：市住建局王一 市应急局张二 市委组织部赵三

记录：钱四
"""

EN = """CITY OF ELMWOOD
CITY COUNCIL MINUTES
April 4, 2022

Present: Mayor Hart; Councilmembers Lin, Moss, Ortega and Quinn.

1. Consent Calendar
Motion by Councilmember Lin, seconded by Councilmember Moss, to approve the Consent Calendar. The motion carried 5-0.

2. Resolution 2022-10 adopting the Climate Action Plan
Disposition: Adopted (Aye (4), Nay (1))

3. Presentation by the Parks Department on summer programs. Staff was directed to report back on pool hours by June 1, 2022.

4. Ordinance 880 amending the noise code
Motion to amend failed 2-3. The ordinance was continued to May 2, 2022.

*5 Authorize a grant agreement with the State for trail repairs (Ordinance) (Y-5) 190001

6 Contract with River Co. for dredging (Ordinance) REFERRED TO COMMISSIONER OF PUBLIC WORKS

7. Council Comments
Councilmember Quinn will meet with the library board before the next meeting.

Adjourned at 8:40 p.m.
"""


def _ledger(tmp_path: Path, text: str, name: str) -> tuple[list[LedgerEntry], str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    minute = load_minute(path, max_bytes=10**7)
    sections = split_minute(minute, max_chars=700)
    entries = extract_ledger(minute, sections)
    by_id = {s.section_id: s for s in sections}
    for e in entries:  # every quote verbatim, at its offsets, inside its own section
        assert minute.text[e.start : e.end] == e.quote
        sec = by_id[e.section_id]
        assert sec.start <= e.start < sec.end
        assert sec.label == e.label
    return entries, minute.text


@pytest.fixture()
def zh(tmp_path: Path) -> list[LedgerEntry]:
    return _ledger(tmp_path, ZH, "zh.txt")[0]


@pytest.fixture()
def en(tmp_path: Path) -> list[LedgerEntry]:
    return _ledger(tmp_path, EN, "en.txt")[0]


def _one(entries: list[LedgerEntry], **kw) -> LedgerEntry:
    found = [e for e in entries if all(getattr(e, k) == v for k, v in kw.items())]
    assert len(found) == 1, (kw, [(e.kind, e.lead, e.quote) for e in entries])
    return found[0]


def test_zh_decisions_with_their_matter(zh: list[LedgerEntry]) -> None:
    decisions = [e for e in zh if e.kind == "decision"]
    assert [(e.outcome, e.label) for e in decisions] == [("原则同意", "一（一）"), ("不同意", "三"), ("暂缓审议", "三")]
    assert decisions[0].subject == "《江北市城市更新实施方案》"
    assert decisions[1].subject == "市文旅局关于增设节庆补贴的请示"
    assert decisions[2].subject == "《江北市停车收费管理办法》"
    # 通过 meaning "by means of" opens no decision; the agenda line 审议《…》 is no decision either
    assert not any("通过推进" in e.quote for e in zh)
    assert not any(e.label == "导语" for e in zh)


def test_zh_assignments_lead_partners_task_deadline(zh: list[LedgerEntry]) -> None:
    a = _one(zh, kind="assignment", lead=("市住建局",))
    assert a.partners == ("市自然资源和规划局", "市财政局")
    assert a.deadline == "6月30日前" and a.task.startswith("根据会议意见修改完善")
    b = _one(zh, kind="assignment", lead=("市发展改革委",))
    assert b.partners == ("市城管局", "各区政府") and b.deadline == "年底前"
    assert b.task == "完成首批项目储备"
    assert b.quote.startswith("明确由市发展改革委牵头")
    # a unit inside a larger one is one unit; 要会同 names the partner
    c = _one(zh, kind="assignment", lead=("市委组织部",))
    assert c.partners == ("市人社局",) and c.task == "做好干部培训"
    # two addressees in one sentence: two entries, the partner clause belongs to the first
    d = _one(zh, kind="assignment", lead=("市消防救援支队",))
    assert d.partners == ("各区",) and d.task == "高层建筑消防检查"
    assert not any(e.lead == ("我们",) for e in zh)


def test_zh_generic_addressees_are_kept_and_marked(zh: list[LedgerEntry]) -> None:
    g = _one(zh, kind="assignment", lead=("各地各部门",))
    assert g.generic is True and g.task == "认真抓好落实"
    assert all(not e.generic for e in zh if e.kind == "assignment" and e.lead != ("各地各部门",))


def test_zh_reports_need_a_unit(zh: list[LedgerEntry]) -> None:
    # the item heading 听取关于…的汇报 names no unit: only the sentence that does is a report
    reports = [(e.lead, e.subject, e.label) for e in zh if e.kind == "report"]
    assert reports == [(("市应急局",), "一季度安全生产工作情况", "二（一）")]


def test_zh_news_readout_without_numbering(tmp_path: Path) -> None:
    text = (
        "市政府召开第12次常务会议\n\n5月8日，市长主持召开市政府第12次常务会议。\n\n"
        "会议审议并原则通过了《山城市数字经济发展规划》。会议要求，市工信局要牵头抓好规划实施，"
        "市数据局要在9月底前建成公共数据平台。\n\n"
        "会议听取了市审计局关于市级预算执行审计情况的汇报。市发改委、市财政局等单位负责同志参加会议。\n"
    )
    entries, _ = _ledger(tmp_path, text, "news.txt")
    kinds = [(e.kind, e.lead) for e in entries]
    assert ("decision", ()) in kinds
    assert _one(entries, kind="decision").outcome == "原则通过"
    assert _one(entries, kind="assignment", lead=("市工信局",)).task == "抓好规划实施"
    assert _one(entries, kind="assignment", lead=("市数据局",)).deadline == "9月底前"
    assert _one(entries, kind="report", lead=("市审计局",)).subject == "市级预算执行审计情况"
    # 负责同志参加会议 says who attended, not who is responsible
    assert not any("负责同志" in e.quote for e in entries if e.kind == "assignment")


def test_en_dispositions_and_votes(en: list[LedgerEntry]) -> None:
    d = [(e.label, e.outcome, e.vote) for e in en if e.kind == "decision"]
    assert ("1", "carried", "5-0") in d
    assert ("2", "Adopted", "Aye (4), Nay (1)") in d
    assert ("4", "failed", "2-3") in d
    assert ("4", "continued to May 2, 2022", "") in d
    assert ("5", "Passed (No. 190001)", "Y-5") in d
    ref = _one(en, kind="decision", label="6")
    assert ref.outcome == "REFERRED TO COMMISSIONER OF PUBLIC WORKS" and ref.lead == ("COMMISSIONER OF PUBLIC WORKS",)
    assert ref.subject == "Contract with River Co. for dredging"
    assert ref.quote.startswith("Contract with River Co.") and ref.quote.endswith("PUBLIC WORKS")
    assert len(d) == 6


def test_en_assignments_and_reports(en: list[LedgerEntry]) -> None:
    s = _one(en, kind="assignment", lead=("Staff",))
    assert s.task.startswith("report back on pool hours") and s.deadline == "by June 1, 2022"
    q = _one(en, kind="assignment", lead=("Councilmember Quinn",))
    assert q.deadline == "before the next meeting" and q.task.startswith("meet with the library board")
    r = _one(en, kind="report")
    assert r.lead == ("Parks Department",) and r.subject == "summer programs"


def test_extraction_is_deterministic(tmp_path: Path) -> None:
    a, _ = _ledger(tmp_path, ZH, "one.txt")
    b, _ = _ledger(tmp_path, ZH, "one.txt")
    assert a == b


class _Paraphraser:
    def refine(self, entry: LedgerEntry, context: str) -> LedgerEntry:
        return replace(entry, task="改写的任务", quote="paraphrase", start=0, end=3, minute_id="x")


class _Broken:
    def refine(self, entry: LedgerEntry, context: str) -> LedgerEntry:
        raise RuntimeError("the model is down")


def test_a_refiner_never_replaces_the_verbatim_quote(zh: list[LedgerEntry]) -> None:
    e = zh[0]
    refined = apply_refiner(_Paraphraser(), e, "context")
    assert refined.task == "改写的任务"
    assert (refined.quote, refined.start, refined.end, refined.minute_id) == (e.quote, e.start, e.end, e.minute_id)
    assert apply_refiner(_Broken(), e, "context") == e


class _Scripted:
    """A chat model that replies with a fixed text (fake; the real server is in integration tests)."""

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.prompts: list[str] = []

    def invoke(self, prompt: str) -> str:
        self.prompts.append(prompt)
        return self.reply


def test_the_llm_refiner_only_keeps_what_the_quote_says(zh: list[LedgerEntry]) -> None:
    from minutes_rag.ledger.refine import LLMRefiner

    e = _one(zh, kind="assignment", lead=("市住建局",))
    good = _Scripted('{"lead": ["市住建局"], "partners": ["市财政局"], "task": "修改完善", "deadline": "6月30日前"}')
    r = apply_refiner(LLMRefiner(good), e, "context")
    assert (r.partners, r.task, r.deadline) == (("市财政局",), "修改完善", "6月30日前")
    assert e.quote in good.prompts[0]
    # invented units and dates are dropped; the rule-based values stay
    bad = _Scripted('Sure: {"lead": ["市教育局"], "partners": [], "task": "建设学校", "deadline": "明年3月前"}')
    r = apply_refiner(LLMRefiner(bad), e, "context")
    assert (r.lead, r.task, r.deadline) == (e.lead, e.task, e.deadline) and r.partners == ()
    assert apply_refiner(LLMRefiner(_Scripted("not json")), e, "context") == e


def test_extract_ledger_runs_a_refiner_on_every_entry(tmp_path: Path) -> None:
    path = tmp_path / "zh.txt"
    path.write_text(ZH, encoding="utf-8")
    minute = load_minute(path, max_bytes=10**7)
    sections = split_minute(minute, max_chars=700)
    seen: list[str] = []

    class Count:
        def refine(self, entry: LedgerEntry, context: str) -> LedgerEntry:
            seen.append(entry.item_id)
            assert entry.quote in context
            return entry

    plain = extract_ledger(minute, sections)
    assert extract_ledger(minute, sections, refiner=Count()) == plain
    assert sorted(seen) == sorted(e.item_id for e in plain)


def test_commonwealth_resolutions_and_more_lead_roles(tmp_path: Path) -> None:
    en_text = (
        "BOROUGH COUNCIL\nMinutes of the Cabinet meeting held on 3 March 2021\n\n"
        "47. Budget Monitoring Report\nThe Cabinet considered the report of the Director of Finance.\n"
        "RESOLVED - That the report be noted.\n\n"
        "48. Parking Review\nResolved: That the proposals be approved.\n\n49. Close\nThe meeting closed at 8 pm.\n"
    )
    entries, _ = _ledger(tmp_path, en_text, "uk.txt")
    d = {e.label: e for e in entries if e.kind == "decision"}
    assert d["47"].outcome == "RESOLVED" and d["47"].quote.endswith("That the report be noted.")
    assert d["48"].outcome == "Resolved" and d["48"].quote.endswith("proposals be approved.")
    assert "49" not in d
    zh_text = "会议纪要\n\n一、关于交通工程\n\n由市发改委负总责，市财政局配合，年底前完成。市交通局为牵头单位，抓紧推进。\n"
    entries, _ = _ledger(tmp_path, zh_text, "roles.txt")
    assert [(e.lead, e.partners, e.task) for e in entries if e.kind == "assignment"] == [
        (("市发改委",), ("市财政局",), "完成"), (("市交通局",), (), "抓紧推进"),
    ]
