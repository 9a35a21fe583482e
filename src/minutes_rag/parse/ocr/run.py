"""OCR over a document's pages: engines by name, a worker pool, a cache by file hash,
progress and the low-confidence report.

``ocr_pages(source, page_numbers, options)`` returns one ``OcrPage`` per asked page. With
more than one worker each worker process loads its own engine (one onnxruntime thread each)
and renders the pages it is given itself, so only page indices and the small results cross
processes, and at most ``2 x workers`` pages are in flight: memory does not grow with the
number of pages. Results are cached under the data dir by the file's hash and the engine's
name (its model version), so re-ingesting an unchanged scan reads no page again.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from minutes_rag.errors import MinutesRagError, ParseError
from minutes_rag.parse.ocr import OcrEngine, OcrLine, OcrPage
from minutes_rag.parse.ocr.layout import page_text
from minutes_rag.parse.ocr.pages import PageSource

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["OcrOptions", "OcrProgress", "make_engine", "ocr_pages", "low_confidence_warnings"]

log = logging.getLogger(__name__)

# (pages done, pages in all, file, pages per second)
OcrProgress = Callable[[int, int, str, float], None]

# the cache file's layout: raised when what is stored changes shape
CACHE_VERSION = 1


@dataclass(frozen=True)
class OcrOptions:
    """How ingest reads scans (from ``Settings``: ocr_engine, ocr_workers, ocr_min_confidence)."""

    engine: str | OcrEngine = "rapidocr"  # a name (see ``make_engine``) or an engine object
    workers: int = 1
    cache_dir: str = ""  # empty: no cache
    min_confidence: float = 0.8
    progress: OcrProgress | None = None


def make_engine(spec: str) -> OcrEngine:
    """``rapidocr`` (default), ``tesseract``, or ``module:factory`` for a user's engine."""
    if spec in ("", "rapidocr"):
        from minutes_rag.parse.ocr.rapid import RapidOcrEngine

        return RapidOcrEngine()
    if spec == "tesseract":
        from minutes_rag.parse.ocr.tesseract import TesseractEngine

        return TesseractEngine()
    if ":" in spec:
        module, _, attr = spec.partition(":")
        try:
            factory = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as exc:
            raise MinutesRagError(f"OCR engine {spec!r} cannot be loaded: {exc}") from exc
        engine = factory()
        if not isinstance(engine, OcrEngine):
            raise MinutesRagError(f"OCR engine {spec!r} has no read(image) method and name")
        return engine
    raise MinutesRagError(f"unknown OCR engine {spec!r} (rapidocr, tesseract, or module:factory)")


# -- one page ----------------------------------------------------------------------------
def _read_page(engine: OcrEngine, source: PageSource, index: int) -> OcrPage:
    image = source.image(index)
    try:
        lines = tuple(engine.read(image))
        return OcrPage(image.width, image.height, lines)
    finally:
        image.close()


_worker: dict[str, Any] = {}


def _init_worker(engine: str, kind: str, data: bytes, path: str) -> None:
    _worker["engine"] = make_engine(engine)
    _worker["source"] = PageSource(kind, data, path)


def _work(index: int) -> OcrPage:
    return _read_page(_worker["engine"], _worker["source"], index)


# -- the cache ---------------------------------------------------------------------------
def _cache_file(options: OcrOptions, data_hash: str, engine_name: str) -> Path | None:
    if not options.cache_dir:
        return None
    tag = hashlib.sha256(f"{engine_name}|{CACHE_VERSION}".encode()).hexdigest()[:12]
    return Path(options.cache_dir) / data_hash[:2] / f"{data_hash}-{tag}.json.gz"


