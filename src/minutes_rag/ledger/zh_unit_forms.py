"""Units written without their suffix, the way minutes name them in a hurry:

  发改、农业农村、住建等部门要…        a list of department stems closed by 等部门/等单位
  发改和农业农村等部门 / 公安、交通部门要…  joined by 和/及/与 too; or closed by 部门 alone
                                     (then a role or modal must follow: 由财政部门负责…)
  住建、城东街道、城西镇等单位要…      bodies and townships listed before 等单位
  由市财政安排… / 市发改负责…         a level and a stem (市财政, 市发改) before a role word

The names are kept as printed (发改, 市财政): the ledger quotes the minute, it does not
expand abbreviations. Both shapes need their closing word (等部门, or a role such as 负责 /
牵头 / 安排), so a phrase like 区域协调要… is not read as a unit.
"""

from __future__ import annotations

import re

from minutes_rag.ledger.found import Unit
from minutes_rag.text import ledger_vocab as V

# one name in a list: Han characters, no function words or punctuation
_NAME = r"[^\W\d_的和与及在是对把将为等要了着过、，。；：“”《》（）()]{2,10}"
_SEP = re.compile(r"以及|、|和|及|与")
STEM_LIST = re.compile(
    rf"(?P<list>{_NAME}(?:(?:以及|、|和|及|与){_NAME})*)"
    r"(?P<etc>等(?:有关|相关)?(?:部门|单位|镇街|乡镇|街道|县区|区县|方面)|部门(?=[^门]))"
)
# a level and a stem before a role word: 市财政安排, 区住建负责, 县发改牵头
# (or a place and its level first: 江北区财政安排)
ABBREVIATION = re.compile(
    r"(?P<name>(?:[^\W\d_的和与及在是对把将为等要了由请、，。；：]{1,4}?)?[市区县省][^\W\d_的和与及在是对把将为等要了、，。；：]{2,4}?)"
    r"(?=负责|牵头|安排|配合|会同|协助|统筹)"
)
_NOT_PLACES = ("城市", "全市", "本市", "我市", "全区", "全县", "全省", "市区", "城区", "社区", "小区", "园区", "景区", "地区")
_NOT_NAMES = ("会议", "要求", "同时", "其中", "以及", "进一步", "各", "有关", "相关", "其他", "其它", "所有", *V.ZH_ROLE_BODIES)
# what may follow "A、B部门" written without 等: a role or a modal (加快推进部门协作 is no unit)
_AFTER_BARE = (*V.ZH_ROLE_LEAD, *V.ZH_ROLE_PARTNER_BEFORE, *V.ZH_ROLE_PARTNER_AFTER, *V.ZH_MODAL, "按", "根据", "按照", "于", "在")


def stem_list(text: str, i: int) -> tuple[list[Unit], int] | None:
    """The units of "A、B和C等部门" (or "A、B部门") starting at ``i`` and the offset after
    等部门, or None. One stem before a bare 部门 is the unit 财政部门 as printed."""
    m = STEM_LIST.match(text, i)
    if not m or m.group("list").startswith(_NOT_NAMES):
        return None
    names = _SEP.split(m.group("list"))
    if any(n.startswith(_NOT_NAMES) for n in names):
        return None
    if not m.group("etc").startswith("等"):
        if not text.startswith(_AFTER_BARE, m.end()):
            return None
        if len(names) == 1:  # 由财政部门负责
            return [Unit(m.group(), i, m.end(), False)], m.end()
    units: list[Unit] = []
    for sep in (None, *_SEP.finditer(m.group("list"))):
        start = i if sep is None else i + sep.end()
        name = names[len(units)]
        units.append(Unit(name, start, start + len(name), False))
    return units, m.end()


# a body named before 关于 in a heard report, however short (代表工委, 财经委, 市高院): 听取了X关于…
# anchors it; the name must still end like a unit (张三同志关于… is a person, not read)
_BODY = rf"[^\W\d_的了和与及在是对把将为等、，。；：“”《》（）()]{{1,11}}[{''.join(sorted({x[-1] for x in V.ZH_UNIT_SUFFIXES}))}]"
# not a body: a place as a whole, or the verb of 听取审议X关于… (an agenda line)
_PLACES_AS_A_WHOLE = ("全市", "全省", "全区", "全县", "全国", "我市", "本市", "我省", "本省", "我区", "我县", "审议", "讨论", "研究")
BODIES_BEFORE_ABOUT = re.compile(rf"(?P<list>{_BODY}(?:(?:、|和|及|与){_BODY})*)(?=关于)")


def bodies_before_about(text: str, i: int) -> tuple[list[Unit], int] | None:
    """The bodies of "听取了代表工委、法制委关于…" starting at ``i`` (before 关于), or None."""
    m = BODIES_BEFORE_ABOUT.match(text, i)
    if not m or m.group("list").startswith((*_NOT_NAMES, *_PLACES_AS_A_WHOLE)):
        return None
    units: list[Unit] = []
    pos = i
    for name in _SEP.split(m.group("list")):
        units.append(Unit(name, pos, pos + len(name), False))
        pos += len(name) + 1
    return units, m.end()


_NAME_RUN = re.compile(r"[\u4e00-\u9fff]+")
_NOT_IN_A_NAME = re.compile(r"[的和与及在是对把将为等要了着过由请各该本我其这那]")
_BARE_END_CHARS = frozenset(x[-1] for x in V.ZH_BARE_UNIT_END)
_ROLE_WORDS = (*V.ZH_ROLE_LEAD, *V.ZH_ROLE_PARTNER_BEFORE, *V.ZH_ROLE_PARTNER_AFTER)
_LEVEL = re.compile(r"[市区县省镇乡]")
# what must follow a bare name: a role, a modal, or the next unit of a list
_AFTER_BARE_UNIT = (*_AFTER_BARE, "就", "关于", "汇报", "、")


def bare_unit(text: str, i: int) -> Unit | None:
    """住建局 in 由住建局牵头…: a unit named without its level (3 to 8 characters ending like
    a unit), the shortest such name that a role, a modal or a list separator follows."""
    run = _NAME_RUN.match(text, i, i + 8)  # (a regex scan: this runs at every clause opening)
    if run is None:
        return None
    cut = _NOT_IN_A_NAME.search(text, i, run.end())
    end = cut.start() if cut else run.end()
    for j in range(i + 3, end + 1):
        if text[j - 1] not in _BARE_END_CHARS:
            continue
        name = text[i:j]
        if name.startswith(_ROLE_WORDS) or _LEVEL.search(name):
            return None  # 会同市自然资源局: a role, then a unit the level rules read
        if name.endswith(V.ZH_BARE_UNIT_END) and not name.endswith(V.ZH_NOT_BARE_UNIT) and text.startswith(
                _AFTER_BARE_UNIT, j):
            return Unit(name, i, j, False)
    return None


def abbreviation(text: str, i: int) -> Unit | None:
    """市财政 in 由市财政安排…: a level and a stem, directly before a role word."""
    m = ABBREVIATION.match(text, i)
    if not m or any(p in m.group("name")[:-2] for p in _NOT_PLACES) or m.group("name").endswith("工作"):
        return None
    if m.group("name")[0] not in "市区县省" and not V.ZH_UNIT_START.match(m.group("name")):
        return None  # 按照省委工作安排: a place must open it
    return Unit(m.group("name"), i, m.end(), False)
