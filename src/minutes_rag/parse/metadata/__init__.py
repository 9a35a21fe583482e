"""Metadata read from the text of a minute: who issued it, its number, when the meeting
was, who chaired, who attended.

Two families, one module each: Chinese government minutes (``zh``) and English council
minutes (``en``). Which one reads a text is decided by ``text.lang.detect_lang``, the rule
the splitter and the rest of the library use too (``MinuteMeta.lang`` records it).
"""

from __future__ import annotations

from minutes_rag.model import MinuteMeta
from minutes_rag.parse.metadata.en import en_metadata
from minutes_rag.parse.metadata.zh import zh_metadata
from minutes_rag.text.lang import detect_lang
from minutes_rag.text.patterns import ascii_digits

__all__ = ["extract_metadata"]


def extract_metadata(text: str) -> MinuteMeta:
    text = ascii_digits(text)
    if detect_lang(text) == "zh":
        return zh_metadata(text)
    return en_metadata(text)
