"""The textbook LangChain RAG pipeline, as the comparison point for the evaluation.

Load each file as plain text (through our parser, so both systems read the same text),
cut it with ``RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)``, embed the
chunks with the same embedder as the product, store them in Chroma through
``langchain_chroma``, and answer with the top chunk, citing its source. No lexical search,
no agenda-aware splitting, no refusal: what a tutorial builds.

Chunks play the part of sections, so the same metrics apply: a chunk is relevant when its
text contains an evidence string, and the citation's text is the top chunk's text.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from minutes_rag.model import Answer, Citation, Filters, Hit, Minute, MinuteMeta, Section

CHUNK_SIZE = 500
CHUNK_OVERLAP = 50
_BATCH = 256

Loader = Callable[[Path], Minute]


def _default_loader(path: Path) -> Minute:
    from minutes_rag.parse import load_minute  # the product's parser: same text for both systems

    return load_minute(path)


def _embeddings_adapter(embedder: Any):
    """Wrap our Embedder (numpy arrays) in LangChain's Embeddings interface (lists)."""
    from langchain_core.embeddings import Embeddings

    class _Adapter(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return [list(map(float, v)) for v in embedder.embed_documents(texts)]

        def embed_query(self, text: str) -> list[float]:
            return list(map(float, embedder.embed_query(text)))

    return _Adapter()


def where_for(filters: Filters) -> dict[str, Any] | None:
    """Chroma ``where`` for our Filters over the chunk metadata the baseline stores."""
    ops = {">=": "$gte", "<=": "$lte"}
    conds: list[dict[str, Any]] = []
    for field, op, value in filters.conditions():
        if field == "minute_id":  # an id or a document number, as the ask flag takes
            conds.append({"$or": [{"minute_id": value}, {"doc_number": value}]})
        else:
            key = "date_int" if field == "date" else field
            conds.append({key: {ops[op]: value}} if op in ops else {key: value})
    if not conds:
        return None
    return conds[0] if len(conds) == 1 else {"$and": conds}


class BaselinePipeline:
    """``ask(question, filters=, k=, mode=) -> Answer`` over RecursiveCharacterTextSplitter
    chunks in Chroma. Build with :meth:`index`; the index is reused when the files, the
    embedder and the splitter settings are unchanged."""

    name = "baseline"

    def __init__(
        self,
        embedder: Any,
        *,
        persist_dir: str | Path | None = None,
        loader: Loader | None = None,
        collection: str = "",
    ) -> None:
        self.embedder = embedder
        self._loader = loader or _default_loader
        self._tmp: str | None = None
        if persist_dir is None:
            self._tmp = tempfile.mkdtemp(prefix="minutes-rag-baseline-")
            persist_dir = self._tmp
        self.persist_dir = Path(persist_dir)
        self.collection = collection or ("baseline-" + _safe(getattr(embedder, "name", "embedder")))
        self._minutes: dict[str, Minute] = {}
        self._store: Any = None
        self.chunks = 0
        self.failed: list[dict[str, str]] = []
        self.index_seconds = 0.0
        self.reused = False

    # -- building -------------------------------------------------------------------
    def index(self, paths: Iterable[str | Path], progress: Callable[[int, int, str], None] | None = None) -> int:
        """Load, split, embed and store ``paths``; returns the number of chunks."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        try:
            from langchain_chroma import Chroma
            from langchain_text_splitters import RecursiveCharacterTextSplitter
        except ImportError as exc:
            from minutes_rag.evaluation import missing_extra

            raise missing_extra(exc) from exc

        from minutes_rag.errors import MinutesRagError

        t0 = time.perf_counter()
        minutes: list[Minute] = []
        for p in paths:
            try:
                minutes.append(self._loader(Path(p)))
            except MinutesRagError as exc:  # the product skips such files too; keep the reason
                self.failed.append({"path": str(p), "error": str(exc)})
        self._minutes = {m.minute_id: m for m in minutes}
        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True)
        texts: list[str] = []
        metas: list[dict[str, Any]] = []
        ids: list[str] = []
        for m in sorted(minutes, key=lambda m: m.minute_id):
            for i, doc in enumerate(splitter.create_documents([m.text])):
                start = int(doc.metadata.get("start_index", -1))
                texts.append(doc.page_content)
                metas.append(_chunk_meta(m, i, start, len(doc.page_content)))
                ids.append(f"{m.minute_id}-c{i}")
        fingerprint = hashlib.sha256(
            "\x1f".join([self.collection, str(CHUNK_SIZE), str(CHUNK_OVERLAP),
                         *sorted(f"{m.minute_id}:{m.content_hash}" for m in minutes)]).encode()
        ).hexdigest()[:32]

        self.persist_dir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(self.persist_dir), settings=ChromaSettings(anonymized_telemetry=False))
        existing = {getattr(c, "name", c) for c in client.list_collections()}
        self.reused = False
        if self.collection in existing:
            col = client.get_collection(self.collection)
            if (col.metadata or {}).get("fingerprint") == fingerprint and col.count() == len(texts):
                self.reused = True
            else:
                client.delete_collection(self.collection)
        self._store = Chroma(
            collection_name=self.collection,
            embedding_function=_embeddings_adapter(self.embedder),
            client=client,
            collection_metadata={"fingerprint": fingerprint},
        )
        if not self.reused:
            for b in range(0, len(texts), _BATCH):
                self._store.add_texts(texts[b : b + _BATCH], metadatas=metas[b : b + _BATCH], ids=ids[b : b + _BATCH])
                if progress:
                    progress(min(b + _BATCH, len(texts)), len(texts), "baseline")
        self.chunks = len(texts)
        self.index_seconds = time.perf_counter() - t0
        return self.chunks

    # -- answering ------------------------------------------------------------------
    def ask(self, question: str, *, filters: Filters = Filters(), k: int | None = None, mode: str | None = None,
            history: Sequence[Any] = ()) -> Answer:
        if self._store is None:
            raise RuntimeError("call index() before ask()")
        t0 = time.perf_counter()
        k = k or 10
        found = self._store.similarity_search_with_score(question, k=k, filter=where_for(filters)) if self.chunks else []
        t1 = time.perf_counter()
        hits = tuple(self._hit(doc.page_content, doc.metadata, dist, r) for r, (doc, dist) in enumerate(found, start=1))
        if not hits:
            text, citations = "", ()  # type: tuple[str, tuple[Citation, ...]]
        else:
            top = hits[0]
            meta = top.meta
            text = top.section.text
            citations = (
                Citation(
                    n=1, minute_id=top.section.minute_id, doc_number=meta.doc_number,
                    meeting_number=meta.meeting_number, date=meta.date, label=top.section.label,
                    title=meta.title, quote=top.section.text, start=top.section.start, end=top.section.end,
                    section_id=top.section.section_id,
                ),
            )
        t2 = time.perf_counter()
        return Answer(
            question=question, text=text, citations=citations, mode="baseline", hits=hits,
            timings_ms={"retrieve": (t1 - t0) * 1000, "answer": (t2 - t1) * 1000, "total": (t2 - t0) * 1000},
            found=bool(hits),
        )

    def _hit(self, text: str, md: dict[str, Any], distance: float, rank: int) -> Hit:
        minute = self._minutes.get(md.get("minute_id", ""))
        start = int(md.get("start", -1))
        section = Section(
            section_id=f"{md.get('minute_id', '')}-c{md.get('chunk', 0)}",
            minute_id=md.get("minute_id", ""),
            label_path=(f"chunk{md.get('chunk', 0)}",),
            kind="paragraph",
            title="",
            text=text,
            start=start,
            end=start + len(text) if start >= 0 else -1,
        )
        meta = minute.meta if minute else MinuteMeta()
        # Chroma's default space is squared L2; for unit vectors cosine = 1 - d/2
        return Hit(section=section, score=1.0 - float(distance) / 2.0, meta=meta, sources={"dense": rank},
                   dense=1.0 - float(distance) / 2.0)

    def close(self) -> None:
        self._store = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


def _chunk_meta(m: Minute, i: int, start: int, length: int) -> dict[str, Any]:
    md: dict[str, Any] = {"minute_id": m.minute_id, "source": m.source, "chunk": i, "start": start}
    if m.meta.date:
        md["date_int"] = m.meta.date_int
        md["year"] = m.meta.year
    if m.meta.meeting_number is not None:
        md["meeting_number"] = m.meta.meeting_number
    if m.meta.doc_number:
        md["doc_number"] = m.meta.doc_number
    return md


def _safe(name: str) -> str:
    import re

    s = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "embedder"
    return s[:60]
