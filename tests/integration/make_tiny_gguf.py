"""Write a tiny random-weight llama GGUF (about 0.5 MB) with the ``gguf`` package.

Enough for llama.cpp to load and generate, so tests can drive the real
OpenAI-compatible HTTP path (llama_cpp.server) without downloading a model. The text it
generates is noise: assert on mechanics, never on content.

    python tests/integration/make_tiny_gguf.py /tmp/tiny.gguf
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

N_EMBD = 64
N_HEAD = 4
N_HEAD_KV = 4
N_FF = 128
N_LAYER = 2
N_CTX = 2048

# SentencePiece token types as llama.cpp reads them
NORMAL, UNKNOWN, CONTROL, BYTE = 1, 2, 3, 6

# readable pieces so the noise is mostly printable text ("▁" marks a word start)
_WORDS = (
    "the council minute item meeting plan city approve report vote fund grant road school "
    "park water housing budget public safety transport project policy review member clerk"
).split()


def _vocab() -> tuple[list[str], list[float], list[int]]:
    tokens = ["<unk>", "<s>", "</s>"]
    types = [UNKNOWN, CONTROL, CONTROL]
    tokens += [f"<0x{b:02X}>" for b in range(256)]  # byte fallback: any input tokenizes
    types += [BYTE] * 256
    pieces = ["▁"] + [chr(c) for c in range(ord("a"), ord("z") + 1)]
    pieces += ["▁" + w for w in _WORDS] + list("。，的会议") + [".", ",", "[1]", "[2]"]
    for p in pieces:
        if p not in tokens:
            tokens.append(p)
            types.append(NORMAL)
    scores = [0.0] * 259 + [-float(i) for i in range(len(tokens) - 259)]
    return tokens, scores, types


def write_tiny_gguf(path: str | Path, seed: int = 0) -> Path:
    import gguf

    path = Path(path)
    rng = np.random.default_rng(seed)
    tokens, scores, types = _vocab()
    n_vocab = len(tokens)

    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name("minutes-rag tiny test model")
    w.add_context_length(N_CTX)
    w.add_embedding_length(N_EMBD)
    w.add_block_count(N_LAYER)
    w.add_feed_forward_length(N_FF)
    w.add_head_count(N_HEAD)
    w.add_head_count_kv(N_HEAD_KV)
    w.add_rope_dimension_count(N_EMBD // N_HEAD)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)

    def rand(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.05).astype(np.float32)

    ones = lambda n: np.ones(n, dtype=np.float32)  # noqa: E731
    # numpy shapes are (rows, cols) = ggml's (ne1, ne0) reversed
    w.add_tensor("token_embd.weight", rand(n_vocab, N_EMBD))
    w.add_tensor("output_norm.weight", ones(N_EMBD))
    # output rows: zero for control and byte tokens, large for readable pieces, so the
    # model mostly emits printable words and never the end token (it stops at max_tokens)
    out = rand(n_vocab, N_EMBD) * 10.0
    out[np.array(types) != NORMAL] = 0.0
    w.add_tensor("output.weight", out)
    kv = N_EMBD // N_HEAD * N_HEAD_KV
    for i in range(N_LAYER):
        b = f"blk.{i}."
        w.add_tensor(b + "attn_norm.weight", ones(N_EMBD))
        w.add_tensor(b + "attn_q.weight", rand(N_EMBD, N_EMBD))
        w.add_tensor(b + "attn_k.weight", rand(kv, N_EMBD))
        w.add_tensor(b + "attn_v.weight", rand(kv, N_EMBD))
        w.add_tensor(b + "attn_output.weight", rand(N_EMBD, N_EMBD))
        w.add_tensor(b + "ffn_norm.weight", ones(N_EMBD))
        w.add_tensor(b + "ffn_gate.weight", rand(N_FF, N_EMBD))
        w.add_tensor(b + "ffn_up.weight", rand(N_FF, N_EMBD))
        w.add_tensor(b + "ffn_down.weight", rand(N_EMBD, N_FF))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


if __name__ == "__main__":
    out = write_tiny_gguf(sys.argv[1] if len(sys.argv) > 1 else "tiny.gguf")
    print(out, out.stat().st_size, "bytes")
