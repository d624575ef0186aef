"""The records the archive keeps: partial dates, document metadata, and events."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any

from isecg_archive.cleantext import clean_field, xml_text
from isecg_archive.errors import MetadataError

_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

DOCUMENT_TYPES = (
    "presentation",
    "workshop-summary",
    "white-paper",
    "roadmap",
    "report",
    "news",
    "other",
)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day; never padded with invented parts. An
    event's date may run to an `end` (an EDTF interval, "2016-02-10/2016-02-12")."""

    year: int
    month: int | None = None
    day: int | None = None
    end: PartialDate | None = None  # the last day of an event that ran over several

    def __post_init__(self) -> None:
        import datetime

        if self.end is not None:
            if self.end.end is not None:
                raise MetadataError("a range of dates has one start and one end")
            if self.end.last_key < self.key:
                raise MetadataError(f"{self} ends before it starts; give START/END in order")
        if not 1000 <= self.year <= 9999:
            raise MetadataError(f"year {self.year} is out of range; give a four-digit year")
        if self.month is None and self.day is not None:
            raise MetadataError("a date with a day needs a month")
        try:
            datetime.date(self.year, self.month or 1, self.day or 1)
        except ValueError as exc:
            raise MetadataError(f"{self} is not a real date ({exc})") from None

    @classmethod
    def parse(cls, text: str, interval: bool = False) -> PartialDate:
        """Parse 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; with `interval`, also 'START/END'."""
        if "/" in text:
            if not interval:
                raise MetadataError(
                    f"cannot read the date {text!r}; only an event's date may be a range"
                    " (START/END)"
                )
            start, _, end = text.partition("/")
            return replace(cls.parse(start), end=cls.parse(end))
        match = _ISO_PARTIAL.match(text.strip())
        if not match:
            raise MetadataError(
                f"cannot read the date {text!r}; write it as YYYY, YYYY-MM or YYYY-MM-DD"
            )
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        return cls(year, month, day)

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return f"{text}/{self.end}" if self.end else text

    @property
    def start(self) -> PartialDate:
        """The date without its end."""
        return replace(self, end=None) if self.end else self

    @property
    def key(self) -> int:
        """A sortable integer, YYYYMMDD with unknown parts as 00."""
        return self.year * 10000 + (self.month or 0) * 100 + (self.day or 0)

    @property
    def last_key(self) -> int:
        """The key of the last day this date could mean, for inclusive 'until' filters."""
        if self.end:
            return self.end.last_key
        return self.year * 10000 + (self.month or 12) * 100 + (self.day or 31)


def _clean_fields(record: object, names: tuple[str, ...]) -> None:
    """A frozen record's text fields (strings, or tuples of them) on one line each, with no
    control character: set in place, as __post_init__ may."""
    for name in names:
        value = getattr(record, name)
        if isinstance(value, str):
            cleaned: object = clean_field(value)
        elif isinstance(value, tuple):
            cleaned = tuple(clean_field(v) if isinstance(v, str) else v for v in value)
        else:
            continue
        if cleaned != value:
            object.__setattr__(record, name, cleaned)


# The fields of a record that hold free text (from people or from files).
_TEXT_FIELDS = (
    *("title", "original_name", "event", "event_place", "agencies", "organisations"),
    *("topics", "authors", "warnings"),
)


@dataclass(frozen=True)
class Document:
    """The metadata record of one archived document, as kept beside its original."""

    id: str
    title: str
    file: str  # path of the original inside the archive, with forward slashes
    original_name: str
    format: str
    sha256: str
    size: int
    pages: int
    type: str = "other"
    date: PartialDate | None = None
    agencies: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()  # related bodies that are not agencies
    topics: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    event: str | None = None
    event_date: PartialDate | None = None
    event_place: str | None = None  # where the event was held: "Tokyo, Japan"
    ingested: str = ""
    # When the record last changed in the archive (UTC, ISO 8601): what OAI-PMH datestamps,
    # feeds and "changed last" follow. Kept in the record, so a copy or restore changes nothing.
    changed: str = ""
    manual: tuple[str, ...] = ()  # fields a person set; detection leaves them alone
    warnings: tuple[str, ...] = field(default=())
    needs: tuple[str, ...] = ()  # what would make its text readable: "password", "ocr", "repair"
    ocr_pages: tuple[int, ...] = ()  # pages whose text was read by OCR from scans
    unread_pages: tuple[int, ...] = ()  # pages no reader could read (a damaged file)
    duration: float | None = None  # a recording's length, in seconds
    media: str | None = None  # a recording's kind: "audio" or "video"
    timings: tuple[int, ...] = ()  # a recording's: the second each page of its captions starts
    internal: bool = False  # for the agencies only: the viewer shows it when started so
    versions: tuple[str, ...] = ()  # ids of the same text in other files (a deck and its PDF)

    def __post_init__(self) -> None:
        # Whatever a file's metadata (or an older record) holds, no control character gets
        # into a record, and so into a page, a feed, an export or a terminal.
        _clean_fields(self, _TEXT_FIELDS)

    def moment(self, page: int) -> int | None:
        """For a recording with captions, the second a page of its text starts at."""
        return self.timings[page - 1] if 0 < page <= len(self.timings) else None

    def person_values(self) -> dict[str, Any]:
        """The values a person set (or cleared), by field name."""
        return {name: getattr(self, name) for name in self.manual}

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("date", "event_date"):
            value = getattr(self, name)
            data[name] = str(value) if value else None
        for name, value in data.items():
            if isinstance(value, tuple):
                data[name] = list(value)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name not in known:
                continue
            if name in ("date", "event_date"):
                value = PartialDate.parse(value, interval=name == "event_date") if value else None
            elif isinstance(value, list):
                value = tuple(value)
            values[name] = value
        return cls(**values)


