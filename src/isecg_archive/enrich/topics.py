"""Which ISECG themes a document is about, from the taxonomy's signal phrases."""

from __future__ import annotations

import re
from functools import cache

from isecg_archive.enrich.scoring import Text, weighted_count
from isecg_archive.enrich.vocab import Topic, Vocabulary, phrase_pattern

THRESHOLD = 8.0
MAX_TOPICS = 4


def detect_topics(text: Text, vocabulary: Vocabulary) -> tuple[str, ...]:
    scored = []
    for topic in vocabulary.topics:
        strong, weak = _patterns(topic)
        score = 2 * weighted_count(strong, text) if strong else 0.0
        score += weighted_count(weak, text) if weak else 0.0
        if score >= THRESHOLD:
            scored.append((-score, topic.key))
    return tuple(key for _, key in sorted(scored)[:MAX_TOPICS])


@cache
def _patterns(topic: Topic) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    return phrase_pattern(topic.strong), phrase_pattern(topic.signals)
