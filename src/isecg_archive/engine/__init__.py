"""The search engine's internals, over Whoosh: what search.py and index.py are built from.

- `analysis`: how text becomes index terms (Whoosh's stemming analyzer, in one pass).
- `query`: the query language, parsed into Whoosh queries; `patterns`: wildcards expanded to
  the words they match, a bounded number.
- `postings`: postings read a block at a time; `codec`: the blocks' layout, positions apart;
  `scoring`: BM25F with field lengths read once;
  `ranking`: every match and its score, combined over the query's parts.
- `readers`: what search reads once per index reader (facet bitsets, families, lengths);
  `mapped`: segment files read through memory maps, for searchers.
- `writing`: how the index writer writes and merges segments; `merging`: large merges in a
  process of their own, while an ingest goes on committing.
- `facets`: counts by agency, topic, type and year; `snippets`: passages with their hits;
  `spelling`: did-you-mean's close words, within a bounded cost.

search.py and index.py are built from these; the CLI and the viewer take only the records a
result page holds (`facets.Facet`, `snippets.Snippet`) and `snippets.split_at`, to show hits.
"""
