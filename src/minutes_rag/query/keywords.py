"""The content keywords of a question: what the evidence gate and the extractive answerer
look for in a passage (``Query.keywords``, worked out once per question).

Chinese is segmented with jieba (loaded on first use); English is split into words and
stemmed (``text.words.stem``, the stemmer of the lexical index too) so that
"meetings"/"meeting" or "approved"/"approve" match. Words that say what kind of question it
is rather than what it is about (the question stopwords) are left out.
"""

from __future__ import annotations

import re

from minutes_rag.text.lang import HAN_RE, Lang, detect_lang
from minutes_rag.text.words import EN_QUESTION_STOPWORDS, ZH_QUESTION_STOPWORDS, stem, zh_words

# an English word or a number, as keywords and passages are compared
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*|\d+(?:[.,]\d+)*")


def keywords(question: str, lang: Lang | None = None) -> list[str]:
    """Content keywords of a question, in order, without duplicates.

    Chinese: jieba words of 2+ characters (or numbers) that are not question/filler words;
    embedded Latin words are kept too. English: stemmed words, minus stopwords. ``lang``:
    the question's language when already known (else detected).
    """
    out: list[str] = []
    if (lang or detect_lang(question, question=True)) == "zh":
        for tok in zh_words(question):
            tok = tok.strip()
            if not tok or tok in ZH_QUESTION_STOPWORDS:
                continue
            if HAN_RE.search(tok):
                if len(tok) < 2:
                    continue
                # jieba keeps e.g. "会议研究" together; drop a leading/trailing filler word
                for sw in ("会议", "纪要"):
                    if tok.startswith(sw) and len(tok) > len(sw) + 1:
                        tok = tok[len(sw):]
                if tok in ZH_QUESTION_STOPWORDS:
                    continue
            elif tok.isascii():
                if not re.search(r"[A-Za-z0-9]", tok):
                    continue
                tok = stem(tok) if tok.isalpha() else tok
                if tok in EN_QUESTION_STOPWORDS:
                    continue
            else:
                continue
            out.append(tok)
    else:
        for m in LATIN_WORD.finditer(question):
            w = m.group(0)
            if w.lower() in EN_QUESTION_STOPWORDS:
                continue
            s = stem(w) if w[0].isalpha() else w
            if s in EN_QUESTION_STOPWORDS or (len(s) < 2 and not s.isdigit()):
                continue
            out.append(s)
    return list(dict.fromkeys(out))
