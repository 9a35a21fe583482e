"""Reading scanned pages: the OCR engine seam and what an engine returns.

An ``OcrEngine`` reads one page image into ``OcrLine`` s (text, box, confidence); everything
else is the engine's neighbours' (``layout`` turns a page's lines into text in reading order,
``pages`` renders the pages of a PDF or an image file one at a time, ``run`` drives an engine
over a document's pages in a worker pool with a cache by file hash). ``rapidocr`` is the
default engine (its models ship inside the ``rapidocr-onnxruntime`` wheel: nothing is
downloaded); ``tesseract`` runs the ``tesseract`` command when it is installed; any other
engine is a ``module:factory`` whose factory returns an ``OcrEngine``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["OcrEngine", "OcrLine", "OcrPage"]


@dataclass(frozen=True)
class OcrLine:
    """One line of text an engine found: its box (x0, y0, x1, y1 in page pixels) and the
    engine's confidence in 0..1."""

    text: str
    box: tuple[float, float, float, float]
    confidence: float


@dataclass(frozen=True)
class OcrPage:
    """One page as OCR read it: its size in pixels, its lines (engine order) and its text in
    reading order (``layout.page_text``)."""

    width: int
    height: int
    lines: tuple[OcrLine, ...]
    text: str = ""

    @property
    def confidence(self) -> float:
        """The page's confidence: the mean of its lines' weighted by their width on the page
        (not their text's length: a wide line misread as three letters is a wide doubt);
        1.0 for a page without lines: an empty page is not a doubtful one."""
        total = sum(max(line.box[2] - line.box[0], 1.0) for line in self.lines)
        if not total:
            return 1.0
        return sum(line.confidence * max(line.box[2] - line.box[0], 1.0) for line in self.lines) / total


@runtime_checkable
class OcrEngine(Protocol):
    """What the OCR step needs of an engine."""

    name: str  # names the engine and its models in the cache key: a new model reads again

    def read(self, image: Image) -> list[OcrLine]:
        """The lines of text on one page image (any order)."""
        ...
