"""Scripts and languages: which characters are CJK, and whether a text is Chinese or English.

One rule decides the language of everything (a minute's text, a section, a question), so a
minute is never split with Chinese markers while its metadata is read with English rules:
a Han character carries about as much as an English word of five letters, so the text is
Chinese when ``5 * han >= latin letters`` (and it has any Han at all).
"""

from __future__ import annotations

import re
from typing import Literal

Lang = Literal["zh", "en"]

# Han ideographs: extension A, the unified block, compatibility ideographs; for character
# classes inside regexes (``f"[{HAN}]"``).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Han plus kana and the CJK extensions beyond the BMP: characters written without spaces.
CJK = HAN + "\u3040-\u30ff\U00020000-\U0002ffff"

# CJK characters with the CJK punctuation and full-width forms (。，：（ ...): text written
# without spaces, where a line break is layout.
CJK_TEXT = CJK + "\u3000-\u303f\uff00-\uffef"

HAN_RE = re.compile(f"[{HAN}]")
CJK_RE = re.compile(f"[{CJK}]")
_LATIN = re.compile(r"[A-Za-z]")
_LATIN_DIGIT = re.compile(r"[A-Za-z0-9]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Chinese quoted inside a question in another language: a title, a document number, a
# name glossed in brackets ("Yunjiang (云江市)").
_QUOTED_ZH = re.compile(rf"《[^》]*》|[〔\[（(【［]\s*\d{{4}}\s*[〕\]）)】］]\s*第?\s*\d+\s*号|[（(][{HAN}]+[）)]")

HAN_WEIGHT = 5  # Latin letters one Han character is worth


def is_cjk(char: str) -> bool:
    """Whether one character is CJK (Han or kana), i.e. written without spaces."""
    return bool(char) and CJK_RE.match(char) is not None


def is_han(char: str) -> bool:
    return bool(char) and HAN_RE.match(char) is not None


def text_weight(text: str) -> float:
    """How much text ``text`` holds, in Han characters: each Han character counts 1, each
    Latin letter or digit ``1 / HAN_WEIGHT`` (punctuation and spaces nothing), so Chinese
    and English texts of the same content weigh about the same."""
    return len(HAN_RE.findall(text or "")) + len(_LATIN_DIGIT.findall(text or "")) / HAN_WEIGHT


def has_cjk(text: str) -> bool:
    return CJK_RE.search(text or "") is not None


def _weigh(text: str) -> Lang:
    han = len(HAN_RE.findall(text))
    return "zh" if han and han * HAN_WEIGHT >= len(_LATIN.findall(text)) else "en"


def detect_lang(text: str, *, question: bool = False) -> Lang:
    """"zh" or "en".

    ``question=True``: an English question may quote a Chinese document number
    (〔2020〕21号), title (《…》) or name in brackets (云江市), so those quotes are set aside
    first; a question that is nothing but such a quote is Chinese."""
    text = text or ""
    if not question:
        return _weigh(text)
    rest = _QUOTED_ZH.sub(" ", text)
    if not HAN_RE.search(rest):
        return "zh" if HAN_RE.search(text) and not _LATIN_WORD.search(rest) else "en"
    return _weigh(rest)
