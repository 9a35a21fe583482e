"""Language detection, keyword extraction and the fixed user-facing sentences.

Keywords drive both the extractive answerer (sentence scoring) and the evidence gate
(does the retrieved text cover the question?). Chinese is segmented with jieba (loaded on
first use); English is split into words and stemmed (``text.words.stem``, the stemmer of the
lexical index too) so that "meetings"/"meeting" or "approved"/"approve" match.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from minutes_rag.query.keywords import LATIN_WORD as _LATIN_WORD
from minutes_rag.query.keywords import keywords
from minutes_rag.text.lang import HAN_RE
from minutes_rag.text.words import stem

__all__ = ["NOT_FOUND", "is_not_found_reply", "keyword_weight", "keywords", "not_found_text",
           "stem", "text_matcher"]

NOT_FOUND = {
    "zh": "未在会议纪要中找到相关内容。",
    "en": "No relevant content was found in the minutes.",
}

_CJK = HAN_RE



def not_found_text(lang: str) -> str:
    return NOT_FOUND["zh" if lang == "zh" else "en"]


def is_not_found_reply(text: str) -> bool:
    """True when a reply is (essentially) the not-found sentence, in either language."""
    t = re.sub(r"\s+", "", text or "").lower()
    return any(re.sub(r"\s+", "", s).lower().rstrip("。.") in t for s in NOT_FOUND.values())


def keyword_weight(kw: str) -> float:
    """Longer Chinese words and numbers say more than short ones."""
    if _CJK.search(kw):
        return min(len(kw), 4) / 2.0  # 2 chars -> 1.0, 4+ chars -> 2.0
    if kw.isdigit():
        return 1.5
    return 1.0


def text_matcher(text: str) -> Callable[[str], bool]:
    """Return a function kw -> bool telling whether a keyword occurs in ``text``.

    Chinese keywords are matched as substrings (jieba may cut the text differently from the
    question); English keywords by stem against the text's stemmed words.
    """
    low = text.lower()
    stems: set[str] | None = None

    def has(kw: str) -> bool:
        nonlocal stems
        if _CJK.search(kw) or not kw.isalpha():
            if kw.lower() in low:
                return True
            # a glossary keyword stands for all its spellings (市资源规划局 / 市自然资源和规划局,
            # "rental housing" / "rental apartments"); see answer.extractive.cross_keywords
            from minutes_rag import glossary

            return any(v != kw and glossary.occurs(v, text) for v in glossary.variants(kw))
        if stems is None:
            stems = {stem(m.group(0)) for m in _LATIN_WORD.finditer(text) if m.group(0)[0].isalpha()}
        return kw in stems

    return has
