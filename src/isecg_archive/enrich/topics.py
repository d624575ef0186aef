"""Which ISECG themes a document is about, from the taxonomy's signal phrases."""

from __future__ import annotations

import re
from functools import cache

from isecg_archive.enrich.scoring import Text, weighted_count
from isecg_archive.enrich.vocab import Topic, phrase_pattern

THRESHOLD = 8.0
RELATIVE = 0.2  # a topic far weaker than the document's main one is a side remark
MAX_TOPICS = 4


def scores(text: Text, topics: tuple[Topic, ...]) -> dict[str, float]:
    """Each topic's score: strong phrases count double; context, if any, must be present."""
    result = {}
    for topic in topics:
        strong, weak, context = _patterns(topic)
        if context and not context.search(text.whole):
            result[topic.key] = 0.0
            continue
        score = 2 * weighted_count(strong, text) if strong else 0.0
        result[topic.key] = score + (weighted_count(weak, text) if weak else 0.0)
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


@cache
def _patterns(
    topic: Topic,
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str] | None]:
    return (
        phrase_pattern(topic.strong),
        phrase_pattern(topic.signals),
        phrase_pattern(topic.context),
    )
