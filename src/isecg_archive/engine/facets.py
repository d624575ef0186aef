"""Facet counts over every match of a search, not just the page shown.

Each facet value's documents are read once per index reader as a bitset (see readers.py); a
facet count is then the number of bits it shares with the bitset of the matches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from whoosh.reading import IndexReader

from isecg_archive.engine.readers import value_bits
from isecg_archive.enrich import Vocabulary
from isecg_archive.events import split_term


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "value": self.value,
            "label": self.label,
            "count": self.count,
            "selected": self.selected,
        }


@dataclass(frozen=True)
class Facet:
    name: str  # agency, topic, type, year, event, organisation, author
    values: tuple[FacetValue, ...]

    def to_dict(self) -> list[dict[str, object]]:
        return [value.to_dict() for value in self.values]


@dataclass(frozen=True)
class FacetKind:
    """One facet: the index field it counts and how its values are named and ordered."""

    name: str
    field: str
    value_of: Callable[[str, Vocabulary], str]  # indexed term -> the value users see
    label_of: Callable[[str, Vocabulary], str]
    chronological: bool = False


def _event_label(term: str, vocabulary: Vocabulary) -> str:
    """An event's name with its year (from its slug), so that the workshops of a series that
    meets every year are told apart: "Lunar Polar Volatiles Workshop 2016"."""
    found, name = split_term(term)
    year = found.rsplit("-", 1)[-1]
    if len(year) == 4 and year.isdigit() and year not in name:
        return f"{name} {year}"
    return name


def _agency(term: str, vocabulary: Vocabulary) -> str:
    return next((a.key for a in vocabulary.agencies if a.key.lower() == term), term.upper())


FACET_KINDS = (
    FacetKind("agency", "agency", _agency, _agency),
    FacetKind("topic", "topic", lambda t, v: t, lambda t, v: v.topic_label(t)),
    FacetKind("type", "type", lambda t, v: t, lambda t, v: t.replace("-", " ")),
    FacetKind("year", "year", lambda t, v: t, lambda t, v: t, chronological=True),
    FacetKind("event", "event_key", lambda t, v: split_term(t)[0], _event_label),
    FacetKind("organisation", "organisation", lambda t, v: t, lambda t, v: t),
    FacetKind("author", "author_name", lambda t, v: t, lambda t, v: t),
)


def count_facets(
    reader: IndexReader,
    matches: int,
    selected: dict[str, tuple[str, ...]],
    vocabulary: Vocabulary,
    widening: dict[str, int] | None = None,
) -> tuple[Facet, ...]:
    """Each facet's values with their counts among the matches (a bitset of document numbers).

    A facet named in `widening` counts among its own bitset instead: the matches without that
    facet's filter, so that choosing a type or a year leaves the others to choose as well.
    """
    facets = []
    for kind in FACET_KINDS:
        chosen = {value.lower() for value in selected.get(kind.name, ())}
        among = (widening or {}).get(kind.name, matches)
        values = []
        for term, documents in value_bits(reader, kind.field).items():
            count = (documents & among).bit_count()
            value = kind.value_of(term, vocabulary)
            if count or value.lower() in chosen:
                label = kind.label_of(term, vocabulary)
                values.append(FacetValue(value, label, count, value.lower() in chosen))
        if kind.chronological:
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.label.lower()))
        facets.append(Facet(kind.name, tuple(values)))
    return tuple(facets)
