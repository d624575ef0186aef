"""Facet counts over every match of a search, not just the page shown.

Each facet value's documents are read once from the index postings as a set of document
numbers; a facet count is then the size of its intersection with the set of matches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from whoosh.reading import IndexReader

from isecg_archive.enrich import Vocabulary


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
    name: str  # agency, topic, type, year
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


def _agency(term: str, vocabulary: Vocabulary) -> str:
    return next((a.key for a in vocabulary.agencies if a.key.lower() == term), term.upper())


FACET_KINDS = (
    FacetKind("agency", "agency", _agency, _agency),
    FacetKind("topic", "topic", lambda t, v: t, lambda t, v: v.topic_label(t)),
    FacetKind("type", "type", lambda t, v: t, lambda t, v: t.replace("-", " ")),
    FacetKind("year", "year", lambda t, v: t, lambda t, v: t, chronological=True),
)


# Per reader (an index never changes under one), each field's value sets: read once, then every
# search only intersects them with its matches.
_VALUE_SETS: WeakKeyDictionary[IndexReader, dict[str, dict[str, set[int]]]] = WeakKeyDictionary()


def value_sets(reader: IndexReader, field: str) -> dict[str, set[int]]:
    """Each indexed value of a field, with the set of live documents that have it."""
    fields = _VALUE_SETS.setdefault(reader, {})
    if field not in fields:
        fields[field] = read_value_sets(reader, field)
    return fields[field]


def read_value_sets(reader: IndexReader, field: str) -> dict[str, set[int]]:
    return {
        term.decode("utf-8"): set(reader.postings(field, term).all_ids())
        for term in reader.lexicon(field)
    }


def count_facets(
    reader: IndexReader,
    matches: set[int],
    selected: dict[str, tuple[str, ...]],
    vocabulary: Vocabulary,
) -> tuple[Facet, ...]:
    facets = []
    for kind in FACET_KINDS:
        chosen = set(selected.get(kind.name, ()))
        values = []
        for term, documents in value_sets(reader, kind.field).items():
            count = len(documents & matches)
            value = kind.value_of(term, vocabulary)
            if count or value in chosen:
                label = kind.label_of(term, vocabulary)
                values.append(FacetValue(value, label, count, value in chosen))
        if kind.chronological:
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.label.lower()))
        facets.append(Facet(kind.name, tuple(values)))
    return tuple(facets)
