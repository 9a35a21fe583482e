"""Tokenisation for the lexical (BM25) index: jieba words for Chinese, plain words for English.

The index itself lives in SQLite FTS5 (see ``index.py``): FTS5 ranks with BM25, updates
incrementally and commits in the same transaction as the sections, so the lexical index can
never drift from the section table. We feed it pre-tokenised text (tokens joined by spaces).
"""

from __future__ import annotations

import re

from minutes_rag.text.lang import HAN
from minutes_rag.text.words import EN_STOPWORDS, ZH_STOPWORDS, add_user_words, stem, zh_search_words

__all__ = ["TOKENIZER_VERSION", "tokenize", "add_user_words", "bigrams"]

# Bump when the tokens of a text change (2: the Snowball stemmer of text.words): tokens
# stored by an older version no longer meet the queries' tokens, so the index must be
# re-tokenised.
TOKENIZER_VERSION = 2

# characters of question phrasing and grammar: bigrams with one are left out of queries
_FUNCTION_CHARS = frozenset("的了吗呢吧啊么哪谁几是由在对和与及为把被将其之该这那些何怎请")

_HAN = re.compile(f"[{HAN}]")
_TOKEN = re.compile(rf"[{HAN}]+|[A-Za-z]+(?:'[a-z]+)?|\d+(?:\.\d+)?")


def tokenize(text: str, *, for_query: bool = False, segment: bool = True) -> list[str]:
    """Tokens for BM25. Chinese runs go through jieba's search mode (words and their
    sub-words, so 姑苏领军人才计划 also matches 人才); Han words of two or more characters are
    also indexed as character bigrams, which keeps recall when jieba splits a query and a
    document differently. English is lower-cased, stop words dropped, stemmed (``text.words.stem``).

    A query (``for_query``) gets the same words and bigrams, less the bigrams of question
    phrasing; which of them are worth asking for is decided against the index
    (``StateIndex.query_terms``: the rarest, within a budget), because OR-ing every bigram
    of a question made the BM25 query grow with its length and read the posting lists of
    the archive's commonest pairs.

    ``segment=False`` gives Han runs their bigrams only, without jieba: an English question
    whose glossary expansion adds Chinese terms must not load jieba's dictionary (0.7 s in a
    new process); the bigrams match the same passages, as every Han run is indexed by them."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(text):
        run = match.group(0)
        if _HAN.match(run):
            if not segment:
                tokens.extend(bigrams(run) if len(run) > 1 else [])
            else:
                tokens.extend(_han_query_tokens(run) if for_query else _han_tokens(run))
        elif run[0].isdigit():
            tokens.append(run)
        else:
            word = run.lower()
            if word in EN_STOPWORDS or len(word) < 2:
                continue
            tokens.append(stem(word))
    return tokens


def _han_tokens(run: str) -> list[str]:
    out: list[str] = []
    for word in zh_search_words(run):
        if word in ZH_STOPWORDS:
            continue
        if len(word) == 1:
            # single characters are too common to rank with, except inside bigrams below
            continue
        out.append(word)
    # character bigrams of the run: robust to segmentation differences
    chars = list(run)
    for i in range(len(chars) - 1):
        gram = chars[i] + chars[i + 1]
        if gram not in ZH_STOPWORDS:
            out.append("_" + gram)  # prefixed so a bigram never collides with a jieba word
    return out


def _han_query_tokens(run: str) -> list[str]:
    out = [w for w in zh_search_words(run) if len(w) >= 2 and w not in ZH_STOPWORDS]
    # bigrams keep what words lose: word order across a boundary (城市安全发展 -> 市安, 全发)
    # and names jieba does not know; a bigram with a function character (什么 -> 么要 in
    # 提出了什么要求) is the question's phrasing, not the minute's
    out += ["_" + a + b for a, b in zip(run, run[1:]) if a not in _FUNCTION_CHARS and b not in _FUNCTION_CHARS]
    return out


def bigrams(word: str) -> list[str]:
    """The character bigrams of a Han word, as the index holds them."""
    return ["_" + a + b for a, b in zip(word, word[1:])] if _HAN.match(word) else []
