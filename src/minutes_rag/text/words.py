"""Words: the English stemmer, the stopword sets, and jieba (Chinese segmentation) with the
user dictionary of departments and bodies learnt from the minutes.

Every path that compares English words (the lexical index, the glossary, the answerers'
keywords and citation checks) stems through ``stem``, so "referred" meets "refer" and
"buses" meets "bus" everywhere alike.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import snowballstemmer

from minutes_rag.text.lang import HAN_RE

# ---------------------------------------------------------------- stemming

_stemmer_lock = threading.Lock()
_stemmer = snowballstemmer.stemmer("english")


# Derivational endings: a word that ends with one (after its inflection is taken off) keeps
# it, so the stemmer merges inflections (approve/approved/approves, talent/talents) but not
# derivations, which often name another concept (approve/approval, assist/assistant/
# assistance, coordinate/coordination, govern/government, transport/transportation).
_DERIVED = re.compile(r"(?:al|ance|ence|ment|ion|ity|ive|ize|ise|able|ible|ant|ent|ism|ist|ous|ness|ful|ship)$")


def _uninflected(w: str) -> list[str]:
    """What ``w`` may be without an inflection (-s, -es, -ies, -ed, -d, -ing), itself first."""
    out = [w]
    if w.endswith("ies"):
        out.append(w[:-3] + "y")
    elif w.endswith("es"):
        out += [w[:-2], w[:-1]]
    elif w.endswith("s") and not w.endswith("ss"):
        out.append(w[:-1])
    elif w.endswith("ed"):
        out += [w[:-2], w[:-1]] + ([w[:-3]] if len(w) > 4 and w[-3] == w[-4] else [])
    elif w.endswith("ing"):
        out += [w[:-3], w[:-3] + "e"] + ([w[:-4]] if len(w) > 5 and w[-4] == w[-5] else [])
    return out


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of one English word, lower-cased: Snowball (Porter2) for inflections.

    A derived word keeps its derivation (see ``_DERIVED``): approval stays "approval"
    while approve/approved/approving are "approv". Porter2 keeps the e of "-se" after a
    short syllable ("buses" -> "buse", but "bus" -> "bus"), so a final e after s is dropped:
    bus/buses, gas/gases meet, and use/uses, case/cases still meet each other."""
    w = word.lower().strip("'-")
    if w.endswith("'s"):
        w = w[:-2]
    if not w:
        return w
    for base in _uninflected(w):
        if len(base) >= 4 and _DERIVED.search(base):
            return base
    with _stemmer_lock:  # the Snowball stemmer object keeps state between calls
        s = _stemmer.stemWord(w)
    if len(s) > 3 and s.endswith("se"):
        s = s[:-1]
    return s


# ---------------------------------------------------------------- stopwords

# Grammar words: a line that ends on one of them goes on (page-break repair).
EN_FUNCTION_WORDS = frozenset(
    """the of and to a an in for with on by at from or that is are was were be as this which who their
    its""".split()
)
# Words that carry no topic in an index: function words and the boilerplate of every minute.
EN_STOPWORDS = EN_FUNCTION_WORDS | frozenset(
    """not no been being it these those what whom whose when where why how did do does done has have had
    will would shall should can could may might must about into over than then there they them he she his
    her we our you your i me my if so such any all each per up out off also only very more most other some
    same meeting meetings council minute minutes""".split()
)
# Words that say what kind of question it is, not what it is about: they would match almost
# every section of every minute and make weak evidence look strong.
EN_QUESTION_STOPWORDS = EN_STOPWORDS | frozenset(
    """but nor under having whether just many much us say said says tell please mentioned mention regarding
    concerning item items agenda one ones s""".split()
)
ZH_STOPWORDS = frozenset(
    """的 了 和 与 及 是 在 对 由 为 等 将 把 被 也 都 而 并 或 其 之 中 上 下 有 要 于 向 从 以 就 还 又
    什么 哪个 哪些 哪 谁 几 多少 怎么 怎样 如何 是否 吗 呢 吧 啊 请问 提出 哪位 一下 情况 方面 关于
    会议 本次 这次 那次 该 这 那 它 他们 我们 各 个 次""".split()
)
ZH_QUESTION_STOPWORDS = ZH_STOPWORDS | frozenset(
    """哪几个 哪几 哪几项 哪几条 哪一个 哪一项 哪里 哪儿 为什么 是不是 有没有 会上 纪要 会议纪要 常务会议 市政府 政府 提到 有关 相关 内容 问题
    以及 给 里 所 这个 那个 这些 那些 这份 那份 本份 本次会议 它们 一些 具体 主要 哪一 哪项 什么样
    怎么样 说 讲 要求""".split()
)

# ---------------------------------------------------------------- jieba

_jieba_lock = threading.Lock()
_user_words: set[str] = set()
_pending_words: list[str] = []  # learnt before jieba loaded: added when it loads
_jieba: Any = None


def jieba() -> Any:
    """The jieba module, imported and initialised once, quietly (it logs to stderr on first
    use). One instance for the whole library: it also holds the user dictionary. Loading its
    dictionary takes ~0.7 s, so only text with Han characters calls this: an English
    question never does."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba as _module

                _module.setLogLevel(logging.WARNING)
                _module.initialize()
                for word in _pending_words:
                    _module.add_word(word, freq=20000)
                _pending_words.clear()
                _jieba = _module
    return _jieba


def add_user_words(words: Iterable[str]) -> int:
    """Teach jieba the departments and bodies found in metadata (市住建局, 市资源规划局 ...) so
    they stay whole tokens instead of 市/住/建局. Returns how many were new. Before jieba has
    loaded they are kept and added when it loads, so learning them never loads it."""
    new = [w for w in {w.strip() for w in words} if len(w) >= 2 and w not in _user_words and HAN_RE.search(w)]
    if not new:
        return 0
    with _jieba_lock:
        if _jieba is None:
            _pending_words.extend(w for w in new if w not in _user_words)
            _user_words.update(new)
            return len(new)
    jb = jieba()
    with _jieba_lock:
        for word in new:
            jb.add_word(word, freq=20000)
            _user_words.add(word)
    return len(new)


def zh_words(text: str) -> list[str]:
    """jieba's words of ``text`` (accurate mode), blanks dropped."""
    return [t for t in jieba().lcut(text) if t.strip()]


def zh_search_words(text: str) -> list[str]:
    """jieba's search mode: words and their sub-words (姑苏领军人才计划 also gives 人才)."""
    return [t for t in jieba().cut_for_search(text) if t.strip()]
