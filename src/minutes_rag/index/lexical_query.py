"""The lexical (FTS5, BM25) query path over ``state.sqlite``: document frequencies from
``fts5vocab``, the rarest query terms within a posting budget, FTS5 queries, and a named
scope ranked in Python with FTS5's bm25 formula; the jieba lexicon."""

from __future__ import annotations

import json
import math
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from minutes_rag.errors import StoreError
from minutes_rag.index.connection import Connections
from minutes_rag.lexical import bigrams

MAX_QUERY_TERMS = 24  # BM25 terms per question
# the postings an FTS5 OR query may read (its cost grows with them): past two terms, the
# commonest terms are left out once the rarer ones add up to this many sections
POSTING_BUDGET = 7000
# FTS5's unicode61 tokenizer reads "_" as a separator: the "_xy" bigram tokens of
# ``lexical`` are the terms "xy" in the index
_PLAIN_TERM = re.compile(r"[^\W_]+")


# a scope (the minutes a question names) of at most this many sections is ranked in Python
SCOPED_BM25_LIMIT = 3000


def _varints(blob: bytes) -> list[int]:
    """SQLite's varints (7 bits a byte, high bit set on all but the last; a 9th byte whole)."""
    out: list[int] = []
    value, count = 0, 0
    for byte in blob:
        count += 1
        if count == 9:
            out.append((value << 8) | byte)
            value, count = 0, 0
        elif byte & 0x80:
            value = (value << 7) | (byte & 0x7F)
        else:
            out.append((value << 7) | byte)
            value, count = 0, 0
    return out


_NOT_PLAIN = re.compile(r"[^\w ]")


def _term_counter(tokens: str) -> Callable[[str], int]:
    """How often a term is in a section's stored tokens, as FTS5's unicode61 reads them
    ("_" and spaces split). Stored tokens are words and ``_xy`` bigrams separated by spaces:
    counting " term " in the text with every separator doubled (so that neighbours do not
    share one) is a scan in C; a text with other characters ("2.5": unicode61 splits at
    the dot) is split the tokenizer's way instead. Only the question's few terms are
    counted, not every token of the section."""
    if _NOT_PLAIN.search(tokens):
        counts = Counter(_PLAIN_TERM.findall(tokens))
        return lambda term: counts.get(term, 0)
    spaced = "  " + tokens.replace("_", " ").replace(" ", "  ") + "  "
    return lambda term: spaced.count(f" {term} ")


def _fts_term(token: str) -> str:
    return token.strip("_")



