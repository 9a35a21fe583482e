"""An optional OCR engine: the ``tesseract`` command (Debian: ``tesseract-ocr``,
``tesseract-ocr-chi-sim``), run once per page with TSV output. Not installed by default:
``MINUTES_RAG_OCR_ENGINE=tesseract`` selects it where it is."""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import TYPE_CHECKING

from minutes_rag.errors import MinutesRagError
from minutes_rag.parse.ocr import OcrLine
from minutes_rag.parse.ocr.layout import join_words

if TYPE_CHECKING:
    from PIL.Image import Image

# a page that takes longer than this is a hung process, not a slow page
PAGE_TIMEOUT_S = 300


class TesseractEngine:
    def __init__(self, langs: str = "chi_sim+eng") -> None:
        self.langs = langs
        self.name = f"tesseract-{langs}"

    def read(self, image: Image) -> list[OcrLine]:
        exe = shutil.which("tesseract")
        if exe is None:
            raise MinutesRagError("OCR engine 'tesseract' is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)")
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        try:
            run = subprocess.run(
                [exe, "stdin", "stdout", "-l", self.langs, "tsv"], input=buf.getvalue(), capture_output=True,
                timeout=PAGE_TIMEOUT_S, check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise MinutesRagError(f"tesseract took over {PAGE_TIMEOUT_S} s on one page") from exc
        if run.returncode != 0:
            raise MinutesRagError(f"tesseract failed: {run.stderr.decode(errors='replace').strip()[:300]}")
        return parse_tsv(run.stdout.decode("utf-8", errors="replace"))


def parse_tsv(tsv: str) -> list[OcrLine]:
    """Tesseract's TSV (one row per word) -> lines: words grouped by (block, paragraph, line),
    the line's box their union, its confidence their mean (tesseract gives 0..100)."""
    lines: dict[tuple[str, str, str], list[tuple[str, float, float, float, float, float]]] = {}
    rows = tsv.splitlines()
    for row in rows[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        x, y, w, h, conf = float(f[6]), float(f[7]), float(f[8]), float(f[9]), float(f[10])
        lines.setdefault((f[2], f[3], f[4]), []).append((f[11].strip(), x, y, x + w, y + h, max(conf, 0.0) / 100))
    out = []
    for words in lines.values():
        text = join_words([w[0] for w in words])
        box = (min(w[1] for w in words), min(w[2] for w in words), max(w[3] for w in words), max(w[4] for w in words))
        out.append(OcrLine(text, box, sum(w[5] for w in words) / len(words)))
    return out
