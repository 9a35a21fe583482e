"""How minutes and questions are written: the conventions every other module reads text by.

The ground floor of the package: it imports nothing of ``minutes_rag``, so parse, split,
the lexical index, the glossary, retrieval and the answerers can all depend on it.

- ``lang``: CJK ranges and the one language rule (``detect_lang``);
- ``words``: the English stemmer, stopword sets, the jieba loader and its user dictionary;
- ``patterns``: document numbers, meeting numbers, dates, Chinese numerals, item markers
  and field labels;
- ``agenda``: how English council minutes number their agenda items;
- ``sentences``: where sentences and clauses end;
- ``ledger_vocab``: how decisions, tasks, responsible units, deadlines and votes are
  written (the ledger's rules in ``ledger/`` read by it).
"""
