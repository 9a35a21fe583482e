"""Citation markers in a model's reply, and how much of a claim a sentence holds.

A model cites as [1], [1][3], [1, 2], 【1】, ［1］ ...; ``parse_markers`` reads them all,
``strip_markers`` removes them, ``similarity`` measures how much of a claim a source
sentence holds (answer.grounded checks replies with them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from minutes_rag.answer.lang import stem
from minutes_rag.text.lang import HAN
from minutes_rag.text.markers import MARKER, MARKER_WORDY, strip_markers

__all__ = ["Marker", "parse_markers", "similarity", "strip_markers"]

@dataclass(frozen=True)
class Marker:
    start: int
    end: int
    numbers: tuple[int, ...]  # in the order written, without duplicates


def _numbers(body: str) -> tuple[int, ...]:
    out: list[int] = []
    for part in re.split(r"\s*[,，、;；]\s*", body):
        rng = re.split(r"\s*[-–~～]\s*", part)
        if len(rng) == 2 and rng[0].isdigit() and rng[1].isdigit() and 0 <= int(rng[1]) - int(rng[0]) <= 20:
            out.extend(range(int(rng[0]), int(rng[1]) + 1))
        elif part.isdigit():
            out.append(int(part))
    return tuple(dict.fromkeys(out))


def parse_markers(text: str) -> list[Marker]:
    """Citation markers in ``text``, in order. Adjacent markers ([1][3]) stay separate."""
    found = [Marker(m.start(), m.end(), _numbers(m.group(1))) for m in MARKER.finditer(text)]
    found += [Marker(m.start(), m.end(), (int(m.group(1)),)) for m in MARKER_WORDY.finditer(text)]
    return sorted(found, key=lambda m: m.start)


# ------------------------------------------------------------------ similarity

def _units(text: str) -> set[str]:
    """Character bigrams of the Chinese parts plus stemmed English words."""
    out: set[str] = set()
    for run in re.findall(f"[{HAN}]+", text):
        out.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    out.update(stem(w) for w in re.findall(r"[A-Za-z]{3,}|\d+", text))
    return out


def similarity(claim: str, source_sentence: str) -> float:
    """Share of the claim's units found in the source sentence (recall of the claim)."""
    a = _units(claim)
    if not a:
        return 0.0
    return len(a & _units(source_sentence)) / len(a)
