"""Metadata of English council minutes: "A REGULAR MEETING OF THE COUNCIL OF THE CITY OF
PORTLAND ... 12TH DAY OF JANUARY, 2011", "Mayor Adams, Presiding", "Present: ...", and the
agenda's item numbers (the splitter's items: ``text.agenda``). Each field is read only where
the text states it; anything not found stays empty, never guessed.
"""

from __future__ import annotations

import re

from minutes_rag.model import MinuteMeta
from minutes_rag.text.agenda import en_agenda
from minutes_rag.text.patterns import en_dates


def _first_date(text: str) -> str:
    dates = en_dates(text)
    return dates[0].iso if dates else ""


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
def _smart_case(s: str) -> str:
    return s.title() if s.isupper() else s


# "Minutes of the Federal Open Market Committee"; a board named on a line of its own under
# "City of Boston" ("Licensing Board") is that city's board
_BODY_NOUN = r"(?:Committee|Board|Council|Commission|Authority|Assembly|Subcommittee|Working\s+Group)"
_MINUTES_OF = re.compile(rf"\bMinutes\s+of\s+(?:the\s+)?(?P<name>(?:[A-Z][\w&'.-]*[ \t]+){{0,6}}{_BODY_NOUN}(?:[ \t]+(?:on|of)[ \t]+[A-Z][\w&'-]*(?:[ \t]+[A-Z][\w&'-]*){{0,3}})?)")
_BOARD_LINE = re.compile(rf"(?m)^[ \t]*(?P<name>(?:[A-Z][a-z][\w&'-]*[ \t]+){{0,4}}{_BODY_NOUN}(?:[ \t]+(?:on|of)[ \t]+[A-Z][\w&'-]*(?:[ \t]+(?:and[ \t]+)?[A-Z][\w&'-]*){{0,4}})?)[ \t]*$")
_ISO_DATE = re.compile(r"\b(?:Meeting\s+date:\s*)?(?P<d>(?:19|20)\d\d-[01]\d-[0-3]\d)(?!\d)")


def _named_body(head: str) -> str:
    m = _MINUTES_OF.search(head)
    if m:
        return " ".join(m.group("name").split())
    m = _BOARD_LINE.search(head[:600])
    if not m:
        return ""
    name = " ".join(m.group("name").split())
    city = re.search(r"\b(?:City|Town|County)\s+of\s+(?P<place>[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){0,2})", head[:600])
    if city and city.group("place") not in name and not name.startswith(("City ", "Town ", "County ")):
        return f"{city.group('place')} {name}"
    return name


def _en_body(head: str) -> str:
    named = _named_body(head)
    if named:
        return named
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


def _iso_date(head: str) -> str:
    """A meeting date printed as an ISO date near the top ("Meeting date: 2023-05-23T10:00",
    "# Node.js TSC Meeting 2018-02-21")."""
    m = _ISO_DATE.search(head[:300])
    return m.group("d") if m else ""


def en_metadata(text: str) -> MinuteMeta:
    """The metadata of an English council minute."""
    head = text[:3000]
    return MinuteMeta(
        lang="en",
        body=_en_body(head),
        title=_en_title(head),
        date=_iso_date(head) or _first_date(head) or _first_date(text[:20000]),
        chair=_en_presiding(text),
        attendees=tuple(_en_members(text)),
        item_numbers=tuple(str(item.num) for item in en_agenda(text)),
    )
