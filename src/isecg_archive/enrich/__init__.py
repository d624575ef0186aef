"""Enrichment: the metadata a document gets from its text, its embedded fields and a librarian.

What a person sets always wins over what is detected, and the record remembers which is which.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from isecg_archive.enrich.agencies import detect_agencies
from isecg_archive.enrich.dates import StatedDates, stated_dates
from isecg_archive.enrich.scoring import Text
from isecg_archive.enrich.titles import detect_title
from isecg_archive.enrich.topics import detect_topics
from isecg_archive.enrich.types import detect_type
from isecg_archive.enrich.vocab import Vocabulary, load_vocabulary
from isecg_archive.extract import Extraction
from isecg_archive.records import PartialDate

__all__ = ["Metadata", "Overrides", "Vocabulary", "describe", "load_vocabulary"]


@dataclass(frozen=True)
class Overrides:
    """Values a person set; None or empty means 'detect it'."""

    title: str | None = None
    date: PartialDate | None = None
    event: str | None = None
    event_date: PartialDate | None = None
    type: str | None = None
    agencies: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self) if getattr(self, f.name))


@dataclass(frozen=True)
class Metadata:
    title: str
    date: PartialDate | None
    event: str | None
    event_date: PartialDate | None
    type: str
    agencies: tuple[str, ...]
    topics: tuple[str, ...]
    authors: tuple[str, ...]
    manual: tuple[str, ...]


def describe(
    extraction: Extraction, file_name: str, overrides: Overrides, vocabulary: Vocabulary
) -> Metadata:
    """Detect every field, then let the person's values win."""
    pages = extraction.pages
    first_page = pages[0] if pages else ""
    title = overrides.title or detect_title(extraction.title, first_page, file_name)
    text = Text.of(title, pages)
    stated = stated_dates(title, first_page)
    return Metadata(
        title=title,
        date=overrides.date or _publication_date(stated, extraction.date),
        event=overrides.event,
        event_date=overrides.event_date or stated.event,
        type=overrides.type
        or detect_type(text, pages, extraction.landscape_pages, extraction.format),
        agencies=overrides.agencies or detect_agencies(text, vocabulary),
        topics=overrides.topics or detect_topics(text, vocabulary),
        authors=extraction.authors,
        manual=overrides.names(),
    )


def _publication_date(stated: StatedDates, embedded: PartialDate | None) -> PartialDate | None:
    """A stated publication date; else, when the text only dates its event, the embedded date."""
    if stated.published:
        return stated.published
    if stated.event and stated.first == stated.event and embedded:
        return embedded
    return stated.first or embedded