def _load_cache(file: Path | None) -> dict[int, OcrPage]:
    if file is None or not file.exists():
        return {}
    try:
        raw = json.loads(gzip.decompress(file.read_bytes()))
        return {
            int(k): OcrPage(p["w"], p["h"], tuple(OcrLine(t, (x0, y0, x1, y1), c) for t, x0, y0, x1, y1, c in p["lines"]))
            for k, p in raw["pages"].items()
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring an unreadable OCR cache file %s: %s", file, exc)
        return {}


def _save_cache(file: Path | None, pages: dict[int, OcrPage]) -> None:
    if file is None:
        return
    raw = {
        "pages": {
            str(k): {"w": p.width, "h": p.height, "lines": [[ln.text, *ln.box, ln.confidence] for ln in p.lines]}
            for k, p in pages.items()
        }
    }
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(gzip.compress(json.dumps(raw, ensure_ascii=False).encode()))
        os.replace(tmp, file)  # whole or absent: a crash never leaves half a cache entry
    except OSError as exc:  # a read-only data dir still ingests; it only OCRs again next time
        log.warning("could not write the OCR cache %s: %s", file, exc)


# -- a document --------------------------------------------------------------------------
def ocr_pages(source: PageSource, page_numbers: Sequence[int], options: OcrOptions) -> dict[int, OcrPage]:
    """OCR the pages ``page_numbers`` (0-based) of ``source``: {page: OcrPage with text and
    printed number filled in}."""
    engine = options.engine if not isinstance(options.engine, str) else None
    engine_name = engine.name if engine is not None else _engine_name(str(options.engine))
    data_hash = hashlib.sha256(source.data).hexdigest()
    file = _cache_file(options, data_hash, engine_name)
    cached = _load_cache(file)
    todo = [i for i in page_numbers if i not in cached]
    done: dict[int, OcrPage] = {i: cached[i] for i in page_numbers if i in cached}
    if todo:
        started = time.perf_counter()
        total = len(page_numbers)
        try:
            for i, page in _read_all(source, todo, options, engine):
                done[i] = page
                if options.progress is not None:
                    rate = (len(done) - (total - len(todo))) / max(time.perf_counter() - started, 1e-9)
                    options.progress(len(done), total, source.path, rate)
        finally:
            # pages read before a failure are kept: the next try reads only the rest
            _save_cache(file, {**cached, **done})
    return {i: _with_text(done[i]) for i in page_numbers}


def _engine_name(spec: str) -> str:
    # the cache key needs the engine's name (its model version), not a loaded model
    if spec in ("", "rapidocr"):
        from minutes_rag.parse.ocr.rapid import RapidOcrEngine

        return RapidOcrEngine().name
    return spec


def _read_all(
    source: PageSource, todo: list[int], options: OcrOptions, engine: OcrEngine | None
) -> Iterator[tuple[int, OcrPage]]:
    workers = max(1, options.workers)
    if engine is not None or workers == 1 or len(todo) == 1:
        engine = engine or make_engine(str(options.engine))
        for i in todo:
            yield i, _read_page(engine, source, i)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # spawn, not fork: the parent may hold threads (onnxruntime, Chroma) a fork would copy mid-state
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(todo)), mp_context=ctx, initializer=_init_worker,
        initargs=(str(options.engine), source.kind, source.data, source.path),
    )
    pending: list[tuple[int, Future[OcrPage]]] = []
    try:
        queue = iter(todo)
        for i in queue:
            pending.append((i, pool.submit(_work, i)))
            if len(pending) >= 2 * workers:
                break
        while pending:
            i, fut = pending.pop(0)
            try:
                page = fut.result()
            except BrokenProcessPool as exc:
                raise _worker_died(source.path, i, str(options.engine)) from exc
            yield i, page
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(_work, nxt)))
    finally:
        # a broken pool or an error (the engine's, the caller's) must not wait on the pages
        # still queued: cancel them; the executor itself ends workers of a broken pool
        pool.shutdown(wait=not pending, cancel_futures=True)


def _worker_died(path: str, index: int, engine: str) -> ParseError:
    """A worker process ended without an answer (killed for memory, a crash in the engine's
    native code, an engine that cannot load in a fresh process): the error names the file."""
    return ParseError(
        path,
        f"the OCR worker process ended abruptly while reading page {index + 1} (engine {engine!r}: "
        "out of memory, a crash in the engine, or an engine that cannot load); pages read so far "
        "are cached; try again, or with MINUTES_RAG_OCR_WORKERS=1 to read it in this process",
    )


def _with_text(page: OcrPage) -> OcrPage:
    return OcrPage(page.width, page.height, page.lines, page_text(page.lines, page.width, page.height))


def low_confidence_warnings(path: str, pages: dict[int, OcrPage], min_confidence: float) -> list[str]:
    """One warning per page OCR read with a confidence below ``min_confidence``."""
    out = []
    for i in sorted(pages):
        conf = pages[i].confidence
        if conf < min_confidence:
            out.append(
                f"{path}: page {i + 1}: OCR read it with low confidence ({conf:.2f} < {min_confidence:.2f}); "
                "check its text against the scan"
            )
    return out
