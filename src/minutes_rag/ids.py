"""Stable identifiers. Ids are derived from content and place, never from counters, so that
re-ingesting the same file yields the same ids and nothing is duplicated."""

from __future__ import annotations

import hashlib
from pathlib import Path


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def bytes_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def minute_id_for(source: str | Path) -> str:
    """A minute is identified by the file it comes from, so an edited file keeps its id
    (links and bookmarks survive a correction) and its sections are replaced."""
    resolved = str(Path(source).resolve())
    return "m" + hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:15]


def section_id_for(minute_id: str, label_path: tuple[str, ...], part: int, text: str) -> str:
    """Section ids include the text's hash: an unchanged section keeps its id across
    re-ingests, and an edited one gets a new id, which lets the store add the new version
    before removing the old one (no window where a minute is half there)."""
    key = "\x1f".join([minute_id, *label_path, str(part), text_hash(text)])
    return minute_id + "-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
