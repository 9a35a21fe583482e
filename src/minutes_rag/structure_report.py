"""``minutes-rag doctor --structure``: which minutes of the archive the splitter and the ledger
did not understand, from what the state database records of each (``reading.MinuteRead``),
without reading a file or loading a model."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from minutes_rag.reading import MinuteRead, read_warnings


def structure_json(reads: Sequence[MinuteRead], minutes: int) -> dict[str, Any]:
    """{"minutes", "recorded", "families", "flagged": [MinuteRead + "warnings"]} for ``reads``
    (``minutes``: how many minutes the archive holds; those without a record were ingested
    before reads were recorded, and get one at the next ingest)."""
    flagged = []
    for read in reads:
        warnings = read_warnings(read)
        if warnings:
            flagged.append({**read.to_json(), "warnings": [{"code": w.code, "message": w.message} for w in warnings]})
    return {
        "minutes": minutes,
        "recorded": len(reads),
        "families": dict(Counter(r.family for r in reads).most_common()),
        "flagged": flagged,
    }


def structure_lines(out: dict[str, Any]) -> list[str]:
    """The plain-text report: one line per family, then one per flagged minute and warning."""
    lines = [f"{out['minutes']} minutes; read as: "
             + (", ".join(f"{n} {family}" for family, n in out["families"].items()) or "nothing recorded yet")]
    if out["recorded"] < out["minutes"]:
        lines.append(f"{out['minutes'] - out['recorded']} minutes have no record of how they were read: "
                     "run `minutes-rag ingest` on the archive once to record it")
    for minute in out["flagged"]:
        for w in minute["warnings"]:
            lines.append(f"warning: {PurePath(minute['path']).name} ({minute['minute_id']}): {w['message']}")
    if not out["flagged"]:
        lines.append("every minute of more than a few pages yielded agenda items and ledger entries")
    return lines
