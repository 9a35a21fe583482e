"""Item identifiers, the one convention: how minutes and questions write the number a body gave
an item ("Ord. No. 11-10", "Ordinance No. 184355", "Res 0438-2024", "File No. 32-10",
"Int. No. 123", "Int 0123-2024", "M 0069-2024", "LU 0099-2014", "T2015-2956",
"License #: LB-522286", "Item 38", 第三项), and when two of them are the same number.

An identifier is a *kind* (the canonical prefix: "ord", "res", "file", "int", "item", "m",
"lu", "slr", "t", "lb") and its numeric *parts* ("1302-10" -> (1302, 10)). Numbers are matched
whole, part by part as integers: 1302-10 is not 1302-11, 130-10 or $1,302, and "Int 0123-2024"
is "Int. No. 123" of 2024. A question's number may leave out the trailing parts the minute
writes (the session year: "Int. No. 184" is "Int 0184-2006"), never the leading ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from minutes_rag.text.patterns import CN_NUM, cn_to_int

# dashes minutes put between the parts of a number: ASCII, U+2010/2011 (pdftotext writes the
# non-breaking hyphen of "LB‑98893"), en dash
DASHES = "\u2010\u2011\u2012\u2013-"  # "-" last: it goes inside character classes
_NO = r"(?:\s*(?:No|Nos|Number)\.?\s*|\s*#\s*:?\s*)?"
# (kind, prefix pattern); the first that matches names the kind. Kinds whose prefix is one or
# two capital letters ("M", "LU", "T") are read only with a hyphenated number (M 0069-2024):
# alone they are initials and words ("M 5", "T 2").
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("ord", r"(?:Ord(?:inance)?\b\.?|Ord\.)" + _NO),
    ("res", r"(?:Res(?:olution)?\b\.?|Res\.)" + _NO),
    ("file", r"File" + _NO),
    ("int", r"(?:Int(?:ro(?:duction)?)?\b\.?|Int\.)" + _NO),
    ("item", r"(?:Agenda\s+)?Item" + _NO),
    ("lb", r"(?:License\s*#\s*:?\s*)?LB"),
    ("slr", r"SLR"),
    ("lu", r"L\.?\s?U\.?" + _NO),
    ("m", r"M"),
    ("t", r"T"),
)
_NEEDS_HYPHEN = frozenset({"lu", "m", "t", "slr"})
# the number: digits and dash-joined digit groups; an optional letter mark before it
# ("S-56", a substitute in Portland) is not part of it
_NUMBER = rf"(?:[A-Z][{DASHES}])?(?P<num>\d{{1,7}}(?:\s?[{DASHES}]\s?\d{{1,7}})*)"
_END = rf"(?![\d{DASHES}]\d|\d|,\d{{3}}|\.\d)"  # a number ends where no digit group continues it
_ID = re.compile(
    r"(?<![\w$])(?:" + "|".join(f"(?P<{kind}>{p})" for kind, p in _PREFIXES) + rf")\s*[:.]?\s*(?:[{DASHES}]\s?)?" + _NUMBER + _END,
    re.I,
)
_ZH_ITEM = re.compile(rf"第\s*(?P<num>\d{{1,3}}|[{CN_NUM}]{{1,4}})\s*(?:项|个议题|项议题|个事项)")
# a bare number where the kind is implied by its place: an ordinance number a council gives
# a passed ordinance ("(Y-5) 184355"). Only long numbers are read bare: shorter ones are
# counts, sums and times far too often to be matched without their prefix.
BARE_MIN_DIGITS = 5
_BARE = re.compile(rf"(?<![\w$.,{DASHES}])(?P<num>\d{{{BARE_MIN_DIGITS},9}})" + _END)
# the case-sensitive kinds: "m" and "t" as words ("a m 5", "t 2") are not identifiers
_CASED = frozenset({"m", "t", "lu", "slr", "lb"})


@dataclass(frozen=True)
class ItemId:
    """An item identifier: its kind, its numeric parts, and how it was written."""

    kind: str
    parts: tuple[int, ...]
    written: str = ""
    start: int = 0
    end: int = 0

    def matches(self, other: ItemId) -> bool:
        """Whether ``other`` (as a minute writes it) is this number (as a question asks it):
        the same kind, and this one's parts are the leading parts of the other's."""
        return self.kind == other.kind and same_number(self.parts, other.parts)

    @property
    def label(self) -> str:
        return "-".join(str(p) for p in self.parts)


def same_number(asked: Sequence[int], written: Sequence[int]) -> bool:
    """``asked`` names ``written``: all of its parts, in order, as integers; it may leave out
    trailing parts (the session year) but not leading ones."""
    return bool(asked) and len(asked) <= len(written) and tuple(written[: len(asked)]) == tuple(asked)


def _parts(num: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.split(rf"\s?[{DASHES}]\s?", num) if p)


def find_identifiers(text: str) -> list[ItemId]:
    """The item identifiers written in ``text``, in order (see the module docstring)."""
    out: list[ItemId] = []
    for m in _ID.finditer(text):
        kind = next(k for k, _ in _PREFIXES if m.group(k) is not None)
        prefix = m.group(kind)
        if kind in _CASED and prefix.strip()[:1].islower():
            continue
        num = m.group("num")
        if kind in _NEEDS_HYPHEN and not re.search(rf"[{DASHES}]", num):
            continue
        out.append(ItemId(kind, _parts(num), m.group(0).strip(), m.start(), m.end()))
    for m in _ZH_ITEM.finditer(text):
        raw = m.group("num")
        n = int(raw) if raw.isdigit() else cn_to_int(raw)
        if n:
            out.append(ItemId("item", (n,), m.group(0), m.start(), m.end()))
    return sorted(out, key=lambda i: i.start)


def bare_numbers(text: str) -> list[ItemId]:
    """Long numbers standing alone (an ordinance number after its vote), as kind "ord"."""
    return [ItemId("ord", (int(m.group("num")),), m.group(0), m.start(), m.end()) for m in _BARE.finditer(text)]


def mentions(text: str, wanted: ItemId, *, bare: bool = True) -> bool:
    """Whether ``text`` writes the identifier ``wanted`` (whole), with its prefix or, for an
    ordinance number, bare."""
    if any(wanted.matches(found) for found in find_identifiers(text)):
        return True
    return bare and wanted.kind == "ord" and len(wanted.parts) == 1 and any(
        wanted.matches(found) for found in bare_numbers(text))


def label_number(label: str) -> tuple[int, ...]:
    """The numeric parts of a section label ("38", "S-56", "*42", 三, "Int 0123-2024")."""
    label = label.strip().lstrip("*")
    found = find_identifiers(label)
    if found:
        return found[0].parts
    m = re.fullmatch(rf"(?:[A-Z][{DASHES}])?(\d{{1,7}}(?:[{DASHES}]\d{{1,7}})*)[.)、]?", label)
    if m:
        return _parts(m.group(1))
    n = cn_to_int(label.strip("、.（）()"))
    return (n,) if n else ()


def search_terms(wanted: ItemId) -> list[list[str]]:
    """The tokens a section writing ``wanted`` must contain, one list of alternatives per
    part (for a full-text prefilter): minutes pad numbers with zeros ("Int 0123-2024")."""
    out: list[list[str]] = []
    for p in wanted.parts:
        alts = [str(p)]
        for width in (2, 3, 4):
            padded = str(p).zfill(width)
            if padded not in alts:
                alts.append(padded)
        out.append(alts)
    return out


# the BM25 tokens (``lexical.tokenize``) a prefix leaves in a text: a full-text prefilter asks for
# one of them beside the number, so "Res 5" does not read every section with a 5 in it.
# "M", "T" and "L.U." leave none (their numbers carry the session year and are rare enough).
KIND_TOKENS = {
    "ord": ("ord", "ordinance"), "res": ("res", "resolution"), "file": ("file",),
    "int": ("int", "intro", "introduction"), "item": ("item",), "lb": ("lb",), "slr": ("slr",),
}


def search_groups(wanted: ItemId) -> list[list[str]]:
    """``search_terms`` and, where the prefix leaves a token and the number is not read bare,
    the prefix's tokens as one more group."""
    groups = search_terms(wanted)
    bare = wanted.kind == "ord" and len(wanted.parts) == 1 and len(str(wanted.parts[0])) >= BARE_MIN_DIGITS
    if wanted.kind in KIND_TOKENS and not bare:
        groups.append(list(KIND_TOKENS[wanted.kind]))
    return groups


def distinct(ids: Iterable[ItemId]) -> tuple[ItemId, ...]:
    """Each identifier once (by kind and parts), in order."""
    seen: set[tuple[str, tuple[int, ...]]] = set()
    out: list[ItemId] = []
    for i in ids:
        if (i.kind, i.parts) not in seen:
            seen.add((i.kind, i.parts))
            out.append(i)
    return tuple(out)
