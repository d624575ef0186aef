"""Which ISECG themes a document is about, from the taxonomy's signal phrases."""

from __future__ import annotations

from functools import cache

from isecg_archive.enrich.phrases import PhraseIndex
from isecg_archive.enrich.scoring import Text, total, weighted_count
from isecg_archive.enrich.vocab import Topic

THRESHOLD = 8.0
RELATIVE = 0.2  # a topic far weaker than the document's main one is a side remark
MAX_TOPICS = 4


@cache
def _index(topics: tuple[Topic, ...]) -> PhraseIndex:
    return PhraseIndex.of(topics, ("strong", "signals", "context"))


def scores(text: Text, topics: tuple[Topic, ...]) -> dict[str, float]:
    """Each topic's score: strong phrases count double; context, if any, must be present."""
    index = _index(topics)
    result = {}
    for topic in topics:
        if topic.context and not total(index, (topic.key, "context"), text):
            result[topic.key] = 0.0
            continue
        strong = weighted_count(index, (topic.key, "strong"), text)
        result[topic.key] = 2 * strong + weighted_count(index, (topic.key, "signals"), text)
    return result


def detect_topics(text: Text, topics: tuple[Topic, ...]) -> tuple[str, ...]:
    """The keys of the topics the document is about, strongest first."""
    scored = scores(text, topics)
    best = max(scored.values(), default=0.0)
    kept = [
        (-score, key)
        for key, score in scored.items()
        if score >= THRESHOLD and score >= RELATIVE * best
    ]
    return tuple(key for _, key in sorted(kept)[:MAX_TOPICS])
