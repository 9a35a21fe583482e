"""Build a SentencePiece "precompiled charsmap" from a codepoint -> text table.

The ``tokenizers`` library applies SentencePiece normalisation through its ``Precompiled``
normalizer, which takes the blob SentencePiece stores in its ``.model`` files:

    u32 trie_bytes | trie: darts-clone double array of u32 units | normalized strings, NUL-ended

The trie maps the UTF-8 bytes of a source string to the offset of its replacement in the
string area. A unit packs (darts-clone layout, read by ``spm_precompiled``):

    bits 0-7 label, bit 8 has_leaf, bit 9 offset-is-shifted, bits 10-31 offset;
    a leaf unit is ``value | 1 << 31``.

From a node at position ``p`` the children live at ``(p ^ offset) ^ label``, and its value (when
``has_leaf``) at ``p ^ offset``. We only need keys of one codepoint (the engine normalises one
codepoint at a time), a few thousand of them, so a simple greedy placement is plenty.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping

_LEAF_FLAG = 1 << 31
_HAS_LEAF = 1 << 8
_MAX_OFFSET = 1 << 21  # offsets below this need no shift and keep bit 31 clear


class _Node:
    __slots__ = ("children", "value")

    def __init__(self) -> None:
        self.children: dict[int, _Node] = {}
        self.value: int | None = None


def build_double_array(items: list[tuple[bytes, int]]) -> list[int]:
    """A darts-clone double array for ``(key, value)`` pairs (keys non-empty, no NUL byte,
    values < 2**31). Deterministic: the same items give the same array."""
    root = _Node()
    for key, value in sorted(items):
        if not key or b"\x00" in key:
            raise ValueError(f"bad key {key!r}")
        if not 0 <= value < _LEAF_FLAG:
            raise ValueError(f"value {value} out of range")
        node = root
        for byte in key:
            node = node.children.setdefault(byte, _Node())
        node.value = value

    units: list[int] = [0]
    used = bytearray(1)  # slot taken by a unit
    used[0] = 1  # the root
    used_bases: set[int] = set()
    first_free = 1

    def ensure(size: int) -> None:
        if size > len(used):
            grow = size - len(used)
            used.extend(b"\x00" * grow)
            units.extend([0] * grow)

    queue: list[tuple[_Node, int]] = [(root, 0)]
    head = 0
    while head < len(queue):
        node, pos = queue[head]
        head += 1
        labels = sorted(node.children)
        if node.value is not None:
            labels = [0] + labels
        if not labels:
            continue
        while first_free < len(used) and used[first_free]:
            first_free += 1
        # try each free slot for the first label, as darts-clone does
        slot0 = first_free
        while True:
            ensure(slot0 + 1)
            if not used[slot0]:
                base = slot0 ^ labels[0]
                if base > 0 and base not in used_bases:
                    slots = [base ^ label for label in labels]
                    ensure(max(slots) + 1)
                    if all(s != 0 and not used[s] for s in slots):
                        break
            slot0 += 1
        offset = pos ^ base
        if offset >= _MAX_OFFSET:
            raise ValueError("double array too large for unshifted offsets")
        used_bases.add(base)
        unit = units[pos] | (offset << 10)
        if node.value is not None:
            unit |= _HAS_LEAF
        units[pos] = unit
        for label in labels:
            slot = base ^ label
            used[slot] = 1
            if label == 0:
                units[slot] = node.value | _LEAF_FLAG  # type: ignore[operator]
            else:
                units[slot] = label
                queue.append((node.children[label], slot))
    return units


def common_prefix_search(units: list[int], key: bytes) -> list[int]:
    """Values of every key that is a prefix of ``key`` (the lookup ``tokenizers`` performs)."""
    results: list[int] = []
    pos = 0
    unit = units[0]
    pos ^= _offset(unit)
    for byte in key:
        if byte == 0:
            break
        pos ^= byte
        if pos >= len(units):
            return results
        unit = units[pos]
        if unit & (_LEAF_FLAG | 0xFF) != byte:
            return results
        pos ^= _offset(unit)
        if unit & _HAS_LEAF:
            results.append(units[pos] & (_LEAF_FLAG - 1))
    return results


def _offset(unit: int) -> int:
    return (unit >> 10) << ((unit & (1 << 9)) >> 6)


def build_precompiled_charsmap(table: Mapping[int, str]) -> bytes:
    """The ``Precompiled`` blob that replaces each codepoint in ``table`` by its text."""
    normalized = bytearray()
    items: list[tuple[bytes, int]] = []
    seen: dict[str, int] = {}
    for cp in sorted(table):
        target = table[cp]
        if "\x00" in target:
            raise ValueError(f"replacement for U+{cp:04X} contains NUL")
        if target not in seen:  # share identical replacements
            seen[target] = len(normalized)
            normalized += target.encode("utf-8") + b"\x00"
        items.append((chr(cp).encode("utf-8"), seen[target]))
    units = build_double_array(items)
    return struct.pack("<I", 4 * len(units)) + struct.pack(f"<{len(units)}I", *units) + bytes(normalized)
