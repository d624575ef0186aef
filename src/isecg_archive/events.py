"""Workshops and other events: each has a slug, the name of its page (/events/<slug>).

An event is named by its documents' records (`event`, `event_date`), and may have a record of
its own (storage.records.EventRecord: its dates, place, organisers...), found by the same
slug. Workshops recur under one name, so the slug is the name's words with the event's year
when the record knows it and the name does not say it: "lunar-polar-volatiles-workshop-2016".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from isecg_archive.storage.records import Document, EventRecord, PartialDate

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SEPARATOR = "|"  # between the slug and the name in an indexed event term


def slug(name: str, date: PartialDate | None = None) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = _NOT_SLUG.sub("-", folded).strip("-") or "event"
    if date and str(date.year) not in words.split("-"):
        words += f"-{date.year}"
    return words


def event_slug(document: Document) -> str | None:
    return slug(document.event, document.event_date) if document.event else None


def event_term(document: Document) -> str | None:
    """What the index holds for a document's event: its slug and its name, in one term."""
    found = event_slug(document)
    return f"{found}{_SEPARATOR}{document.event}" if found else None


def split_term(term: str) -> tuple[str, str]:
    """(slug, name) from an indexed event term."""
    found, _, name = term.partition(_SEPARATOR)
    return found, name or found


def today() -> date:
    """The day the archive tells upcoming events from completed ones (tests fix it)."""
    return date.today()


@dataclass(frozen=True)
class Event:
    slug: str
    name: str
    documents: int
    first: PartialDate | None = None  # its dates, as the documents' records give them
    last: PartialDate | None = None
    place: str | None = None  # where it was held, as most of its documents' records say
    record: EventRecord | None = None  # its own record, if it has one
    summarised: bool = False  # a workshop summary is among its documents
    announced: bool = True  # its documents (if any) are all news: announcements

    def upcoming(self, on: date) -> bool:
        """Still to come, or under way, on that day: its last day not past; or, undated, only
        announced, with no summary yet."""
        if self.last is not None:
            return self.last.last_key >= on.year * 10000 + on.month * 100 + on.day
        return self.announced and not self.summarised

    @property
    def dates(self) -> str:
        if not self.first:
            return ""
        return str(self.first) if self.first == self.last else f"{self.first} to {self.last}"

    def own_record(self) -> EventRecord:
        """Its record, or one made from what its documents say (their dates as one range)."""
        if self.record is not None:
            return self.record
        date = self.first
        if date is not None and self.last is not None and self.last != self.first:
            date = replace(date, end=self.last)
        return EventRecord(self.slug, self.name, date, self.place)

    @property
    def heading(self) -> str:
        """The name with the event's year, when the name does not say it: a workshop that
        recurs under one name is told apart by its year."""
        if self.first and str(self.first.year) not in self.name:
            return f"{self.name} {self.first.year}"
        return self.name

    def to_dict(self, status: str | None = None) -> dict[str, object]:
        """Its fields, and, if given, its status: "upcoming" or "completed" (split_by_day())."""
        record = self.record
        return {
            "slug": self.slug,
            "name": self.name,
            "documents": self.documents,
            "first_date": str(self.first) if self.first else None,
            "last_date": str(self.last) if self.last else None,
            "place": self.place,
            "organisers": list(record.organisers) if record else [],
            "moderator": record.moderator if record else None,
            "description": record.description if record else "",
            "links": list(record.links) if record else [],
            "internal": bool(record and record.internal),
            **({"status": status} if status else {}),
        }


def split_by_day(events: list[Event], on: date | None = None) -> tuple[list[Event], list[Event]]:
    """The events to come (or under way) on that day (today), the soonest first (undated
    last), and those completed, the latest first (undated last)."""
    on = on or today()
    upcoming = [event for event in events if event.upcoming(on)]
    upcoming.sort(key=lambda event: (event.first is None, event.first.key if event.first else 0))
    completed = [event for event in events if not event.upcoming(on)]
    completed.sort(key=lambda event: (event.last is None, -(event.last.key if event.last else 0)))
    return upcoming, completed


def gather(
    slug_: str, name: str, documents: list[Document], record: EventRecord | None = None
) -> Event:
    """The event as its record and its documents describe it: the record's name, dates and
    place, where it gives them, over what the documents say."""
    dates = [d.event_date for d in documents if d.event_date]
    if record is not None and record.date is not None:
        dates = [record.date]
    first = min((date.start for date in dates), key=lambda date: date.key, default=None)
    last = max(
        (date.end or date.start for date in dates), key=lambda date: date.last_key, default=None
    )
    places = Counter(d.event_place for d in documents if d.event_place)
    place = places.most_common(1)[0][0] if places else None
    if record is not None:
        name, place = record.name, record.place or place
    summarised = any(d.type == "workshop-summary" for d in documents)
    announced = all(d.type == "news" for d in documents)
    return Event(slug_, name, len(documents), first, last, place, record, summarised, announced)
