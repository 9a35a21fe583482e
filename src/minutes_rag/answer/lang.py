"""Language detection, keyword extraction and the fixed user-facing sentences.

Keywords drive both the extractive answerer (sentence scoring) and the evidence gate
(does the retrieved text cover the question?). Chinese is segmented with jieba (loaded on
first use); English is split into words with a light suffix stemmer so that
"meetings"/"meeting" or "approved"/"approve" match.
"""

from __future__ import annotations

import re

NOT_FOUND = {
    "zh": "未在会议纪要中找到相关内容。",
    "en": "No relevant content was found in the minutes.",
}

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*|\d+(?:[.,]\d+)*")

# Words that say what kind of question it is, not what it is about. They would match
# almost every section of every minute and make weak evidence look strong.
ZH_STOPWORDS = frozenset(
    """
    什么 哪个 哪些 哪里 哪儿 哪 谁 几 多少 怎么 怎样 如何 为什么 是否 是不是 有没有 吗 呢 吧 啊
    会议 会上 本次 纪要 会议纪要 常务会议 市政府 政府 提到 提出 关于 有关 相关 内容 情况 问题 方面
    的 了 和 与 及 以及 或 是 在 有 对 由 把 被 将 从 向 给 为 中 里 上 下 等 也 都 还 又 就 所 其 该 这 那
    这个 那个 这些 那些 这份 那份 本份 本次会议 它 它们 他们 我们 请问 一下 一些 具体 主要 哪一 哪项 什么样 怎么样 说 讲 要求 次
    """.split()
)
EN_STOPWORDS = frozenset(
    """
    a an the of to in on at for by with from about into over under and or but not no nor is are was were be been
    being do does did done have has had having what which who whom whose when where why how whether if than then
    there their they them it its this that these those i we you he she his her our your my me us can could should
    would will shall may might must any some all each many much more most other such as so up out also just only
    meeting meetings minute minutes council say said says tell please mentioned mention regarding concerning item items
    agenda one ones s
    """.split()
)


# quotes of Chinese inside a question in another language: a title, a document number, a
# name glossed in brackets ("Yunjiang (云江市)")
_QUOTED_ZH = re.compile(r"《[^》]*》|[〔\[（(]\s*\d{4}\s*[〕\]）)]\s*\d+\s*号|[（(][\u3400-\u4dbf\u4e00-\u9fff]+[）)]")


def detect_lang(text: str) -> str:
    """"zh" or "en" for a question or passage.

    An English question may quote a Chinese document number (〔2020〕21号), title (《…》) or
    name in brackets (云江市)
    and a Chinese one may quote an English name, so those quotes are set aside and the
    CJK characters are weighed against the Latin words of the rest."""
    text = text or ""
    rest = _QUOTED_ZH.sub(" ", text)
    cjk = len(_CJK.findall(rest))
    if cjk == 0:
        # nothing Chinese outside the quotes: Chinese only if there are no Latin words either
        return "zh" if _CJK.search(text) and not re.search(r"[A-Za-z]{2,}", rest) else "en"
    words = len(re.findall(r"[A-Za-z]{2,}", rest))
    return "zh" if cjk * 2 >= words else "en"


def not_found_text(lang: str) -> str:
    return NOT_FOUND["zh" if lang == "zh" else "en"]


def is_not_found_reply(text: str) -> bool:
    """True when a reply is (essentially) the not-found sentence, in either language."""
    t = re.sub(r"\s+", "", text or "").lower()
    return any(re.sub(r"\s+", "", s).lower().rstrip("。.") in t for s in NOT_FOUND.values())


def stem(word: str) -> str:
    """A deliberately crude English stemmer: enough to match plural/past/-ing forms."""
    w = word.lower().strip("'-")
    for suf, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if len(w) > len(suf) + 2 and w.endswith(suf) and not w.endswith("ss"):
            return w[: -len(suf)] + keep
    return w


def _jieba():
    # one jieba for the whole library: the lexical index's loader, which also holds the
    # department names taught to it (add_user_words)
    from minutes_rag.lexical import _get_jieba

    return _get_jieba()


def zh_tokens(text: str) -> list[str]:
    return [t for t in _jieba().lcut(text) if t.strip()]


def keywords(question: str) -> list[str]:
    """Content keywords of a question, in order, without duplicates.

    Chinese: jieba words of 2+ characters (or numbers) that are not question/filler words;
    embedded Latin words are kept too. English: stemmed words, minus stopwords.
    """
    out: list[str] = []
    if detect_lang(question) == "zh":
        for tok in zh_tokens(question):
            tok = tok.strip()
            if not tok or tok in ZH_STOPWORDS:
                continue
            if _CJK.search(tok):
                if len(tok) < 2:
                    continue
                # jieba keeps e.g. "会议研究" together; drop a leading/trailing filler word
                for sw in ("会议", "纪要"):
                    if tok.startswith(sw) and len(tok) > len(sw) + 1:
                        tok = tok[len(sw):]
                if tok in ZH_STOPWORDS:
                    continue
            elif tok.isascii():
                if not re.search(r"[A-Za-z0-9]", tok):
                    continue
                tok = stem(tok) if tok.isalpha() else tok
                if tok in EN_STOPWORDS:
                    continue
            else:
                continue
            out.append(tok)
    else:
        for m in _LATIN_WORD.finditer(question):
            w = m.group(0)
            if w.lower() in EN_STOPWORDS:
                continue
            s = stem(w) if w[0].isalpha() else w
            if s in EN_STOPWORDS or (len(s) < 2 and not s.isdigit()):
                continue
            out.append(s)
    seen: set[str] = set()
    return [k for k in out if not (k in seen or seen.add(k))]


def keyword_weight(kw: str) -> float:
    """Longer Chinese words and numbers say more than short ones."""
    if _CJK.search(kw):
        return min(len(kw), 4) / 2.0  # 2 chars -> 1.0, 4+ chars -> 2.0
    if kw.isdigit():
        return 1.5
    return 1.0


def text_matcher(text: str):
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
