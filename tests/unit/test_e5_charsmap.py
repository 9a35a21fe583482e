"""The darts-clone double array and the Precompiled charsmap built from a codepoint table."""

from __future__ import annotations

import struct

import pytest

from minutes_rag.e5.charsmap import build_double_array, build_precompiled_charsmap, common_prefix_search


def test_prefix_search_finds_every_key_and_only_keys():
    items = [(b"a", 1), (b"ab", 2), (b"abc", 3), (b"b", 4), ("é".encode(), 5), ("字".encode(), 6)]
    units = build_double_array(items)
    assert common_prefix_search(units, b"abcd") == [1, 2, 3]
    assert common_prefix_search(units, b"b") == [4]
    assert common_prefix_search(units, "é".encode()) == [5]
    assert common_prefix_search(units, "字典".encode()) == [6]
    assert common_prefix_search(units, b"c") == []
    assert common_prefix_search(units, b"ba") == [4]
    # a byte shared with a key's inner node is not itself a key
    assert common_prefix_search(units, "é".encode()[:1]) == []


def test_many_keys_round_trip():
    items = [(chr(cp).encode("utf-8"), i) for i, cp in enumerate(range(0x3000, 0x3400))]
    units = build_double_array(items)
    for key, value in items:
        assert common_prefix_search(units, key) == [value]


def test_double_array_is_deterministic_and_order_independent():
    items = [(b"x", 1), (b"xy", 2), ("Ａ".encode(), 3)]
    assert build_double_array(items) == build_double_array(list(reversed(items)))


def test_bad_keys_are_refused():
    with pytest.raises(ValueError):
        build_double_array([(b"", 1)])
    with pytest.raises(ValueError):
        build_double_array([(b"a\x00", 1)])


def test_blob_layout():
    blob = build_precompiled_charsmap({ord("Ａ"): "A", 0x01: ""})
    (trie_bytes,) = struct.unpack_from("<I", blob)
    strings = blob[4 + trie_bytes :]
    # replacements are NUL-terminated, in codepoint order: U+0001 -> "", U+FF21 -> "A"
    assert strings == b"\x00A\x00"


def test_tokenizers_precompiled_applies_the_table():
    from tokenizers import normalizers

    table = {ord("Ａ"): "A", 0x01: "", ord("\t"): " ", ord("ﬁ"): "fi", ord("①"): "1", ord("　"): " "}
    norm = normalizers.Precompiled(build_precompiled_charsmap(table))
    assert norm.normalize_str("Ａ\x01b\tﬁ") == "Ab fi"
    assert norm.normalize_str("①号　会议") == "1号 会议"
    # characters outside the table are left alone, even ones NFKC would fold
    assert norm.normalize_str("～Ｂ") == "～Ｂ"
