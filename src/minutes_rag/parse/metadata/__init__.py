"""Metadata read from the text of a minute: who issued it, its number, when the meeting
was, who chaired, who attended.

Two families, one module each: Chinese government minutes (``zh``) and English council
minutes (``en``). Which one reads a text is decided by ``text.lang.detect_lang``, the rule
the splitter and the rest of the library use too (``MinuteMeta.lang`` records it).
"""

from __future__ import annotations

import re

from minutes_rag.model import MinuteMeta
from minutes_rag.parse.metadata.en import en_metadata
from minutes_rag.parse.metadata.zh import zh_metadata
from minutes_rag.text.lang import detect_lang
from minutes_rag.text.patterns import ascii_digits

__all__ = ["date_from_file_name", "extract_metadata"]

_NAME_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-_.]?(?P<m>\d{2})[-_.]?(?P<d>\d{2})(?!\d)")
# how far into the text the day of the meeting is looked for (a readout's opening sentence)
_OPENING_CHARS = 400


def extract_metadata(text: str) -> MinuteMeta:
    text = ascii_digits(text)
    if detect_lang(text) == "zh":
        return zh_metadata(text)
    return en_metadata(text)


def date_from_file_name(name: str, text: str) -> str:
    """The meeting date when the text gives only its day (国务院总理李强8月30日主持召开…, no
    year anywhere) and the file is named by date (xwlb_20240830.txt): used only when the
    name's month and day are the ones the opening of the text names, so an unrelated number in
    a file name is never taken for a date."""
    m = _NAME_DATE.search(name)
    if not m:
        return ""
    month, day = int(m.group("m")), int(m.group("d"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    if not re.search(rf"(?<!\d){month}\s*月\s*{day}\s*日", ascii_digits(text[:_OPENING_CHARS])):
        return ""
    return f"{m.group('y')}-{month:02d}-{day:02d}"
