"""Which agencies (and related bodies) a document belongs to, from their names and acronyms."""

from __future__ import annotations

import re
from functools import cache

from isecg_archive.enrich.scoring import Text, weighted_count
from isecg_archive.enrich.vocab import Body, phrase_pattern

# One passing mention scores 2 on the first page and 1 further on: not enough alone. A mention
# in the title, the authors or the opening lines, or a few mentions in the text, are.
THRESHOLD = 4.0


def detect_bodies(text: Text, bodies: tuple[Body, ...]) -> tuple[str, ...]:
    """The keys of the bodies the document is about, most prominent first."""
    found = []
    for body in bodies:
        score = _score(body, text, bodies)
        if score >= THRESHOLD:
            found.append((-score, body.key))
    return tuple(key for _, key in sorted(found))


def _score(body: Body, text: Text, bodies: tuple[Body, ...]) -> float:
    names, ambiguous, context = _patterns(body)
    score = weighted_count(names, text) if names else 0.0
    if ambiguous and (
        (context and context.search(text.whole)) or _listed(body, bodies).search(text.whole)
    ):
        score += weighted_count(ambiguous, text)
    return score


@cache
def _listed(body: Body, bodies: tuple[Body, ...]) -> re.Pattern[str]:
    """An ambiguous acronym written in a list beside another body's name: "ESA, CSA and ASI"."""
    own = phrase_pattern(body.ambiguous)
    others = phrase_pattern(tuple(n for b in bodies if b is not body for n in b.names))
    assert own and others
    separator = r"\s*(?:,|;|/|&|·|\band\b)\s*"
    return re.compile(
        f"(?:{others.pattern}){separator}(?:{own.pattern})"
        f"|(?:{own.pattern}){separator}(?:{others.pattern})"
    )


@cache
def _patterns(
    body: Body,
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str] | None]:
    return (
        phrase_pattern(body.names),
        phrase_pattern(body.ambiguous),
        phrase_pattern(body.context),
    )
