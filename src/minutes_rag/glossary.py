"""Bilingual (English/Chinese) glossary of municipal-government vocabulary, for cross-lingual
query expansion.

An English question about a Chinese minute shares no words with it, so BM25 and the
extractive answerer's keyword matching find nothing; the dense model alone carries it.
The glossary (``data/glossary_en_zh.tsv``) maps concepts (市科技局 / Science and Technology
Bureau, 原则同意 / approve in principle, 领军人才 / leading talent ...) between the languages:

- ``expand_query`` appends the other language's terms to a question, for BM25;
- ``cross_terms`` gives the other language's terms as keywords for the answerer, one per
  concept (its first variant); ``variants`` lists all the spellings a keyword stands for.

English phrases match on word boundaries after lower-casing and the lexical index's stemmer
(so "reported" finds "report" and "talents" finds "talent"); Chinese terms match as
substrings. A match inside a longer match (talent inside leading talent) is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from minutes_rag.text.lang import HAN_RE, detect_lang
from minutes_rag.text.words import stem

KINDS = frozenset({"dept", "role", "meeting", "policy", "place", "general"})

_EN_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Entry:
    kind: str
    zh: tuple[str, ...]
    en: tuple[str, ...]


@dataclass(frozen=True)
class Glossary:
    entries: tuple[Entry, ...]
    # first stemmed word -> (phrase words, entry index), for English matching
    en_index: dict[str, tuple[tuple[tuple[str, ...], int], ...]]
    # Chinese term -> entry index
    zh_index: dict[str, int]
    # a keyword (an entry's first variant in either language) -> all variants in that language
    groups: dict[str, tuple[str, ...]]


class GlossaryError(ValueError):
    """A malformed line in a glossary file."""


def en_words(text: str) -> list[str]:
    """Lower-cased, stemmed words (``text.words.stem``, as the lexical index; stop words kept,
    phrases need them)."""
    # a possessive is the word itself ("the Bureau's plan", "people's congress")
    return [stem(w[:-2] if w.endswith("'s") else w) for w in _EN_WORD.findall(text.lower().replace("\u2019", "'"))]


def parse(text: str) -> tuple[Entry, ...]:
    """Entries of a glossary file: ``kind<TAB>zh|zh…<TAB>en|en…`` per line, ``#`` comments.
    Raises GlossaryError on a malformed line."""
    out: list[Entry] = []
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 3:
            raise GlossaryError(f"line {no}: expected 3 tab-separated columns, got {len(cols)}")
        kind, zh, en = (c.strip() for c in cols)
        zh_terms = tuple(t.strip() for t in zh.split("|"))
        en_terms = tuple(t.strip() for t in en.split("|"))
        if kind not in KINDS:
            raise GlossaryError(f"line {no}: unknown kind {kind!r}")
        if not all(zh_terms) or not all(HAN_RE.search(t) or (t.isascii() and t.isalnum() and t == t.upper()) for t in zh_terms):
            # Latin only as an acronym used in Chinese text too (5G, GDP)
            raise GlossaryError(f"line {no}: empty or non-Chinese term in {zh!r}")
        if not all(en_terms) or any(HAN_RE.search(t) or t != t.lower() or not en_words(t) for t in en_terms):
            raise GlossaryError(f"line {no}: English variants must be non-empty lower case: {en!r}")
        out.append(Entry(kind, zh_terms, en_terms))
    return tuple(out)


def build(entries: tuple[Entry, ...]) -> Glossary:
    en_index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    zh_index: dict[str, int] = {}
    groups: dict[str, tuple[str, ...]] = {}
    for i, e in enumerate(entries):
        for phrase in e.en:
            words = tuple(en_words(phrase))
            en_index.setdefault(words[0], []).append((words, i))
        for term in e.zh:
            zh_index.setdefault(term, i)
        groups.setdefault(e.zh[0], e.zh)
        groups.setdefault(e.en[0], e.en)
    return Glossary(tuple(entries), {k: tuple(v) for k, v in en_index.items()}, zh_index, groups)


@lru_cache(maxsize=1)
def load() -> Glossary:
    """The bundled glossary (package data), parsed once."""
    text = resources.files("minutes_rag").joinpath("data/glossary_en_zh.tsv").read_text(encoding="utf-8")
    return build(parse(text))


def _outermost(spans: list[tuple[int, int, int]]) -> list[int]:
    """Entry indexes of the matches not strictly inside a longer match, in text order."""
    keep: list[int] = []
    for a, b, i in sorted(spans):
        if any(a2 <= a and b <= b2 and (b2 - a2) > (b - a) for a2, b2, _ in spans):
            continue
        if i not in keep:
            keep.append(i)
    return keep


def match_english(text: str, glossary: Glossary | None = None) -> list[Entry]:
    """Entries whose English variants occur in ``text`` (whole words, stemmed)."""
    g = glossary or load()
    words = en_words(text)
    spans: list[tuple[int, int, int]] = []
    for pos, w in enumerate(words):
        for phrase, i in g.en_index.get(w, ()):
            if tuple(words[pos : pos + len(phrase)]) == phrase:
                spans.append((pos, pos + len(phrase), i))
    return [g.entries[i] for i in _outermost(spans)]


def match_chinese(text: str, glossary: Glossary | None = None) -> list[Entry]:
    """Entries whose Chinese variants occur in ``text`` (substrings)."""
    g = glossary or load()
    spans: list[tuple[int, int, int]] = []
    for term, i in g.zh_index.items():
        if not HAN_RE.search(term):
            continue  # Latin "terms" (5G, GDP) stay with the English side
        start = text.find(term)
        while start >= 0:
            spans.append((start, start + len(term), i))
            start = text.find(term, start + 1)
    return [g.entries[i] for i in _outermost(spans)]


def _is_chinese(question: str) -> bool:
    return detect_lang(question, question=True) == "zh"


def expand_query(question: str, glossary: Glossary | None = None) -> str:
    """``question`` followed by the other language's terms for the concepts it names: all
    Chinese variants for an English question, all English variants for a Chinese one.
    Unchanged when nothing matches. For the lexical (BM25) query only: dense retrieval
    embeds the original question."""
    if _is_chinese(question):
        extra = [t for e in match_chinese(question, glossary) for t in e.en]
    else:
        extra = [t for e in match_english(question, glossary) for t in e.zh]
    seen: list[str] = []
    for t in extra:
        if t not in seen:
            seen.append(t)
    return question if not seen else question + " " + " ".join(seen)


def cross_terms(question: str, *, lang: str | None = None, glossary: Glossary | None = None) -> list[str]:
    """The other language's keywords for the concepts ``question`` names, one per concept
    (the entry's first variant; see ``variants``). Meeting boilerplate (审议, 纪要, 主持 ...)
    is left out: every minute has it, so it would make any passage look relevant; the
    answerer recognises who/when questions by its own cues."""
    zh_question = _is_chinese(question) if lang is None else lang == "zh"
    entries = match_chinese(question, glossary) if zh_question else match_english(question, glossary)
    out: list[str] = []
    for e in entries:
        if e.kind == "meeting":
            continue
        term = e.en[0] if zh_question else e.zh[0]
        if term not in out:
            out.append(term)
    return out


def variants(keyword: str, glossary: Glossary | None = None) -> tuple[str, ...]:
    """All spellings a cross-lingual keyword stands for (市资源规划局 -> 市资源规划局,
    市自然资源和规划局 ...); just the keyword itself when it is not a glossary keyword."""
    g = glossary or load()
    return g.groups.get(keyword, (keyword,))


def occurs(term: str, text: str) -> bool:
    """Whether a glossary term occurs in ``text``: Chinese as a substring, English as a
    whole-word (stemmed) phrase."""
    if HAN_RE.search(term):
        return term in text
    phrase = en_words(term)
    words = en_words(text)
    n = len(phrase)
    return any(words[i : i + n] == phrase for i in range(len(words) - n + 1))
