"""Tokenisation for the lexical (BM25) index: jieba words for Chinese, plain words for English.

The index itself lives in SQLite FTS5 (see ``index.py``): FTS5 ranks with BM25, updates
incrementally and commits in the same transaction as the sections, so the lexical index can
never drift from the section table. We feed it pre-tokenised text (tokens joined by spaces).
"""

from __future__ import annotations

import re
import threading
from typing import Iterable

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z]+(?:'[a-z]+)?|\d+(?:\.\d+)?")
_WORD = re.compile(r"[\w\u3400-\u9fff]+")

# Words that carry no topic: question words and the boilerplate of every minute.
ZH_STOP = frozenset(
    """的 了 和 与 及 是 在 对 由 为 等 将 把 被 也 都 而 并 或 其 之 中 上 下 有 要 于 向 从 以 就 还 又
    什么 哪个 哪些 哪 谁 几 多少 怎么 怎样 如何 是否 吗 呢 吧 啊 请问 提出 哪位 一下 情况 方面 关于
    会议 本次 这次 那次 该 这 那 它 他们 我们 各 个 次""".split()
)
EN_STOP = frozenset(
    """a an the of to in on at for by with from and or not no is are was were be been being it its this that
    these those which what who whom whose when where why how did do does done has have had will would shall
    should can could may might must about into over than then there their they them he she his her we our
    you your i me my as if so such any all each per up out off also only very more most other some same
    meeting meetings council minute minutes""".split()
)

# characters of question phrasing and grammar: bigrams with one are left out of queries
_FUNCTION_CHARS = frozenset("的了吗呢吧啊么哪谁几是由在对和与及为把被将其之该这那些何怎请")

_jieba_lock = threading.Lock()
_user_words: set[str] = set()
_jieba = None


def _get_jieba():
    """Import jieba once, quietly (it logs to stderr on first use)."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def add_user_words(words: Iterable[str]) -> int:
    """Teach jieba the departments and bodies found in metadata (市住建局, 市资源规划局 ...) so
    they stay whole tokens instead of 市/住/建局. Returns how many were new."""
    new = [w for w in {w.strip() for w in words} if len(w) >= 2 and w not in _user_words and _HAN.search(w)]
    if not new:
        return 0
    jieba = _get_jieba()
    with _jieba_lock:
        for word in new:
            jieba.add_word(word, freq=20000)
            _user_words.add(word)
    return len(new)


def is_chinese(text: str, threshold: float = 0.2) -> bool:
    letters = _WORD.findall(text)
    joined = "".join(letters)
    if not joined:
        return False
    return len(_HAN.findall(joined)) / len(joined) >= threshold


def tokenize(text: str, *, for_query: bool = False) -> list[str]:
    """Tokens for BM25. Chinese runs go through jieba's search mode (words and their
    sub-words, so 姑苏领军人才计划 also matches 人才); Han words of two or more characters are
    also indexed as character bigrams, which keeps recall when jieba splits a query and a
    document differently. English is lower-cased, stop words dropped, plural 's' stripped.

    A query (``for_query``) gets the same words and bigrams, less the bigrams of question
    phrasing; which of them are worth asking for is decided against the index
    (``StateIndex.query_terms``: the rarest, within a budget), because OR-ing every bigram
    of a question made the BM25 query grow with its length and read the posting lists of
    the archive's commonest pairs."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(text):
        run = match.group(0)
        if _HAN.match(run):
            tokens.extend(_han_query_tokens(run) if for_query else _han_tokens(run))
        elif run[0].isdigit():
            tokens.append(run)
        else:
            word = run.lower()
            if word in EN_STOP or len(word) < 2:
                continue
            tokens.append(_stem(word))
    return tokens


def _han_tokens(run: str) -> list[str]:
    jieba = _get_jieba()
    out: list[str] = []
    for word in jieba.cut_for_search(run):
        if word in ZH_STOP or not word.strip():
            continue
        if len(word) == 1:
            # single characters are too common to rank with, except inside bigrams below
            continue
        out.append(word)
    # character bigrams of the run: robust to segmentation differences
    chars = [c for c in run]
    for i in range(len(chars) - 1):
        gram = chars[i] + chars[i + 1]
        if gram not in ZH_STOP:
            out.append("_" + gram)  # prefixed so a bigram never collides with a jieba word
    return out


def _han_query_tokens(run: str) -> list[str]:
    jieba = _get_jieba()
    out = [w for w in jieba.cut_for_search(run) if len(w) >= 2 and w not in ZH_STOP]
    # bigrams keep what words lose: word order across a boundary (城市安全发展 -> 市安, 全发)
    # and names jieba does not know; a bigram with a function character (什么 -> 么要 in
    # 提出了什么要求) is the question's phrasing, not the minute's
    out += ["_" + a + b for a, b in zip(run, run[1:]) if a not in _FUNCTION_CHARS and b not in _FUNCTION_CHARS]
    return out


def bigrams(word: str) -> list[str]:
    """The character bigrams of a Han word, as the index holds them."""
    return ["_" + a + b for a, b in zip(word, word[1:])] if _HAN.match(word) else []


def _stem(word: str) -> str:
    """A light suffix stripper (plural, -ed, -ing), applied alike to documents and queries so
    "referred", "refers" and "refer" meet. Not linguistics: consistency is what matters."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # referr -> refer, planned -> plan
            break
    return word
