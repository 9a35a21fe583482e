"""Labels by reference: character offsets into a corpus file, mapped onto an ingested minute.

Labels of third-party minutes cannot copy their sentences, so they name the file (a path
under the corpus root) and character offsets into its raw text (``Path.read_text("utf-8")``).
The ingested minute's text is the normalised one (whitespace, page headers, joined page
breaks), so an offset is carried over by its neighbourhood: the non-whitespace characters
after a start (before an end) are looked up in the minute's non-whitespace characters, and
of several occurrences the one at the most similar relative position wins. A label that
cannot be found this way is reported as unplaced, never silently moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from minutes_rag.errors import MinutesRagError

# non-whitespace characters taken around an offset to find it again; the shorter one is
# the fallback when the longer context crosses something normalisation removed (a page
# header). 16 Han characters are unique within one minute in every labelled file.
ANCHOR_CHARS = (16, 6)


class LabelFileError(MinutesRagError):
    """A labelled file cannot be read or an offset lies outside it."""


def corpus_file(root: str | Path, file: str, where: str) -> str:
    """The raw text of ``file`` under ``root``; an error naming the label line otherwise."""
    path = Path(root) / file
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LabelFileError(f"{where}: cannot read the labelled file {path} ({exc.strerror or exc})") from None


def check_span(text: str, span: object, where: str, name: str = "span") -> tuple[int, int]:
    """``[start, end]`` with 0 <= start < end <= len(text), else a LabelFileError."""
    if (not isinstance(span, list | tuple) or len(span) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in span)):
        raise LabelFileError(f"{where}: {name} must be [start, end] (two integers)")
    s, e = int(span[0]), int(span[1])
    if not 0 <= s < e <= len(text):
        raise LabelFileError(f"{where}: {name} {[s, e]} lies outside the file ({len(text)} characters)")
    return s, e


def _squeeze(text: str) -> tuple[str, list[int]]:
    keep = [i for i, c in enumerate(text) if not c.isspace()]
    return "".join(text[i] for i in keep), keep


@dataclass
class Aligner:
    """Maps offsets of ``raw`` (a corpus file) onto ``target`` (its ingested minute's text)."""

    raw: str
    target: str

    def __post_init__(self) -> None:
        self._raw_sq, self._raw_idx = _squeeze(self.raw)
        self._tgt_sq, self._tgt_idx = _squeeze(self.target)

    def _k(self, offset: int) -> int:
        """Non-whitespace characters of raw before ``offset``."""
        lo, hi = 0, len(self._raw_idx)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._raw_idx[mid] < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _find(self, needle: str, k: int) -> int | None:
        """The occurrence of ``needle`` in the squeezed target nearest the relative position of k."""
        if not needle:
            return None
        want = k * len(self._tgt_sq) / max(1, len(self._raw_sq))
        best: int | None = None
        pos = self._tgt_sq.find(needle)
        while pos >= 0:
            if best is None or abs(pos - want) < abs(best - want):
                best = pos
            pos = self._tgt_sq.find(needle, pos + 1)
        return best

    def start(self, offset: int) -> int | None:
        """Where the text that begins at raw ``offset`` begins in the target."""
        k = self._k(offset)
        for n in ANCHOR_CHARS:
            pos = self._find(self._raw_sq[k : k + n], k)
            if pos is not None:
                return self._tgt_idx[pos]
        return None

    def end(self, offset: int) -> int | None:
        """Where the text that ends at raw ``offset`` ends in the target."""
        k = self._k(offset)
        for n in ANCHOR_CHARS:
            needle = self._raw_sq[max(0, k - n) : k]
            pos = self._find(needle, k - len(needle))
            if pos is not None:
                return self._tgt_idx[pos + len(needle) - 1] + 1
        return None

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        s, e = self.start(start), self.end(end)
        if s is None or e is None or e <= s:
            return None
        return s, e
