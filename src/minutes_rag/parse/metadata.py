"""Metadata read from the text of a minute: who issued it, its number, when the meeting
was, who chaired, who attended.

Two families: Chinese government minutes (市政府常务会议纪要: title line, 〔2020〕21号,
a preamble "2020年6月30日上午，李亚平市长主持召开市政府第102次常务会议", the 出席/列席
block, 记录, 印发 date) and English council minutes ("A REGULAR MEETING OF THE COUNCIL OF
THE CITY OF PORTLAND ... 12TH DAY OF JANUARY, 2011", "Mayor Adams, Presiding"). Each field
is read only where the text states it; anything not found stays empty, never guessed.
"""

from __future__ import annotations

import datetime as _dt
import re

from minutes_rag.model import MinuteMeta
from minutes_rag.parse.attendance import extract_attendance

_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def detect_lang(text: str) -> str:
    """"zh" when Han characters dominate, else "en". A Han character carries about as much
    as an English word, so each counts for several Latin letters."""
    han = len(_HAN_RE.findall(text))
    latin = len(_LATIN_RE.findall(text))
    return "zh" if han and han * 3 >= latin else "en"


def extract_metadata(text: str) -> MinuteMeta:
    text = text.translate(_FULLWIDTH_DIGITS)
    if detect_lang(text) == "zh":
        return _zh_metadata(text)
    return _en_metadata(text)


# ---------------------------------------------------------------- Chinese numbers, dates

