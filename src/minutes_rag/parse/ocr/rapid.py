"""The default OCR engine: RapidOCR (PP-OCRv4 detection and recognition, Chinese and
English) on onnxruntime, with the models the ``rapidocr-onnxruntime`` wheel ships: nothing is
downloaded. The model loads on the first page read, not at import."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from minutes_rag.errors import MinutesRagError
from minutes_rag.parse.ocr import OcrLine

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

# RapidOCR drops lines scored below its ``text_score`` (0.5) without a word; every line is
# kept here so that ``layout`` leaves the doubtful ones out of the text *and* counts them in
# the page's confidence (a page of them is reported, never silently emptied)
TEXT_SCORE = 0.0


class RapidOcrEngine:
    name = "rapidocr-onnxruntime"

    def __init__(self, threads: int = 1) -> None:
        # one onnxruntime thread per worker process: the pool, not the engine, uses the cores
        self.threads = threads
        self._ocr: Any = None
        self._lock = threading.Lock()
        try:
            from importlib.metadata import version

            self.name = f"rapidocr-onnxruntime-{version('rapidocr-onnxruntime')}"
        except Exception:  # noqa: BLE001 - only the cache key's precision is at stake
            pass

    def _engine(self) -> Any:
        with self._lock:
            if self._ocr is None:
                try:
                    from rapidocr_onnxruntime import RapidOCR
                except ImportError as exc:
                    raise MinutesRagError(
                        "reading scans needs rapidocr-onnxruntime (pip install rapidocr-onnxruntime)"
                    ) from exc
                n = max(1, self.threads)
                self._ocr = RapidOCR(intra_op_num_threads=n, inter_op_num_threads=1, text_score=TEXT_SCORE)
                log.info("loaded RapidOCR (%d thread(s))", n)
            return self._ocr

    def read(self, image: Image) -> list[OcrLine]:
        import numpy as np

        result, _ = self._engine()(np.asarray(image.convert("RGB")))
        out: list[OcrLine] = []
        for box, text, score in result or ():
            xs = [float(p[0]) for p in box]
            ys = [float(p[1]) for p in box]
            out.append(OcrLine(str(text), (min(xs), min(ys), max(xs), max(ys)), float(score)))
        return out
