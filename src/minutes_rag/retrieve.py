"""Hybrid retrieval: dense (Chroma) + lexical (BM25 over FTS5), fused by weighted reciprocal
rank fusion, parts of one section merged, optional cross-encoder rerank, filters applied.

References to a minute in the question (〔2020〕21号, 第102次, a date) narrow the search to the
minutes they name; metadata questions (who chaired ...) add that minute's attendance and
preamble sections as candidates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from minutes_rag.cache import QUERY_VECTOR_CACHE, QueryVectors
from minutes_rag.embed import Embedder, embedding_text
from minutes_rag.ids import text_hash
from minutes_rag.index import StateIndex
from minutes_rag.item_lookup import ItemMatches, find_item_sections, focus
from minutes_rag.model import Filters, Hit, Section
from minutes_rag.query import Query, as_query, wanted_kinds
from minutes_rag.query.references import References
from minutes_rag.rerank import named_places, structure_rerank
from minutes_rag.store import ChromaStore, rank_by_cosine
from minutes_rag.text.patterns import body_places, body_short_name

# The one table of section-kind weights, applied once, to the fused score (the answerers
# see its effect in the order of the hits). The preamble summarises every item and the
# attendance block names every department: they match almost any question, so unless the
# question asks about the meeting itself they rank below the agenda items that hold the
# substance. Closing: a few lines after the last item (often a study session, 学法专题) that
# rarely match a topic by chance, so a light penalty is enough. Transcript: what was said,
# before what was decided.
KIND_WEIGHT = {"preamble": 0.5, "attendance": 0.4, "tail": 0.3, "closing": 0.9, "transcript": 0.6}


def kind_weight(kind: str, query: Query) -> float:
    """The weight of a section of ``kind`` for ``query``: the parts of a minute that hold the
    answer to the question's intents (the attendance block for "who attended?", the opening
    for "who chaired?") are not penalised; every other part keeps its table weight."""
    if query.intents and kind in wanted_kinds(query.intents):
        return 1.0
    return KIND_WEIGHT.get(kind, 1.0)


# a scope with at most this many sections is searched exactly (see Retriever._dense)
EXACT_SCOPE_LIMIT = 3000
# the most minutes a reference's scope may hold for the body the question names to narrow it
# (their metadata is read for it)
NAMED_BODY_SCOPE = 500


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """The same minute filed twice (a copy in another folder, another format) must not fill
    the list with the same passage: keep the first hit of each text."""
    seen: set[str] = set()
    out: list[Hit] = []
    for hit in hits:
        key = "".join(hit.section.text.split())
        if key in seen:
            continue
        seen.add(key)
        out.append(hit)
    return out


def rrf(rankings: Mapping[str, Sequence[str]], weights: Mapping[str, float], k: int = 60) -> dict[str, float]:
    """Weighted reciprocal rank fusion: score(d) = sum_r w_r / (k + rank_r(d)), ranks from 1."""
    scores: dict[str, float] = {}
    for name, ids in rankings.items():
        w = weights.get(name, 1.0)
        for rank, doc in enumerate(ids, start=1):
            scores[doc] = scores.get(doc, 0.0) + w / (k + rank)
    return scores


@dataclass(frozen=True)
class RetrievalConfig:
    k: int = 5
    candidates: int = 30
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    metadata_weight: float = 1.0
    rrf_k: int = 60
    structure_rerank: bool = True  # rerank.structure_rerank over the fused hits


class Retriever:
    def __init__(
        self,
        index: StateIndex,
        store: ChromaStore,
        embedder: Embedder,
        config: RetrievalConfig,
        reranker: object | None = None,
        query_vectors: QueryVectors | None = None,
    ) -> None:
        self.index = index
        self.store = store
        self.embedder = embedder
        self.config = config
        self.reranker = reranker  # a sentence_transformers.CrossEncoder, or None
        # the assistant's, shared by the retrievers it rebuilds after an ingest
        self.query_vectors = query_vectors if query_vectors is not None else QueryVectors(QUERY_VECTOR_CACHE)

    def query_vector(self, text: str) -> Any:
        """The embedder's query vector for ``text``, kept (read-only) for the next time it is asked."""
        return self.query_vectors.get(text, self.embedder.embed_query)

    # -- scope ----------------------------------------------------------------------------
    def scope(self, query: Query | str, filters: Filters) -> tuple[list[str] | None, References]:
        """The minute ids the search may look in (None = all), from filters and the
        references the question makes; and those references."""
        refs = as_query(query).references
        allowed = self.index.minute_ids_matching(filters)
        if filters.minute_id and not allowed:
            # a minute is also named by its document number (--minute 〔2020〕21号)
            by_doc = filters.minute_as_doc_number()
            if by_doc is not None:
                allowed = self.index.minute_ids_matching(by_doc)
        if refs.doc_numbers or refs.meeting_numbers:
            named: set[str] = set()
            for doc in refs.doc_numbers:
                named |= set(self.index.minute_ids_matching(Filters(doc_number=doc)) or [])
            for num in refs.meeting_numbers:
                named |= set(self.index.minute_ids_matching(Filters(meeting_number=num)) or [])
            # a named minute that is not in the archive must not be answered from another one
            allowed = sorted(named if allowed is None else named & set(allowed))
        elif refs.dates:
            dated: set[str] = set()
            for d in refs.dates:
                dated |= set(self.index.minute_ids_matching(Filters(date_from=d, date_to=d)) or [])
            if dated:  # a date may also be a date inside the text: narrow only when it names a minute
                allowed = sorted(dated if allowed is None else dated & set(allowed)) or allowed
        if refs.any_minute and allowed is not None and 1 < len(allowed) <= NAMED_BODY_SCOPE:
            allowed = self._of_named_body(as_query(query), allowed)
        return allowed, refs

    def _of_named_body(self, query: Query, minute_ids: list[str]) -> list[str]:
        """Of the minutes a reference names, those of the issuing body the question names:
        many bodies hold a 第115次常务会议, and "临港新区政府第115次常务会议" means one of them.
        A body is named when its short name (``text.patterns.body_short_name``) is in the
        question; of two named names one inside the other (青禾市 and 青禾市禾丰区), the
        longer is meant. No body named: all of them. Searching the one minute instead of
        every body's 115th reads 14 sections instead of 500 (and ranks the right one)."""
        text = query.text.lower()
        names = {mid: body_short_name(m.body) for mid, m in self.index.metas(minute_ids).items()}
        named = {n for n in names.values() if n and n in text}
        named = {n for n in named if not any(n != other and n in other for other in named)}
        if not named:
            return minute_ids
        return [mid for mid in minute_ids if names.get(mid) in named]

    # -- search ---------------------------------------------------------------------------
    def retrieve(
        self, query: Query | str, filters: Filters = Filters(), k: int | None = None, boost_minutes: Sequence[str] = (),
        *, dense: bool = True,
    ) -> list[Hit]:
        """The k best sections for ``query`` (a Query, or a standalone question to analyse).
        ``boost_minutes`` (default: the minutes a follow-up's previous answer cited) rank higher.
        ``dense=False``: the lexical and metadata retrievers only (Chroma unavailable)."""
        cfg = self.config
        k = k or cfg.k
        q = as_query(query)
        boost_minutes = tuple(boost_minutes or q.boost_minute_ids)
        allowed, _ = self.scope(q, filters)
        if allowed is not None and not allowed:
            return []
        items: ItemMatches | None = None
        if q.identifiers:
            # an item named by its number is searched in its own sections only; a number no
            # section writes is not in the archive, and no other item answers for it
            items = find_item_sections(self.index, q.identifiers, allowed)
            if not items:
                return []
            allowed = sorted({sec.minute_id for sec in self.index.sections_by_id(list(items.section_ids)).values()})
        dense_hits = self._dense(self.query_vector(q.text), allowed) if dense else []
        # BM25 gets the glossary's other-language terms (an English question about a Chinese
        # minute shares no words with it); dense embeds the question as asked
        lexical = self.index.lexical_search(q.tokens, cfg.candidates, allowed)
        rankings: dict[str, list[str]] = {"dense": [i for i, _ in dense_hits], "lexical": [i for i, _ in lexical]}
        weights = {"dense": cfg.dense_weight, "lexical": cfg.lexical_weight, "metadata": cfg.metadata_weight, "boost": 0.5}

        if q.intents:
            rankings["metadata"] = self._metadata_candidates(q, allowed, [i for i, _ in dense_hits + lexical])
        if items is not None:
            rankings["item"] = list(items.section_ids)
            weights["item"] = 1.0
        if boost_minutes:
            rankings["boost"] = [i for i, _ in dense_hits + lexical if i.split("-", 1)[0] in set(boost_minutes)]

        fused = rrf(rankings, weights, cfg.rrf_k)
        if items is not None:
            named = set(items.section_ids)
            fused = {sid: score for sid, score in fused.items() if sid in named}
        sections = self.index.sections_by_id(list(fused))  # ids SQLite doesn't know are dropped here
        weight = {sid: kind_weight(sec.kind, q) for sid, sec in sections.items()}
        for sid, w in weight.items():
            fused[sid] *= w
        dense_score = dict(dense_hits)
        lexical_score = dict(lexical)
        ranks = {name: {doc: r for r, doc in enumerate(ids, start=1)} for name, ids in rankings.items()}
        metas = self.index.metas([s.minute_id for s in sections.values()])

        hits: list[Hit] = []
        for sid, score in sorted(fused.items(), key=lambda kv: -kv[1]):
            sec = sections.get(sid)
            if sec is None or sec.minute_id not in metas:
                continue
            hits.append(
                Hit(
                    section=sec,
                    score=score,
                    meta=metas[sec.minute_id],
                    sources={n: r[sid] for n, r in ranks.items() if sid in r},
                    dense=dense_score.get(sid),
                    lexical=lexical_score.get(sid),
                    weight=weight[sid],
                )
            )
        hits = _dedupe(self._merge_parts(hits) if items is None else self._item_hits(hits, items, q))
        if cfg.structure_rerank:
            hits = structure_rerank(q, hits)
        if self.reranker is not None and hits:
            hits = self._rerank(q.text, hits)
        return hits[:k]

    def _dense(self, vector: Any, allowed: list[str] | None) -> list[tuple[str, float]]:
        """The nearest sections; within a scope of a few minutes, by exact search over their
        vectors: Chroma's filtered HNSW query took 200-300 ms at 100k sections where reading
        a few hundred vectors by id and comparing them takes a few (and misses nothing)."""
        k = self.config.candidates
        if allowed is None:
            return self.store.query(vector, k)
        ids = self.index.section_ids_in(allowed, limit=EXACT_SCOPE_LIMIT + 1)
        if len(ids) <= EXACT_SCOPE_LIMIT:
            return self._exact(vector, ids, k)
        where = {"minute_id": allowed[0]} if len(allowed) == 1 else {"minute_id": {"$in": list(allowed)}}
        return self.store.query(vector, k, where)

    def _exact(self, vector: Any, ids: list[str], k: int) -> list[tuple[str, float]]:
        """Exact search over the scope's vectors, read from the state database's embedding
        cache (the vectors Chroma was given: the same model, the same text), a few primary-key
        lookups; only sections it lacks are read from Chroma. Chroma's get by id took 3 ms
        (10 ms at p95) for one minute's 14 vectors at 100k sections, against 0.5 ms at 1k."""
        sections = self.index.sections_by_id(ids)
        metas = self.index.metas(list({sec.minute_id for sec in sections.values()}))
        hashes = {sid: text_hash(embedding_text(sec, metas[sec.minute_id]))
                  for sid, sec in sections.items() if sec.minute_id in metas}
        cached = self.index.cached_vectors(self.embedder.name, list(set(hashes.values())))
        found = [sid for sid in ids if hashes.get(sid) in cached]
        missing = [sid for sid in ids if hashes.get(sid) not in cached]
        ranked = rank_by_cosine(vector, found, [cached[hashes[sid]] for sid in found], k)
        if missing:
            ranked = sorted(ranked + self.store.query_exact(vector, missing, k), key=lambda kv: -kv[1])[:k]
        return ranked

    def _metadata_candidates(self, query: Query, allowed: list[str] | None, seen: list[str]) -> list[str]:
        """The sections that hold the answers to the query's intents (attendance, preamble ...)
        of the minutes in scope (or of those the other retrievers found), best first: one
        query for all of them, not a read of every section of each minute."""
        if allowed is not None:
            minute_ids = allowed
        else:
            # the minutes the other retrievers found, best first; those of the body whose place
            # the question names ("Who attended the Suzhou meeting ...?") before the others
            found = list(dict.fromkeys(i.split("-", 1)[0] for i in seen))
            metas = self.index.metas(found)
            named = named_places(query, (m.body for m in metas.values()))
            if named:
                found.sort(key=lambda mid: not named & set(body_places(metas[mid].body)) if mid in metas else True)
            minute_ids = found[:5]
        order = {kind: i for i, kind in enumerate(wanted_kinds(query.intents))}
        position = {mid: m for m, mid in enumerate(minute_ids[:20])}
        rows = self.index.section_ids_of_kinds(list(position), list(order))
        out = [(position[mid], order[kind], n, sid) for n, (mid, kind, sid) in enumerate(rows)]
        return [t[3] for t in sorted(out)]

    def _merge_parts(self, hits: list[Hit]) -> list[Hit]:
        """Parts of one long item count once, as the whole item, at the best part's rank."""
        merged: list[Hit] = []
        seen: dict[tuple[str, tuple[str, ...]], int] = {}
        for hit in hits:
            sec = hit.section
            if sec.parts <= 1:
                merged.append(hit)
                continue
            key = (sec.minute_id, sec.label_path)
            if key in seen:
                continue
            seen[key] = len(merged)
            whole = self._whole_section(sec)
            merged.append(replace(hit, section=whole))
        return merged

    def _item_hits(self, hits: list[Hit], items: ItemMatches, q: Query) -> list[Hit]:
        """An item's own sections count whole (their parts merged); a section holding the item
        among others is read whole too (the item may run on into its next part) and narrowed
        to the item's lines (``item_lookup.focus``)."""
        heads = set(items.heads)
        out: list[Hit] = []
        for hit in hits:
            if hit.section.section_id in heads:
                out.extend(self._merge_parts([hit]))
            else:
                whole = self._whole_section(hit.section) if hit.section.parts > 1 else hit.section
                out.append(replace(hit, section=focus(whole, q.identifiers)))
        return out

    def _whole_section(self, sec: Section) -> Section:
        parts = [s for s in self.index.sections_of(sec.minute_id) if s.label_path == sec.label_path]
        if len(parts) <= 1:
            return sec
        start, end = min(p.start for p in parts), max(p.end for p in parts)
        text = self.index.minute(sec.minute_id).text[start:end]
        return replace(sec, section_id=parts[0].section_id, text=text, start=start, end=end, part=0, parts=1)

    def _rerank(self, question: str, hits: list[Hit]) -> list[Hit]:
        ranked = self.reranker.rank(question, [h.section.text for h in hits])  # type: ignore[union-attr]
        return [
            replace(hits[int(r["corpus_id"])], score=float(r["score"]),
                    sources={**hits[int(r["corpus_id"])].sources, "rerank": n})
            for n, r in enumerate(ranked, 1)
        ]
