"""The numeric precision an archive's vectors were embedded in, kept with its collection.

The e5 embedder keeps one name (and so one Chroma collection) for fp32, bf16 and fp16:
their vectors agree to a cosine of at least 0.9999 (``e5/embedder.py``). Close is not equal,
though: a laptop embedding in fp32 and a server in bf16 would rank near-ties of one archive
differently, and an archive written by both mixes them. So the writer records the precision
of every vector it adds (the state database's ``info`` table, per collection), an embedder
left on ``auto`` follows the archive's precision, and one set to another precision is named
by ``doctor`` and by ingest's warnings.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def current_precision(embedder: Any) -> str:
    """The precision ``embedder`` computes in ("" when it has no choice of precision, or has
    not loaded its model yet)."""
    return str(getattr(embedder, "precision", "") or "")


def planned_precision(embedder: Any) -> str:
    """The precision ``embedder`` will compute in, without loading its model ("" when it has
    no choice of precision). May import torch to find the device."""
    planned = getattr(embedder, "planned_precision", None)
    if planned is None:
        return current_precision(embedder)
    return str(planned())


def follow_archive(embedder: Any, recorded: list[str]) -> None:
    """An embedder left on ``auto`` computes in the archive's precision (one recorded)."""
    follow = getattr(embedder, "follow_precision", None)
    if follow is not None and len(recorded) == 1:
        follow(recorded[0])


def mismatch(recorded: list[str], used: str) -> str:
    """A sentence for the user when vectors of ``recorded`` precisions and ``used`` differ;
    "" when they agree (or nothing is known)."""
    if not used or not recorded:
        return ""
    if len(recorded) > 1:
        return (f"the archive's vectors were embedded in several precisions ({', '.join(recorded)}); rankings may "
                f"differ slightly from a single-precision archive: re-embed it in one (a new data dir) to make them alike")
    if recorded[0] != used:
        return (f"the archive was embedded in {recorded[0]} and this machine embeds in {used}: questions and new "
                f"sections are computed differently from its vectors (cosine >= 0.9999, near-ties may rank "
                f"differently); leave the precision on auto (embedder `e5`) to follow the archive")
    return ""
