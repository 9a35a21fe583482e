"""Text normalisation and page-break repair (stub: owned by the splitter work)."""

from __future__ import annotations


def normalize_text(text: str) -> str:
    """Unify line endings, drop BOM and trailing spaces, repair page-break artefacts."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip() + "\n"
