"""Which agencies (and related bodies) a document belongs to, from their names and acronyms."""

from __future__ import annotations

from functools import cache

from isecg_archive.enrich.phrases import PhraseIndex, listed_beside
from isecg_archive.enrich.scoring import Text, total, weighted_count
from isecg_archive.enrich.vocab import Body

# One passing mention scores 2 on the first page and 1 further on: not enough alone. A mention
# in the title, the authors or the opening lines, or a few mentions in the text, are.
THRESHOLD = 4.0


@cache
def _index(bodies: tuple[Body, ...]) -> PhraseIndex:
    return PhraseIndex.of(bodies, ("names", "ambiguous", "context"))


def detect_bodies(text: Text, bodies: tuple[Body, ...]) -> tuple[str, ...]:
    """The keys of the bodies the document is about, most prominent first."""
    index = _index(bodies)
    names = frozenset((b.key, "names") for b in bodies)
    found = []
    for body in bodies:
        score = weighted_count(index, (body.key, "names"), text)
        ambiguous = (body.key, "ambiguous")
        # An ambiguous acronym counts beside its country, or in a list of other agencies.
        if total(index, ambiguous, text) and (
            total(index, (body.key, "context"), text)
            or listed_beside(index.scan(text.whole), ambiguous, names - {(body.key, "names")})
        ):
            score += weighted_count(index, ambiguous, text)
        if score >= THRESHOLD:
            found.append((-score, body.key))
    return tuple(key for _, key in sorted(found))
