"""Which agencies a document belongs to, from the vocabulary's names and acronyms."""

from __future__ import annotations

import re
from functools import cache

from isecg_archive.enrich.scoring import Text, weighted_count
from isecg_archive.enrich.vocab import Agency, Vocabulary, phrase_pattern

# A passing mention on the first page scores 2 and in the body 1: neither is enough alone.
THRESHOLD = 4.0


def detect_agencies(text: Text, vocabulary: Vocabulary) -> tuple[str, ...]:
    found = []
    for agency in vocabulary.agencies:
        score = _score(agency, text)
        if score >= THRESHOLD:
            found.append((-score, agency.key))
    return tuple(key for _, key in sorted(found))


def _score(agency: Agency, text: Text) -> float:
    patterns = _patterns(agency)
    score = weighted_count(patterns[0], text) if patterns[0] else 0.0
    if patterns[1] and patterns[2]:
        whole = f"{text.title}\n{text.first_page}\n{text.body}"
        if patterns[2].search(whole):
            score += weighted_count(patterns[1], text)
    return score


@cache
def _patterns(
    agency: Agency,
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str] | None]:
    return (
        phrase_pattern((agency.key, agency.name, *agency.aliases)),
        phrase_pattern(agency.context_aliases),
        phrase_pattern(agency.context_words),
    )