class LexicalMixin(Connections):
    if TYPE_CHECKING:  # the sections' (``minutes.MinutesMixin``)

        def section_count(self) -> int: ...

    # -- lexical search ------------------------------------------------------------------
    def _vocab(self) -> None:
        """FTS5's own term statistics, as a table in this thread's connection's temp schema
        (a reader never writes to the database for it)."""
        if not getattr(self._local, "vocab", False):
            try:
                self._reader().execute(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.sections_vocab USING fts5vocab(main, sections_fts, 'row')"
                )
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the lexical index's vocabulary in {self.path}: {exc}") from exc
            self._local.vocab = True

    def doc_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        """How many sections hold each (FTS-normalised) term; terms in none are absent.

        fts5vocab counts a term's sections by reading its posting list, so the counts are
        kept in memory until the database changes (``PRAGMA data_version`` of this thread's
        connection moves when another connection commits)."""
        terms = list(dict.fromkeys(terms))
        if not terms:
            return {}
        self._vocab()
        version = self._reader().execute("PRAGMA data_version").fetchone()[0]
        if getattr(self._local, "data_version", None) != version:
            if self._local.__dict__.get("data_version") is not None:
                self._df_cache.clear()
                self._totals = None
            self._local.data_version = version
        cache = self._df_cache
        missing = [t for t in terms if t not in cache]
        for i in range(0, len(missing), 500):
            chunk = missing[i : i + 500]
            rows = self._q(f"SELECT term, doc FROM temp.sections_vocab WHERE term IN ({','.join('?' * len(chunk))})", chunk)
            found = {r[0]: int(r[1]) for r in rows}
            if len(cache) > 200_000:
                cache.clear()
            cache.update({t: found.get(t, 0) for t in chunk})
        return {t: cache[t] for t in terms if cache.get(t)}

    def _section_total(self) -> int:
        # for the share of sections a term is in; a minute's staleness does not matter here
        now = time.monotonic()
        if now - self._total_at > 30:
            self._total, self._total_at = self.section_count(), now
        return self._total

    def query_terms(self, query_tokens: Sequence[str], *, budget: bool = True) -> list[str]:
        """The terms worth a BM25 query: the question's words that some section holds (a word
        in none is replaced by its character bigrams), rarest first, at most
        ``MAX_QUERY_TERMS``, and past the two rarest only while their sections add up to at
        most ``POSTING_BUDGET``. The cost of an FTS5 OR query is the length of its posting
        lists; a term that much of the archive holds adds length, and little to BM25."""
        # a word that is also a bigram (人才, _人才) is one FTS term; asked for twice, as the
        # index holds it twice, it keeps the weight the words of a question have always had
        weight = Counter(_fts_term(t) for t in query_tokens if _fts_term(t))
        words = list(weight)
        phrases = [w for w in words if not _PLAIN_TERM.fullmatch(w)]  # "2.5", "council's": FTS phrases
        plain = [w for w in words if _PLAIN_TERM.fullmatch(w)]
        fallback = {w: [_fts_term(b) for b in bigrams(w)] for w in plain}
        # the question's bigram tokens (``_xy``) and fallbacks, as opposed to its words
        bigram_set = {_fts_term(t) for t in query_tokens if t.startswith("_")} | {
            b for bs in fallback.values() for b in bs
        }
        bigram_set -= {_fts_term(t) for t in query_tokens if not t.startswith("_")}
        df = self.doc_frequencies(plain + [b for bs in fallback.values() for b in bs])
        chosen: dict[str, int] = {}
        for w in plain:
            if df.get(w):
                chosen.setdefault(w, df[w])
            else:
                for b in fallback[w]:
                    if df.get(b):
                        chosen.setdefault(b, df[b])
        # words first (rarest first), then the bigrams that carry word order, while the
        # budget lasts: a rare bigram across two words (造工 of 改造工作) says less about the
        # topic than the words themselves
        is_bigram = {t: t in bigram_set for t in chosen}
        ranked = sorted(chosen, key=lambda t: (is_bigram[t], chosen[t]))
        terms: list[str] = []
        postings = 0
        for t in ranked:
            if len(terms) >= MAX_QUERY_TERMS - len(phrases):
                break
            if budget and len(terms) >= 2 and postings + chosen[t] > POSTING_BUDGET:
                continue  # common: costs posting-list length, adds little to BM25
            terms.append(t)
            postings += chosen[t]
        return [t for t in phrases + terms for _ in range(min(2, weight.get(t, 1)))]

    def lexical_search(
        self, query_tokens: Sequence[str], k: int, minute_ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """BM25 over the FTS5 index: [(section_id, score)] best first (score higher = better)."""
        if minute_ids is not None:
            if not minute_ids:
                return []
            rows = self._q(
                "SELECT s.section_id, f.c0, d.sz FROM sections s JOIN sections_fts_content f ON f.id = s.rid"
                " LEFT JOIN sections_fts_docsize d ON d.id = s.rid"
                f" WHERE s.minute_id IN ({','.join('?' * len(minute_ids))}) LIMIT ?",
                [*minute_ids, SCOPED_BM25_LIMIT + 1],
            )
            terms = self.query_terms(query_tokens, budget=False)
            if len(rows) <= SCOPED_BM25_LIMIT and all(_PLAIN_TERM.fullmatch(t) for t in terms):
                return self._bm25(terms, rows, k)  # (phrases, "2.5", are left to FTS5)
        terms = self.query_terms(query_tokens)
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        if minute_ids is not None:
            sql = (
                "SELECT s.section_id, -bm25(sections_fts) FROM sections_fts"
                " JOIN sections s ON s.rid = sections_fts.rowid WHERE sections_fts MATCH ?"
                f" AND s.minute_id IN ({','.join('?' * len(minute_ids))}) ORDER BY bm25(sections_fts) LIMIT ?"
            )
            args = [match, *minute_ids, k]
        else:
            # rank is bm25() (lower is better); the join to section ids runs on the top k only
            sql = (
                "SELECT s.section_id, -f.rank FROM (SELECT rowid AS rid, rank FROM sections_fts"
                " WHERE sections_fts MATCH ? ORDER BY rank LIMIT ?) f JOIN sections s ON s.rid = f.rid ORDER BY f.rank"
            )
            args = [match, k]
        try:
            return [(r[0], float(r[1])) for r in self._q(sql, args)]
        except sqlite3.OperationalError as exc:
            raise StoreError(f"lexical search failed: {exc}") from exc

    def sections_with_terms(
        self, alternatives: Sequence[Sequence[str]], minute_ids: Sequence[str] | None = None, limit: int = 2000
    ) -> list[str]:
        """The sections whose tokens hold, for every group, one of its alternatives (an item
        number's parts, each with its zero-padded forms): a prefilter for ``item_lookup``,
        which then reads the identifier in the text itself."""
        groups = [[t for t in group if _PLAIN_TERM.fullmatch(t)] for group in alternatives]
        if not groups or not all(groups):
            return []
        match = " AND ".join("(" + " OR ".join(f'"{t}"' for t in group) + ")" for group in groups)
        sql = "SELECT s.section_id FROM sections_fts JOIN sections s ON s.rid = sections_fts.rowid WHERE sections_fts MATCH ?"
        args: list[object] = [match]
        if minute_ids is not None:
            if not minute_ids:
                return []
            sql += f" AND s.minute_id IN ({','.join('?' * len(minute_ids))})"
            args.extend(minute_ids)
        try:
            return [r[0] for r in self._q(sql + " LIMIT ?", [*args, limit])]
        except sqlite3.OperationalError as exc:
            raise StoreError(f"lexical search failed: {exc}") from exc

    def sections_labelled(self, labels: Sequence[str], minute_ids: Sequence[str] | None = None) -> list[str]:
        """The sections whose label path starts with one of ``labels`` ("58", "三")."""
        if not labels:
            return []
        patterns = [json.dumps([lab], ensure_ascii=False)[:-1] + "%" for lab in labels]  # '["58"%'
        sql = "SELECT section_id FROM sections WHERE (" + " OR ".join("label_path LIKE ?" for _ in patterns) + ")"
        args: list[object] = list(patterns)
        if minute_ids is not None:
            if not minute_ids:
                return []
            sql += f" AND minute_id IN ({','.join('?' * len(minute_ids))})"
            args.extend(minute_ids)
        return [r[0] for r in self._q(sql + " LIMIT 2000", args)]

    def _fts_totals(self) -> tuple[int, float]:
        """(sections, mean tokens per section) as FTS5 keeps them for bm25 (its "averages"
        record: varints of the row count and the token count)."""
        self.doc_frequencies(["_"])  # refreshes the caches when the database changed
        if self._totals is None:
            rows = self._q("SELECT block FROM sections_fts_data WHERE id = 1")
            values = _varints(rows[0][0]) if rows and rows[0][0] else []
            n = values[0] if values else 0
            self._totals = (n, (values[1] / n) if n and len(values) > 1 else 1.0)
        return self._totals

    def _bm25(self, terms: Sequence[str], rows: Sequence[tuple], k: int) -> list[tuple[str, float]]:
        """FTS5's bm25 (k1 1.2, b 0.75, the same index-wide idf and mean length) over the
        sections of a scope of a few minutes, from their stored tokens: FTS5 itself would
        read every posting list of the terms in the whole archive first (20-40 ms at 100k
        sections for common ones) to rank a few hundred sections."""
        if not terms or not rows:
            return []
        weight = Counter(terms)
        n, avgdl = self._fts_totals()
        df = self.doc_frequencies(list(weight))
        scored: list[tuple[float, str]] = []
        for sid, tokens, size in rows:
            tokens = tokens or ""
            tf_of = _term_counter(tokens)
            length = _varints(size)[0] if size else len(_PLAIN_TERM.findall(tokens))
            if not length:
                continue
            norm = 1.2 * (1 - 0.75 + 0.75 * length / avgdl)
            score = 0.0
            for term, w in weight.items():
                tf = tf_of(term)
                if not tf:
                    continue
                d = df.get(term, 0)
                idf = max(1e-6, math.log((n - d + 0.5) / (d + 0.5))) if n else 1e-6
                score += w * idf * tf * 2.2 / (tf + norm)
            if score > 0:
                scored.append((score, sid))
        scored.sort(key=lambda x: -x[0])  # ties stay in the order of the minute
        return [(sid, sc) for sc, sid in scored[:k]]

    def lexicon(self) -> list[str]:
        return [r[0] for r in self._q("SELECT word FROM lexicon")]

    def fts_count(self) -> int:
        rows = self._q("SELECT COUNT(*) FROM sections_fts")
        return int(rows[0][0]) if rows else 0
