"""The metadata a document gets from its text, its embedded fields and a person.

What a person set always wins over what is detected, including a value a person cleared, and
the record lists those fields under `manual`.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass, fields
from typing import Any

from isecg_archive.enrich.agencies import detect_bodies
from isecg_archive.enrich.dates import StatedDates, stated_dates
from isecg_archive.enrich.scoring import Text
from isecg_archive.enrich.titles import detect_title
from isecg_archive.enrich.topics import detect_topics
from isecg_archive.enrich.types import detect_type
from isecg_archive.enrich.vocab import Vocabulary
from isecg_archive.extract import Extraction
from isecg_archive.storage.records import PartialDate

# The fields a person may set; the order is the order they are listed in records.
EDITABLE = (
    *("title", "date", "event", "event_date", "event_place", "type", "agencies"),
    *("organisations", "topics", "authors"),
)
LISTS = ("agencies", "organisations", "topics", "authors")  # the editable fields that are lists


@dataclass(frozen=True)
class Overrides:
    """Values a librarian gives for a whole batch; None or empty means 'detect it'."""

    title: str | None = None
    date: PartialDate | None = None
    event: str | None = None
    event_date: PartialDate | None = None
    event_place: str | None = None
    type: str | None = None
    agencies: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    def as_mapping(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


@dataclass(frozen=True)
class Metadata:
    title: str
    date: PartialDate | None
    event: str | None
    event_date: PartialDate | None
    event_place: str | None
    type: str
    agencies: tuple[str, ...]
    organisations: tuple[str, ...]
    topics: tuple[str, ...]
    authors: tuple[str, ...]
    manual: tuple[str, ...]


def describe(
    extraction: Extraction,
    file_name: str,
    person: Mapping[str, Any],
    vocabulary: Vocabulary,
    boilerplate: Container[str] = frozenset(),
) -> Metadata:
    """Detect every field, then let the person's values win (`person` maps field to value).

    A publication date the file's metadata declares (a web page's) beats dates in its text.
    `boilerplate`: lines that recur across the collection (keys of `titles.line_key`), which
    are never a title.
    """
    pages = extraction.pages
    first_page = pages[0] if pages else ""
    title = person.get("title") or detect_title(
        extraction.title, first_page, file_name, extraction.heading, boilerplate
    )
    authors = person["authors"] if "authors" in person else extraction.authors
    text = Text.of(title, pages, authors)
    stated = stated_dates(title, first_page)
    detected: dict[str, Any] = {
        "date": lambda: extraction.published or _publication_date(stated, extraction.date),
        "event": lambda: None,
        "event_date": lambda: stated.event,
        "event_place": lambda: None,
        "type": lambda: detect_type(text, pages, extraction.landscape_pages, extraction.format),
        "agencies": lambda: detect_bodies(text, vocabulary.agencies),
        "topics": lambda: detect_topics(text, vocabulary.topics),
    }
    value = {name: person[name] if name in person else find() for name, find in detected.items()}
    return Metadata(
        title=title,
        authors=tuple(authors),
        organisations=person["organisations"]
        if "organisations" in person
        else detect_bodies(text, vocabulary.related),
        manual=tuple(name for name in EDITABLE if name in person),
        **value,
    )


def _publication_date(stated: StatedDates, embedded: PartialDate | None) -> PartialDate | None:
    """A stated publication date; else the first stated date, unless the embedded one says more.

    The embedded date wins when the text dates only its event, or gives only the year that the
    embedded date falls in (it is then the same date, more precisely).
    """
    if stated.published:
        return stated.published
    first = stated.first
    if embedded and first and stated.event == first:
        return embedded
    if embedded and first and first.month is None and embedded.year == first.year:
        return embedded
    return first or embedded
