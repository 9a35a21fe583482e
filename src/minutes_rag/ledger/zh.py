"""Rules for Chinese minutes (常务会议纪要, 会议纪要, news-style readouts of meetings).

The grammar of an entry, as official minutes write it:
  decision    [会议|经研究]? (原则同意|审议通过|同意|不同意|暂缓…) 《方案》 / the matter
  report      会议听取了 X 关于 … 的汇报 / 原则同意 X 关于 … 的汇报 / 请 X 汇报 / X 汇报了 …
  assignment  (由|请|责成|明确由|要求) X [牵头|负责] [会同|会|协同 Y] [，Y 配合] task [deadline]
              or, opening a clause, X (要|负责|牵头|须|抓紧 …) task
where X and Y are lists of units (市住建局、市财政局和市审计局; 各地各部门各单位). A unit is
recognised by its shape (a level or place, then a name, then a unit suffix, then a word
that may follow a unit), not from a list; the minute's own 列席 departments help with
names the shape cannot delimit. Offsets are into the text handed in.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Sequence

from minutes_rag.ledger.found import Found, Unit
from minutes_rag.ledger.zh_decisions import AGREED, PLANNED, decisions, marked_before, unnamed_reports
from minutes_rag.ledger.zh_sentences import CLAUSE_SEP, clause_starts, segments, sentences
from minutes_rag.ledger.zh_unit_forms import abbreviation, bare_unit, bodies_before_about, stem_list
from minutes_rag.text import ledger_vocab as V
from minutes_rag.text.lang import HAN_RE

log = logging.getLogger(__name__)

_CJK = HAN_RE
_GENERIC_UNIT = re.compile(
    r"(?:全市|全省|全区|全县|市|省|区|县)?"
    r"(?:各级各部门|各地各部门各单位|各地各相关部门|各地各有关部门|各地区各部门|各地各部门|各地各单位|各部门各单位|"
    r"各有关部门和单位|各有关部门|各相关部门|各有关单位|各相关单位|各成员单位|各责任单位|各职能部门|"
    r"有关部门和单位|相关部门和单位|有关部门|相关部门|有关单位|相关单位|"
    r"各区（县、市）|各县（市、区）|各市（区）|各区（市）|各市、区|各县（区）|各区县|各县区|"
    r"(?:市|县|区)直(?:各|有关|相关)?(?:部门|单位)|各牵头单位|各级(?:[\u4e00-\u9fff]{0,6}?)(?:机关|党委|党组织|政府|部门|单位|法院|检察院|防办)|"
    r"各地|各部门|各单位|各区|各县|各市|各镇|各街道|各乡镇|各板块|"
    rf"(?:各|有关|相关)?(?:{'|'.join(V.ZH_ROLE_BODIES)})(?:部门|单位))"
    r"(?:（[^（）]{1,6}）)?(?:人民政府|政府|办事处|党委|管委会)?"
)
_ROLE_BODY = re.compile(rf"(?:各|有关|相关)?(?:{'|'.join(V.ZH_ROLE_BODIES)})(?:部门|单位)")
_BAD_BEFORE_TRIGGER = {"由": "理自缘经因", "请": "申邀提聘报呈敬"}
_ETC = re.compile(r"等(?:有关|相关)?(?:部门|单位|地区|方面)?")
_EXTEND = re.compile(
    r"(?!会同|会|配合|牵头|负责|要|和|及|与|协同|联合|同|商|等)[\u4e00-\u9fff]{1,4}?(?:办公室|研究室|部|办|室|委)"
)
_NOT_A_UNIT = ("关于", "对于", "围绕", "针对", "按照", "根据", "结合", "全市", "全省", "全区", "全县", "城市", "本市", "我市", "该市")
_NOT_A_TASK = ("的", "等", "和", "及", "与", "是", "为", "在", "已", "对", "关于", *V.ZH_ROLE_PARTNER_AFTER)
_CONTINUES = ("要确保", "确保", "力争", "争取", "并于", "并在", "务必于", "务必在", "于")
_DEADLINE_PREFIX = re.compile(r"^(?:于|在|须于|要在|务必于|力争于?|争取于?)?\s*")



# --------------------------------------------------------------------------- units


def _follower_ok(text: str, j: int) -> bool:
    if j >= len(text):
        return True
    rest = text[j : j + 8]
    if not _CJK.match(rest[:1]):
        return True
    return rest.startswith(V.ZH_FOLLOWERS)  # (one call with the tuple: ~5x faster than any())


def _ends_with_suffix(name: str) -> bool:
    return name.endswith(V.ZH_UNIT_SUFFIXES)


_STRONG_SUFFIX = ("局", "委", "办", "厅", "中心", "集团", "公司", "支队", "总队", "政府", "办公室", "管委会")


def parse_unit(text: str, i: int, lexicon: Sequence[str] = (), *, loose: bool = False) -> Unit | None:
    """The unit that starts at ``text[i]``, or None. ``loose``: also when an unknown word
    follows, if the name ends in a strong unit suffix (局, 委, 集团 ...)."""
    g = _GENERIC_UNIT.match(text, i)
    if g:
        end = g.end()
        people = V.ZH_PEOPLE_OF_UNIT.match(text, end)
        if people:  # 各级党委（党组）主要负责同志要…
            return Unit(text[i : people.end()], i, people.end(), True)
        if _follower_ok(text, end) or text.startswith(("会", "要"), end):
            return Unit(g.group(), i, end, True)
    for name in lexicon:  # longest first
        if text.startswith(name, i) and _follower_ok(text, i + len(name)):
            return Unit(name, i, i + len(name), False)
    window_end = i
    while window_end < len(text) and window_end - i < 24 and _CJK.match(text[window_end]) or (
        window_end < len(text) and text[window_end] in "“”\"" and window_end - i < 24
    ):
        window_end += 1
    window = text[i:window_end]
    if len(window) < 2 or not (
        V.ZH_UNIT_START.match(window) or V.ZH_TEAM_START.match(window) or V.ZH_ENTERPRISE_END.search(window[:12])
    ):
        return bare_unit(text, i)  # 住建局牵头: no level, read only before a role
    if window.startswith(_NOT_A_UNIT):
        return None
    held: Unit | None = None  # 县人大常委 before 会…: kept only if no longer name ends later
    for j in range(i + 2, window_end + 1):
        name = text[i:j]
        if not _ends_with_suffix(name) or name.endswith("干部"):  # 党员干部: people, not a 部
            continue
        if not _follower_ok(text, j):
            people = V.ZH_PEOPLE_OF_UNIT.match(text, j)
            if people:  # 省政府党组成员要…: the people of a unit as the addressee
                return Unit(text[i : people.end()], i, people.end(), "各级" in name)
            continue
        if name in ("市区", "市县", "城市", "各市"):
            continue
        # 市委 + 组织部, 市政府 + 办公室: a unit inside a larger one
        ext = _EXTEND.match(text, j)
        if ext and name.endswith(("委", "政府", "党委")) and _follower_ok(text, ext.end()):
            j = ext.end()
            name = text[i:j]
        if name.endswith("委") and text.startswith("会", j) and not text.startswith(("会同", "会商"), j) and held is None:
            # 常委会, 村委会: 会 here ends the name (县人大常委会办公室); 会 alone is also 会同
            held = Unit(name, i, j, "各级" in name)
            continue
        # 省政协各级党组织…: every body of a kind at every level is an addressee, not a unit
        return Unit(name, i, j, "各级" in name)
    if held is not None:
        return held
    if loose:
        for j in range(i + 3, window_end + 1):
            if text[i:j].endswith(_STRONG_SUFFIX) and not _EXTEND.match(text, j):
                return Unit(text[i:j], i, j, False)
    return None


_UNIT_SEP = re.compile(r"以及|、|和|及|与")


def parse_units(text: str, i: int, lexicon: Sequence[str] = (), *, loose: bool = False) -> tuple[list[Unit], int]:
    """A list of units joined by 、/和/及/与 starting at ``i``; returns (units, end)."""
    units: list[Unit] = []
    pos = i
    while True:
        u = parse_unit(text, pos, lexicon, loose=loose and not units)
        if u is None and not units:
            listed = stem_list(text, pos)  # 发改、农业农村等部门
            if listed is not None:
                return listed
            u = abbreviation(text, pos)  # 市财政安排
        if u is None:
            break
        units.append(u)
        pos = u.end
        etc = _ETC.match(text, pos)
        if etc and etc.end() > pos:
            pos = etc.end()
        # matched in place: ``text[pos:]`` copied the rest of the text for every unit, which
        # made a long text (one item of several MB) quadratic
        sep = _UNIT_SEP.match(text, pos)
        if sep and parse_unit(text, sep.end(), lexicon) is not None:
            pos = sep.end()
            continue
        break
    return units, pos


# --------------------------------------------------------------------------- entries


def _deadline(text: str) -> str:
    m = V.ZH_DEADLINE.search(text)
    return re.sub(r"\s+", "", m.group()) if m else ""


def _clean_task(task: str) -> str:
    task = task.strip().lstrip("，,：:").strip()
    m = V.ZH_DEADLINE.match(_DEADLINE_PREFIX.sub("", task, count=1))
    if m:  # a deadline opening the task: 于2022年3月底前提出… -> 提出…
        stripped = _DEADLINE_PREFIX.sub("", task, count=1)[m.end() :].lstrip("，, ")
        if stripped:
            task = stripped
    task = re.sub(r"^(?:要|须|需|应)(?!求|当|要)", "", task)
    return task.rstrip("。；;！？，, ").strip()


_REPORT_OF = re.compile(r"(?:关于|就|对)?(.*?)的?(?:" + "|".join(V.ZH_REPORT_NOUNS) + ")")
_NEXT_HEARD = re.compile(rf"(?:和|及|以及|、|，(?:会议)?(?:还|并)?{V.ZH_HEARD})")


def _reports(text: str, a: int, b: int, lexicon: Sequence[str]) -> list[Found]:
    out: list[Found] = []
    sent = text[a:b]
    for m in re.finditer(rf"{V.ZH_HEARD}|原则同意|同意", sent):
        pos = a + m.end()
        if PLANNED.search(text, a, pos):
            continue
        # 听取了A关于…的汇报和B关于…的汇报: one report per unit that reported
        while (heard := parse_units(text, pos, lexicon))[0] or (heard := bodies_before_about(text, pos) or ([], pos))[0]:
            units, end = heard
            r = _REPORT_OF.match(text, end, b)
            if not r:
                break
            subject = r.group(1).strip()
            subject = re.sub(r"^(?:关于|就|对)", "", subject)
            subject = re.sub(r"的$", "", subject)
            out.append(_with_units(Found("report", a, b, subject=subject), units, []))
            more = _NEXT_HEARD.match(text, r.end(), b)
            if not more:
                break
            pos = more.end()
    for p in clause_starts(text, a, b):
        req = text.startswith("请", p)
        units, end = parse_units(text, p + (1 if req else 0), lexicon)
        if not units:
            continue
        # 请X汇报… / 请X就…作专题汇报 (asked to report); X就…作了汇报 / X汇报了… (reported)
        r = (V.ZH_REPORT_REQUEST if req else V.ZH_REPORT_DONE).match(text, end, b)
        if r:
            subject = (r.group("subject") or r.group("subject2") or "").strip().rstrip("。；;")
            out.append(_with_units(Found("report", a, b, subject=subject), units, []))
    return out


def _with_units(f: Found, leads: list[Unit], partners: list[Unit]) -> Found:
    f.lead = [u.name for u in leads]
    f.partners = [u.name for u in partners if u.name not in f.lead]
    f.generic = bool(leads) and all(u.generic for u in leads)
    return f


def _partners_after(text: str, pos: int, b: int, lexicon: Sequence[str]) -> tuple[list[Unit], int]:
    """Partners named after the lead: 会同/会/协同 Y …, or ，Y 配合."""
    for w in sorted(V.ZH_ROLE_PARTNER_BEFORE, key=len, reverse=True):
        if text.startswith(w, pos):
            units, end = parse_units(text, pos + len(w), lexicon)
            if units:
                return units, end
    q = pos
    if q < b and text[q] in "，,":
        q += 1
    units, end = parse_units(text, q, lexicon)
    if units:
        for w in V.ZH_ROLE_PARTNER_AFTER:
            if text.startswith(w, end):
                return units, end + len(w)
    return [], pos


def _skip_modal(text: str, pos: int) -> int:
    for w in ("要", "须", "需", "应"):
        if text.startswith(w, pos) and not text.startswith(("要求", "需要", "应当", "须知"), pos):
            return pos + len(w)
    return pos


def _assignment_at(
    text: str, p: int, b: int, lexicon: Sequence[str], *, triggered: bool, follows: bool = False
) -> Found | None:
    """An assignment whose unit list opens at ``p``; ``Found.start`` is ``p`` and the
    task runs to ``b`` (cut later by ``_assignments``)."""
    units, end = parse_units(text, p, lexicon)
    if not units and follows and not triggered:
        units, end = parse_units(text, p, lexicon, loose=True)
    if not units:
        return None
    pos = end
    led = False
    if text.startswith(V.ZH_NOT_ROLE, pos):
        return None
    for w in V.ZH_ROLE_LEAD:
        if text.startswith(w, _skip_modal(text, pos)):  # X牵头, X要牵头
            pos = _skip_modal(text, pos) + len(w)
            led = True
            break
    partners, pos2 = _partners_after(text, _skip_modal(text, pos), b, lexicon)
    if partners:
        pos = pos2
        if not led:
            for w in V.ZH_ROLE_LEAD:
                if text.startswith(w, pos):
                    pos += len(w)
                    break
    if not triggered and all(_ROLE_BODY.fullmatch(u.name) for u in units):
        return None  # 牵头部门要勇于担当: an exhortation; 请起草部门修改… (triggered) is a task
    if not triggered and not led and not partners and not any(text.startswith(w, pos) for w in V.ZH_MODAL):
        # 由A负责筹措，B给予补助: a named unit opening the next clause with its own verb
        weak = follows and not any(u.generic for u in units) and _CJK.match(text[pos : pos + 1] or "x")
        if not weak or text.startswith(_NOT_A_TASK, pos):
            return None
    if not led and (text.startswith("关于", pos) or V.ZH_REPORT_REQUEST.match(text, pos) or V.ZH_REPORT_DONE.match(text, pos)):
        return None  # a report (zh._reports), not a task
    f = _with_units(Found("assignment", p, b), units, partners)
    f.task_start = pos
    return f


def _trigger_in(text: str, a: int, b: int, lexicon: Sequence[str], follows: bool) -> Found | None:
    """An assignment trigger inside a clause: 公共停车场建设资金由X负责筹措, 会议同意…，请X…"""
    for k in range(a, b):
        for trig in V.ZH_ASSIGN_TRIGGERS:
            if not text.startswith(trig, k):
                continue
            if k > 0 and text[k - 1] in _BAD_BEFORE_TRIGGER.get(trig, ""):
                continue
            if trig == "由" and text.startswith("由于", k):
                continue
            f = _assignment_at(text, k + len(trig), b, lexicon, triggered=True, follows=follows)
            if f is not None:
                return f
    return None


def _anchors(text: str, sa: int, sb: int, lexicon: Sequence[str]) -> list[Found]:
    """Assignments of a segment, one per clause that names its addressee: 由/请/责成 X …,
    X 要/负责/牵头 …, or (after one of those) a named unit with its own verb."""
    out: list[Found] = []
    starts = clause_starts(text, sa, sb)
    raw = [sa] + [i + 1 for i in range(sa, sb) if text[i] in CLAUSE_SEP and i + 1 < sb]
    for p in starts:
        # the next clause opening after p, by bisection (a scan per clause was quadratic in
        # a sentence's clauses: a text with no sentence end is one sentence)
        r = bisect_right(raw, p)
        nxt = raw[r] if r < len(raw) else sb
        clause_end = max(p, nxt - 1) if nxt < sb else sb
        f = None
        for trig in V.ZH_ASSIGN_TRIGGERS:
            if text.startswith(trig, p) and not (trig == "由" and text.startswith("由于", p)):
                f = _assignment_at(text, p + len(trig), sb, lexicon, triggered=True)
                break
        if f is None:
            f = _assignment_at(text, p, sb, lexicon, triggered=False, follows=bool(out))
        if f is None:
            f = _trigger_in(text, p, clause_end, lexicon, bool(out))
        if f is not None:
            f.clause = p
            out.append(f)
    return out


def _late_partners(text: str, a: int, b: int, lexicon: Sequence[str]) -> tuple[list[Unit], int]:
    """A later clause "，Y 配合/协助/参与 …" naming the partners; returns (units, clause start)."""
    for p in clause_starts(text, a, b):
        if p == a:
            continue
        units, end = parse_units(text, p, lexicon)
        if units and any(text.startswith(w, end) for w in V.ZH_ROLE_PARTNER_AFTER):
            return units, p
    return [], -1


def _assignments(text: str, a: int, b: int, lexicon: Sequence[str]) -> list[Found]:
    out: list[Found] = []
    for sa, sb in segments(text, a, b):
        anchors = _anchors(text, sa, sb, lexicon)
        if not anchors:
            if out and out[-1].end == sa:
                out[-1].end = sb  # a ；-part without its own addressee continues the previous task
            continue
        # one entry per addressee: each anchor runs to the next one's clause
        for n, f in enumerate(anchors):
            qa = sa if n == 0 else f.clause
            qb = anchors[n + 1].clause if n + 1 < len(anchors) else sb
            task_end = qb
            late, at = _late_partners(text, f.task_start, qb, lexicon)
            if late:
                f.partners += [u.name for u in late if u.name not in f.lead and u.name not in f.partners]
                task_end = at
            f.task = _clean_task(text[f.task_start : task_end])
            if not f.task:
                before = text[qa : f.start]
                before = re.sub(r"^[^，,：:]{0,8}(?:明确|提出|要求|指出)[，,：:]", "", before)
                f.task = _clean_task(re.sub(r"(?:明确由|由|请|责成|要求)$", "", before.rstrip("，,：: ")).rstrip("，,"))
            f.start, f.end = qa, qb
            f.deadline = _deadline(text[qa:qb])
            out.append(f)
    return out


def extract_zh(text: str, a: int, b: int, lexicon: Sequence[str] = ()) -> list[Found]:
    """Entries in ``text[a:b]`` (one section or item)."""
    lexicon = sorted({w for w in lexicon if len(w) >= 3}, key=len, reverse=True)
    out: list[Found] = []
    agreed = False  # inside a list of points after 议定：
    for sa, sb in sentences(text, a, b):
        agreed = bool(AGREED.search(text, sa, sb)) or (
            agreed and (bool(V.ZH_ITEM_MARK.match(text, sa)) or marked_before(text, sa)))
        found = (decisions(text, sa, sb, agreed=agreed) + _reports(text, sa, sb, lexicon) + unnamed_reports(text, sa, sb)
                 + _assignments(text, sa, sb, lexicon))
        prev = out[-1] if out else None
        if (
            not found and prev is not None and prev.kind == "assignment" and not prev.deadline
            and text.startswith(_CONTINUES, sa) and _deadline(text[sa:sb]) and not text[prev.end : sa].strip()
        ):
            # 由X负责组织实施。要确保10月15日前…: the next sentence, without an addressee, sets the deadline
            prev.end = sb
            prev.deadline = _deadline(text[sa:sb])
            continue
        out += found
    for f in out:  # quotes without trailing separators
        while f.end > f.start and text[f.end - 1] in "；;，, \n":
            f.end -= 1
    return out
