"""Reading the attendance block of a Chinese minute: 出席 names and 列席 (department, name).

Real 列席 blocks are typeset as one long run of "department+name" entries separated by
spaces, and the lines wrap anywhere: inside a department ("市\\n人社局朱正",
"市卫\\n生健康委王禹"), between a department and its person ("市纪委监委\\n王辉斌"), even
across a page break. So the parser does not trust line breaks: it cuts the block into
chunks at whitespace, remembers which cuts were line breaks, and glues chunks back
together while a chunk cannot stand alone (a fragment, or a department still waiting for
its person). A chunk then reads as department + names, where the department ends with a
typical suffix (局, 委, 办, 中心, 公司, 分行, 市, 区 ...) and names look like names
(see names_zh). Spaces, unlike line breaks, are treated as real separators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from minutes_rag.model import Observer
from minutes_rag.parse.names_zh import looks_like_name, name_score
from minutes_rag.text.lang import HAN
from minutes_rag.text.patterns import LIST_END_FIELDS, field_label

# What a department's name ends with. Two-character suffixes first so that 公司 wins over 司.
ORG_SUFFIXES: tuple[str, ...] = (
    "中心", "公司", "集团", "分行", "支行", "分局", "支队", "大队", "海关", "银行", "学院", "大学",
    "医院", "法院", "检察院", "专班", "小组", "办公室", "委员会", "研究室", "研究院", "管委会",
    "街道", "联社", "中支",
    "局", "委", "办", "院", "组", "班", "市", "区", "县", "部", "室", "所", "会", "厅", "处",
    "站", "队", "社", "联", "署", "馆", "校", "台", "省", "州", "镇", "乡", "团", "行", "司",
)
# Characters a department name usually starts with: used to tell a department that starts
# a new line from the tail of one broken at the end of the previous line.
_ORG_HEADS = "市省区县镇乡"

_LABEL_RE = re.compile(field_label(*LIST_END_FIELDS))
_ATTEND_LABEL = re.compile(field_label("出席"))
_OBSERVE_LABEL = re.compile(field_label("列席"))
_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月")
# a paragraph with sentence punctuation or these words is prose, not part of the list
_PROSE = re.compile(r"[。；：:！？!?]|代表|整理|印发|公开发布")
_SEPARATORS = re.compile(r"[，,；;]")

FULL, NAME, ORG, FRAG = "full", "name", "org", "frag"


@dataclass
class _Chunk:
    text: str
    nl_after: bool  # the cut after this chunk was a line break (or the end)
    nl_before: bool


def attendance_block(text: str, label: re.Pattern[str]) -> str:
    """The text after ``label`` (出席：/列席：) up to the next label or the first paragraph
    that is prose. Paragraphs of list continue across blank lines (page breaks)."""
    m = label.search(text)
    if not m:
        return ""
    rest = text[m.end() :]
    nxt = _LABEL_RE.search(rest)
    if nxt:
        rest = rest[: nxt.start()]
    paragraphs = re.split(r"\n[ \t\u3000]*\n", rest)
    kept: list[str] = []
    for i, para in enumerate(paragraphs):
        if not re.search(f"[{HAN}]", para):
            continue  # page numbers and the like
        lines = [ln for ln in para.split("\n") if "纪要" not in ln]  # running heads
        para = "\n".join(lines)
        if i > 0 and (_PROSE.search(para) or _DATE.search(para)):
            break
        if i == 0:
            # the first paragraph may end in prose on its own line (rare); cut there
            cut = _PROSE.search(para)
            if cut:
                para = para[: cut.start()]
                para = para[: para.rfind("\n")] if "\n" in para else para
        kept.append(para)
    return "\n".join(kept)


def _chunks(block: str) -> list[_Chunk]:
    block = _SEPARATORS.sub(" ", block)
    out: list[_Chunk] = []
    nl_before = True
    for m in re.finditer(r"\S+|\s+", block):
        s = m.group()
        if s.isspace():
            if out:
                out[-1].nl_after = "\n" in s
            nl_before = "\n" in s
            continue
        out.append(_Chunk(s, True, nl_before))
    return out


def _org_name_split(part: str) -> tuple[str, str] | None:
    """Split "市住建局张伟" into ("市住建局", "张伟"). The department should end with a
    suffix; where none fits (人行苏州中支陈军) fall back to the best-looking name, unless
    the whole part ends like a department (市保障房公司 is not 市保障房 + 公司)."""
    best: tuple[int, str, str] | None = None
    for k in (3, 2, 4):
        if len(part) - k < 2:
            continue
        org, name = part[:-k], part[-k:]
        score = name_score(name)
        if score and org.endswith(ORG_SUFFIXES):
            if best is None or score > best[0]:
                best = (score, org, name)
    if best:
        return best[1], best[2]
    if part.endswith(ORG_SUFFIXES):
        return None
    for k in (3, 2):
        if len(part) - k < 2:
            continue
        org, name = part[:-k], part[-k:]
        # without a suffix to lean on, only a common surname is evidence enough
        # (苏州银保 is not 苏州 + 银保, 市第七组安全生产 is not ... + 全生产)
        score = name_score(name)
        if score >= 2 and (best is None or score > best[0]):
            best = (score, org, name)
    return (best[1], best[2]) if best else None


def _classify_part(part: str, loose_names: bool) -> str:
    """FULL (department + name), NAME, ORG (a department alone) or FRAG (a piece of one).

    ``loose_names`` is on while reading the bare names that open a 列席 list (the
    secretaries-general): there a short part is a name even if its surname is unknown."""
    if not part or not re.search(f"[{HAN}]", part):
        return FRAG
    if loose_names:
        if looks_like_name(part):
            return NAME
        if 2 <= len(part) <= 3 and re.fullmatch(f"[{HAN}]+", part) and part[0] not in _ORG_HEADS \
                and not part.endswith(ORG_SUFFIXES):
            return NAME
    if _org_name_split(part):
        return FULL
    if len(part) >= 2 and part.endswith(ORG_SUFFIXES):
        return ORG
    if looks_like_name(part):
        return NAME
    return FRAG


def _classify(chunk: str, loose_names: bool) -> str:
    if chunk.endswith("、"):
        return FRAG
    parts = chunk.split("、")
    last = _classify_part(parts[-1], loose_names)
    if last in (ORG, FRAG) or len(parts) == 1:
        return last
    kinds = [_classify_part(p, loose_names) for p in parts]
    return FULL if FULL in kinds else NAME


def _last_score(chunk: str) -> int:
    split = _org_name_split(chunk.split("、")[-1])
    return name_score(split[1]) if split else 0


def _entries(chunk: str, loose_names: bool) -> list[Observer]:
    out: list[Observer] = []
    org = ""
    for part in chunk.split("、"):
        kind = _classify_part(part, loose_names)
        if kind == NAME:
            out.append(Observer(org, part))
        elif kind == FULL:
            split = _org_name_split(part)
            if split:
                org = split[0]
                out.append(Observer(*split))
        elif kind == ORG:
            org = part
    return out


def parse_observers(block: str) -> list[Observer]:
    """列席 entries in order. Bare names (no department) come out with an empty org."""
    chunks = _chunks(block)
    out: list[Observer] = []
    seen_org = False
    i = 0
    while i < len(chunks):
        cur = chunks[i]
        text, nl_after = cur.text, cur.nl_after
        while i + 1 < len(chunks):
            nxt = chunks[i + 1]
            kind = _classify(text, loose_names=not seen_org)
            glued = text + nxt.text
            glued_kind = _classify(glued, loose_names=False)
            nxt_kind = _classify(nxt.text, loose_names=False)
            if kind == FRAG:
                merge = True
            elif kind == ORG:
                # a department waits for its person on the next line; across a space only
                # when what follows is a bare name (else "市国资委 市住建局张伟" would fuse)
                merge = nl_after or nxt_kind == NAME
            elif kind == NAME and seen_org and nl_after:
                # "苏州\n海关程维勇": in the department part of the list, a name-like chunk
                # ending a line is the head of a department broken off, unless the next
                # line starts a department of its own (市...).
                merge = glued_kind == FULL and nxt.text[0] not in _ORG_HEADS and nxt_kind != NAME
            elif kind == FULL and nl_after and nxt.nl_before and glued_kind == FULL \
                    and nxt.text[0] not in _ORG_HEADS:
                # "苏州银保\n监分局王矗": 苏州 + 银保 reads as a department and a person only
                # with a rare surname; gluing gives a better-attested name, so the line
                # break was inside the department.
                merge = _last_score(glued) > _last_score(text)
            else:
                merge = False
            if not merge and nl_after and nxt.nl_before and nxt_kind == FRAG and len(nxt.text) <= 2:
                # a person's name broken at the end of the line: "朱向\n峰"
                merge = _classify(glued, loose_names=not seen_org) in (FULL, NAME)
            if not merge:
                break
            text, nl_after = glued, nxt.nl_after
            i += 1
        entries = _entries(text, loose_names=not seen_org)
        if any(e.org for e in entries):
            seen_org = True
        out.extend(entries)
        i += 1
    return out


def parse_attendees(block: str) -> list[str]:
    """出席 names in order. Names may be broken across lines ("曹后\\n灵")."""
    block = re.sub(r"[（(][^）)]*[）)]", " ", block)  # (请假) and similar remarks
    tokens: list[list] = []  # [text, nl_before, nl_after]
    nl = True
    for m in re.finditer(r"[^\s、，,；;]+|[\s、，,；;]+", block):
        s = m.group()
        if not re.match(r"[^\s、，,；;]", s):
            if tokens:
                tokens[-1][2] = "\n" in s
            nl = "\n" in s
            continue
        tokens.append([s, nl, True])
    names: list[str] = []
    i = 0
    while i < len(tokens):
        text, _, nl_after = tokens[i]
        # a single character at the end of a line starts the next line's name
        while len(text) == 1 and nl_after and i + 1 < len(tokens):
            i += 1
            text += tokens[i][0]
            nl_after = tokens[i][2]
        # a single character at the start of a line ends the previous line's name
        if i + 1 < len(tokens) and nl_after and len(tokens[i + 1][0]) == 1 and tokens[i + 1][1] \
                and not tokens[i + 1][2] and len(text) <= 3:
            i += 1
            text += tokens[i][0]
        i += 1
        names.extend(_names_in_token(text))
    return names


def _names_in_token(text: str) -> list[str]:
    if not re.fullmatch(f"[{HAN}]+", text) or len(text) < 2:
        return []
    if len(text) <= 3 or (len(text) == 4 and looks_like_name(text)):
        return [text]
    # two names whose separating line break was lost ("曹后灵杨知评"), best attested first
    best: tuple[int, list[str]] | None = None
    for cut in range(2, len(text) - 1):
        a, b = text[:cut], text[cut:]
        score = min(name_score(a), name_score(b))
        if score and (best is None or score > best[0]):
            best = (score, [a, b])
    if best:
        return best[1]
    split = _org_name_split(text)  # a department slipped into the list: keep the person
    return [split[1]] if split else []


def extract_attendance(text: str) -> tuple[list[str], list[Observer]]:
    attendees = parse_attendees(attendance_block(text, _ATTEND_LABEL))
    observers = parse_observers(attendance_block(text, _OBSERVE_LABEL))
    return attendees, observers