_CN_DIGITS = {"〇": 0, "○": 0, "Ｏ": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUM = "〇○Ｏ零一二两三四五六七八九十百千"


def cn_to_int(s: str) -> int | None:
    """'102', '一百零二', '二十一', '十' -> int; None if not a number."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    if not s or any(c not in _CN_DIGITS and c not in _CN_UNITS for c in s):
        return None
    if all(c in _CN_DIGITS for c in s) and len(s) > 1:  # digit by digit: 二〇二〇
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    total, digit = 0, 0
    for c in s:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        else:
            total += (digit or 1) * _CN_UNITS[c]
            digit = 0
    return total + digit


_ZH_DATE = re.compile(
    rf"((?:19|20)\d{{2}}|[〇○Ｏ零一二三四五六七八九]{{4}})\s*年\s*(\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*月"
    rf"\s*(\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*日"
)


def _iso(year: int | None, month: int | None, day: int | None) -> str:
    try:
        return _dt.date(year or 0, month or 0, day or 0).isoformat()
    except (TypeError, ValueError):
        return ""


def _zh_date(m: re.Match[str]) -> str:
    return _iso(cn_to_int(m.group(1)), cn_to_int(m.group(2)), cn_to_int(m.group(3)))


def _zh_dates(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), d) for m in _ZH_DATE.finditer(text) if (d := _zh_date(m))]


# ---------------------------------------------------------------- Chinese minutes

_KIND = re.compile(
    r"^(?P<body>.*?)(?:第[\d" + _CN_NUM + r"]+次)?"
    r"(?P<kind>(?:常务|专题|办公|全体|工作|联席|主任|党组|协调|现场|市长办公|区长办公|县长办公|局长办公|主任办公)?会议纪要|纪要)"
)
_NEWS_BODY = re.compile(r"^([\u4e00-\u9fff]{2,20}?(?:人民政府|政府|委员会|管委会))(?:召开|举行)")
_DOC_NO = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{0,10})\s*[〔\[［（(【]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］）)】]"
    r"\s*第?\s*(?P<num>\d{1,5})\s*号"
)
_MEETING_NO = re.compile(rf"第\s*(\d{{1,4}}|[{_CN_NUM}]{{1,6}})\s*次[^，。,；\n]{{0,14}}?会议")
_TITLES = sorted(
    """常务副市长 副市长 市长 常务副区长 副区长 区长 常务副县长 副县长 县长 常务副省长 副省长 省长
    副州长 州长 副镇长 镇长 副主任 主任 副书记 书记 副局长 局长 副秘书长 秘书长 副主席 主席
    副院长 院长 副部长 部长 副厅长 厅长 副主任委员 主任委员 常务副主任""".split(),
    key=len,
    reverse=True,
)
_TITLE_ALT = "|".join(_TITLES)
_NAME = r"[\u4e00-\u9fff]{2,3}?"
_CHAIR_PATTERNS = (
    # 李亚平市长主持召开 / ，王翔副市长主持
    re.compile(rf"(?:^|[，,。；;\s：:、]|上午|下午|晚上|早上|中午|日)(?P<name>{_NAME})(?:{_TITLE_ALT})(?:同志)?主持"),
    # 会议由张三副市长主持 / 由李亚平主持召开
    re.compile(rf"由\s*(?P<name>{_NAME})(?:{_TITLE_ALT})?(?:同志)?主持"),
    # 市长李亚平主持
    re.compile(rf"(?:{_TITLE_ALT})(?P<name>{_NAME})(?:同志)?主持"),
    # 主持：李亚平 / 主持人：李亚平
    re.compile(rf"主\s*持(?:人)?\s*[：:]\s*(?P<name>[\u4e00-\u9fff]{{2,4}})"),
)
_RECORDER = re.compile(r"记\s*录(?:人)?\s*[：:]\s*(?P<names>[^\n]+)")
_ISSUE = re.compile(_ZH_DATE.pattern + r"\s*印\s*发")


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def _zh_title(lines: list[str]) -> tuple[str, str]:
    """(title, body) from the first lines: the one that says 纪要, possibly over two lines."""
    head = lines[:6]
    for i, line in enumerate(head):
        candidates = [line]
        if i + 1 < len(head):
            candidates.append(line + head[i + 1])
        for cand in candidates:
            compact = re.sub(r"\s+", "", cand)
            if "纪要" in compact and len(compact) <= 40 and not re.search(r"[。，]", compact):
                title = compact[: compact.index("纪要") + 2]  # drop a trailing (第21期) and such
                m = _KIND.match(title)
                body = m.group("body").strip() if m else ""
                return title, body
    # News-style readouts have a headline instead: "东湖市政府召开第114次常务会议"
    if head:
        first = re.sub(r"\s+", "", head[0])
        if len(first) <= 40 and "会议" in first and not re.search(r"[。；;，,]", first):
            m = _NEWS_BODY.match(first)
            return first, (m.group(1) if m else "")
    return "", ""


def _zh_preamble(text: str) -> tuple[int, str]:
    """Where the opening sentence starts and its text: the first line holding a date whose
    sentence speaks of the meeting (主持/召开/会议). Works on lines, not paragraphs: PDF
    text has no blank lines between paragraphs, and the sentence may wrap."""
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if not _ZH_DATE.search(line):
            continue
        chunk = text[start : start + 400]
        end = re.search(r"\n\s*\n|。", chunk)
        sentence = chunk[: end.start()] if end else chunk
        if re.search(r"主持|召开|会议", sentence):
            return start, sentence
    return -1, ""


def _zh_doc_number(text: str, preamble_at: int) -> str:
    # The number sits in the header, above the preamble: look only there, so that a
    # document cited in the body (苏府〔2019〕3号) is never taken for the minute's own.
    head = text[:preamble_at] if preamble_at >= 0 else text[:600]
    for line in _lines(head)[:12]:
        m = _DOC_NO.search(line)
        if not m:
            continue
        prefix = m.group("prefix")
        if any(w in prefix for w in ("纪要", "会议", "政府", "根据", "号")):
            prefix = ""
        return f"{prefix}〔{m.group('year')}〕{int(m.group('num'))}号"
    return ""


def _zh_meeting_number(preamble: str, text: str) -> int | None:
    for where in (preamble, text[:3000]):
        m = _MEETING_NO.search(where)
        if m:
            return cn_to_int(m.group(1))
    return None


def _zh_meeting_date(preamble: str, text: str) -> str:
    if preamble:
        dates = _zh_dates(preamble)
        if dates:
            return dates[0][2]
    # no preamble sentence: the first date of the text that is not the issue date
    stop = re.search(r"出\s*席|列\s*席", text)
    region = text[: stop.start()] if stop else text
    for start, end, iso in _zh_dates(region):
        if not re.match(r"\s*印\s*发", region[end : end + 6]):
            return iso
    return ""


def _zh_chair(preamble: str, text: str) -> str:
    for where in (preamble, text[:3000]):
        best: tuple[int, str] | None = None
        for pat in _CHAIR_PATTERNS:
            m = pat.search(where)
            if m and (best is None or m.start("name") < best[0]):
                best = (m.start("name"), m.group("name"))
        if best:
            return best[1]
    return ""


def _zh_recorder(text: str) -> str:
    m = _RECORDER.search(text)
    if not m:
        return ""
    names = [n for n in re.split(r"[\s、，,；;]+", m.group("names")) if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", n)]
    return "、".join(names)


def _zh_issue_date(text: str) -> str:
    found = ""
    for m in _ISSUE.finditer(text):
        found = _zh_date(m) or found  # the last one: the 印发 line closes the minute
    return found


def _zh_metadata(text: str) -> MinuteMeta:
    lines = _lines(text)
    title, body = _zh_title(lines)
    preamble_at, preamble = _zh_preamble(text)
    attendees, observers = extract_attendance(text)
    return MinuteMeta(
        lang="zh",
        body=body,
        title=title,
        doc_number=_zh_doc_number(text, preamble_at),
        meeting_number=_zh_meeting_number(preamble, text),
        date=_zh_meeting_date(preamble, text),
        chair=_zh_chair(preamble, text),
        attendees=tuple(attendees),
        observers=tuple(observers),
        recorder=_zh_recorder(text),
        issue_date=_zh_issue_date(text),
    )


# ---------------------------------------------------------------- English minutes

_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH_RE = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_EN_DATES = (
    # 12TH DAY OF JANUARY, 2011
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+day\s+of\s+{_MONTH_RE}\s*,?\s*(?P<year>(?:19|20)\d{{2}})\b", re.I),
    # January 12, 2011 / Jan. 12th 2011
    re.compile(rf"\b{_MONTH_RE}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(?P<year>(?:19|20)\d{{2}})\b", re.I),
    # 12 January 2011 / 12th of January, 2011
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}\s*,?\s*(?P<year>(?:19|20)\d{{2}})\b", re.I),
    # 2011-01-12
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})\b"),
)
_EN_BODY = (
    re.compile(r"\b(?P<kind>city|town|county|village|borough|township|district)\s+of\s+(?P<place>[A-Z][A-Za-z'.-]*(?:[ \t]+[A-Z][A-Za-z'.-]*){0,3})", re.I),
    re.compile(r"\b(?P<place>[A-Z][a-z'.-]+(?:[ \t]+[A-Z][a-z'.-]+){0,2})[ \t]+(?P<kind>City|Town|County|Borough)[ \t]+Council\b"),
)
_EN_OFFICER_TITLES = (
    r"Council\s+President|Vice\s+Mayor|Deputy\s+Mayor|Lord\s+Mayor|Mayor|Chair(?:man|woman|person)?|President|"
    r"Commissioner|Council(?:member|man|woman|lor|or)|Alderman|Alderwoman|Supervisor|Reeve|Warden"
)
_PRESIDING = (
    re.compile(rf"\b(?P<who>(?:{_EN_OFFICER_TITLES})\.?[ \t]+[A-Z][\w'-]+(?:[ \t]+[A-Z][\w'-]+)?)\s*,?\s+(?:Presiding|presiding|PRESIDING)\b"),
    re.compile(rf"\b(?P<who>(?:{_EN_OFFICER_TITLES})\.?[ \t]+[A-Z][\w'-]+(?:[ \t]+[A-Z][\w'-]+)?)\s+presided\b"),
    re.compile(r"\bPresiding(?:\s+Officer)?[ \t]*:[ \t]*(?P<who>[A-Z][\w'.-]+(?:[ \t]+[A-Z][\w'.-]+){0,3})"),
)
_PRESENT = re.compile(
    r"\b(?:those\s+present\s+were|members\s+present|council\s*members\s+present|present)\s*:\s*(?P<list>.{1,600}?)(?:\.\s|\.$|\n\s*\n|\babsent\b)",
    re.I | re.S,
)
_ROLE_WORDS = re.compile(
    rf"\b(?:{_EN_OFFICER_TITLES}|Commissioners|Councilmembers|Councillors|Councilors|Aldermen|Supervisors|"
    r"Members?|Presiding|and|Dr|Mr|Mrs|Ms|Miss)\b\.?",
)
_ITEM_MENTION = re.compile(r"\bItems?\s+(?:No\.?\s*|Nos\.?\s*|number\s+)?(\d{1,4})\b", re.I)
_ITEM_LIST = re.compile(r"\bItem\s+Nos\.?\s+(\d{1,4}(?:\s*(?:,|and|&)\s*\d{1,4})+)", re.I)
# an agenda entry in the printed disposition list: "  38 Request of ...", "*42 Accept ...",
# "S-56 Accept ...": a number alone after a gap, then a capitalised word
_AGENDA_ENTRY = re.compile(r"(?:^|\n|\s{2,}|\s(?=\*))\*?(?:S-)?(\d{1,4})[ \t]+(?=[A-Z][a-z]{2,})")
_MONTH_WORDS = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"}


def _en_date(text: str) -> str:
    best: tuple[int, str] | None = None
    for pat in _EN_DATES:
        for m in pat.finditer(text):
            d = m.groupdict()
            month = int(d["mnum"]) if d.get("mnum") else _MONTHS.get(d["month"].lower().rstrip("."))
            iso = _iso(int(d["year"]), month, int(d["day"]))
            if iso:
                if best is None or m.start() < best[0]:
                    best = (m.start(), iso)
                break
    return best[1] if best else ""


def _smart_case(s: str) -> str:
    return s.title() if s.isupper() else s


def _en_body(head: str) -> str:
    found: list[tuple[int, str]] = []
    m = _EN_BODY[0].search(head)
    if m:
        place = re.split(r"\s+(?:OFFICIAL|MINUTES|WAS|HELD|COUNCIL|REGULAR)\b", m.group("place"))[0]
        found.append((m.start(), f"{_smart_case(m.group('kind')).capitalize()} of {_smart_case(place.strip())}"))
    m = _EN_BODY[1].search(head)
    if m:
        found.append((m.start(), f"{m.group('place')} {m.group('kind')} Council"))
    return min(found)[1] if found else ""


def _en_title(head: str) -> str:
    m = re.search(r"\b((?:(?:official|regular|special|draft|approved|adopted)\s+)*minutes)\b", head, re.I)
    if not m:
        return ""
    title = " ".join(m.group(1).split()).title()
    meeting = re.search(r"\b(?:an?\s+)?((?:regular|special|adjourned|emergency|recessed)\s+meeting\s+of\s+the\s+(?:[a-z]+\s+){0,3}?council)\b", head, re.I)
    if meeting:
        words = meeting.group(1).lower().split()
        return f"{title}: " + " ".join(w if w in ("of", "the") else w.capitalize() for w in words)
    return title


def _en_presiding(text: str) -> str:
    for pat in _PRESIDING:
        m = pat.search(text[:20000])
        if m:
            return " ".join(m.group("who").split())
    return ""


def _en_members(text: str) -> list[str]:
    m = _PRESENT.search(text[:20000])
    if not m:
        return []
    names: list[str] = []
    for piece in re.split(r"[,;]|\band\b", m.group("list")):
        piece = _ROLE_WORDS.sub(" ", piece)
        piece = re.sub(r"\b\d+\b", " ", piece)
        words = [w for w in piece.split() if re.fullmatch(r"[A-Z][\w'.-]*", w)]
        if words and len(words) <= 3:
            name = " ".join(words)
            if name not in names:
                names.append(name)
    return names


def _en_items(text: str) -> list[str]:
    mentioned: set[int] = set()
    for m in _ITEM_LIST.finditer(text):
        mentioned.update(int(n) for n in re.findall(r"\d{1,4}", m.group(1)))
    mentioned.update(int(m.group(1)) for m in _ITEM_MENTION.finditer(text))
    listed = [int(m.group(1)) for m in _AGENDA_ENTRY.finditer(text)]
    # Numbers that precede a capitalised word also appear in prose ("2 of 18", addresses);
    # the agenda is the longest increasing run of them.
    agenda = _longest_increasing(listed)
    if len(agenda) < 3:
        agenda = []
    if agenda:
        # prose also names items of other meetings ("when we did it as item 11")
        mentioned = {n for n in mentioned if agenda[0] <= n <= agenda[-1]}
    numbers = sorted(set(agenda) | mentioned)
    return [str(n) for n in numbers]


def _longest_increasing(seq: list[int]) -> list[int]:
    if not seq:
        return []
    best_len = [1] * len(seq)
    prev = [-1] * len(seq)
    for i in range(len(seq)):
        for j in range(max(0, i - 200), i):
            if seq[j] < seq[i] and best_len[j] + 1 > best_len[i]:
                best_len[i], prev[i] = best_len[j] + 1, j
    i = max(range(len(seq)), key=best_len.__getitem__)
    out = []
    while i != -1:
        out.append(seq[i])
        i = prev[i]
    return out[::-1]


def _en_metadata(text: str) -> MinuteMeta:
    head = text[:3000]
    return MinuteMeta(
        lang="en",
        body=_en_body(head),
        title=_en_title(head),
        date=_en_date(head) or _en_date(text[:20000]),
        chair=_en_presiding(text),
        attendees=tuple(_en_members(text)),
        item_numbers=tuple(_en_items(text)),
    )