EVENT_TEXT_FIELDS = ("name", "place", "organisers", "moderator")  # one line each
_LINK = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def checked_time(value: str | None) -> str | None:
    """A time of day as HH:MM (24 hours), or None for none."""
    if value and not _TIME.match(value.strip()):
        raise MetadataError(f"cannot read the time {value!r}; write it as HH:MM (24 hours)")
    return value.strip() if value else None


@dataclass(frozen=True)
class Speaker:
    name: str
    affiliation: str | None = None  # an agency or another body: "JAXA", "Brown University"

    def __str__(self) -> str:
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name


@dataclass(frozen=True)
class AgendaItem:
    """A talk, a panel or a discussion: its title, who spoke, and the archived documents it
    refers to (a deck, its PDF, a recording), by id."""

    title: str
    start: str | None = None  # HH:MM
    speakers: tuple[Speaker, ...] = ()
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Session:
    title: str
    day: PartialDate | None = None
    start: str | None = None  # HH:MM
    end: str | None = None
    items: tuple[AgendaItem, ...] = ()


def _clean_agenda(sessions: tuple[Session, ...]) -> tuple[Session, ...]:
    """The agenda with its texts on one line each, its times checked."""

    def item(given: AgendaItem) -> AgendaItem:
        speakers = tuple(
            Speaker(clean_field(s.name), clean_field(s.affiliation) if s.affiliation else None)
            for s in given.speakers
        )
        start = checked_time(given.start)
        return AgendaItem(clean_field(given.title), start, speakers, given.documents)

    return tuple(
        Session(
            clean_field(s.title),
            s.day,
            checked_time(s.start),
            checked_time(s.end),
            tuple(map(item, s.items)),
        )
        for s in sessions
    )


@dataclass(frozen=True)
class EventRecord:
    """A workshop or other event, as the archive keeps it in a file of its own.

    Documents name their event (`Document.event`, `event_date`); the record, found by the
    same slug (events.slug()), says what the documents cannot: the whole date range, where,
    who organised and moderated it, what it was about, and where to read more. The slug is
    given once, when the record is made, and kept when the name changes.
    """

    slug: str
    name: str
    date: PartialDate | None = None  # a day, or a range of days ("2016-02-10/2016-02-12")
    place: str | None = None
    organisers: tuple[str, ...] = ()
    moderator: str | None = None
    description: str = ""
    links: tuple[str, ...] = ()  # web pages about it: its announcement, its ISECG page
    agenda: tuple[Session, ...] = ()
    internal: bool = False  # for the agencies only: the viewer shows it when started so
    changed: str = ""

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise MetadataError("an event needs a name")
        _clean_fields(self, EVENT_TEXT_FIELDS)
        object.__setattr__(self, "description", xml_text(self.description))  # paragraphs kept
        object.__setattr__(self, "agenda", _clean_agenda(self.agenda))
        for link in self.links:
            if not _LINK.match(link):
                raise MetadataError(
                    f"cannot use the link {link!r}; give a web address starting with https://"
                )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = str(self.date) if self.date else None
        for name, value in data.items():
            if isinstance(value, tuple):
                data[name] = list(value)
        data["agenda"] = [
            {
                "title": session.title,
                "day": str(session.day) if session.day else None,
                "start": session.start,
                "end": session.end,
                "items": [
                    {
                        "title": item.title,
                        "start": item.start,
                        "speakers": [asdict(speaker) for speaker in item.speakers],
                        "documents": list(item.documents),
                    }
                    for item in session.items
                ],
            }
            for session in self.agenda
        ]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EventRecord:
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name not in known:
                continue
            if name == "date":
                value = PartialDate.parse(value, interval=True) if value else None
            elif name == "agenda":
                value = tuple(_session(session) for session in value or ())
            elif isinstance(value, list):
                value = tuple(value)
            values[name] = value
        return cls(**values)


def _session(data: dict[str, Any]) -> Session:
    items = tuple(
        AgendaItem(
            item["title"],
            item.get("start"),
            tuple(Speaker(s["name"], s.get("affiliation")) for s in item.get("speakers") or ()),
            tuple(item.get("documents") or ()),
        )
        for item in data.get("items") or ()
    )
    day = PartialDate.parse(data["day"]) if data.get("day") else None
    return Session(data["title"], day, data.get("start"), data.get("end"), items)


def seconds(when: str) -> int:
    """An ISO 8601 time (`changed`, `ingested`) in whole seconds since the epoch; 0 for none."""
    if not when:
        return 0
    try:
        moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        return 0
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


CHANGED = "%Y-%m-%dT%H:%M:%SZ"  # the form of Document.changed


def now() -> str:
    """This moment as `changed` holds it."""
    return datetime.now(UTC).strftime(CHANGED)


def moment(seconds: int) -> str:
    """Seconds since the epoch as `changed` (and OAI-PMH's datestamps) hold them."""
    return datetime.fromtimestamp(seconds, UTC).strftime(CHANGED)


def document_json(document: Document, pages: tuple[str, ...]) -> dict[str, Any]:
    """A document with its text page by page: the shape of `show --json` and the API."""
    return {
        "document": document.to_dict(),
        "pages": [{"page": number, "text": text} for number, text in enumerate(pages, start=1)],
    }
