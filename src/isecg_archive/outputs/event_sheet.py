"""The events as a spreadsheet: every event's record in CSV, and the edited sheet applied
(`catalogue export --events`, `catalogue import --events`).

One row per event: those with a record, and those only documents name (their name, dates and
place as the documents give them), so that a librarian can fill in every event at once. A row
with no slug is a new event, its slug made from its name and date as `event add` makes it.
Cells are written and read through spreadsheets.py, as the catalogue's are; lists (organisers,
links) are one cell, separated by "; ". The agenda has a sheet of its own (`event agenda`).

As with the catalogue, an import is checked whole: every problem is listed with its row and
column, and a sheet with any problem changes nothing; otherwise its changes are written in one
transaction, each in the history.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from isecg_archive.collection import Collection
from isecg_archive.errors import ArchiveError
from isecg_archive.events import Event, slug
from isecg_archive.outputs.catalogue import Problem, open_sheet
from isecg_archive.outputs.spreadsheets import cell, listed, value_of
from isecg_archive.storage.records import EventRecord, PartialDate

COLUMNS = ("slug", "name", "date", "place", "organisers", "moderator", "description", "links")
LISTS = ("organisers", "links")


def write_events(events: Iterable[Event], handle: TextIO) -> int:
    """Write the sheet; the number of rows written."""
    writer = csv.writer(handle)
    writer.writerow(COLUMNS)
    count = 0
    for event in events:
        data = event.own_record().to_dict()
        writer.writerow([cell(data[name]) for name in COLUMNS])
        count += 1
    return count


@dataclass(frozen=True)
class EventsPlan:
    records: tuple[EventRecord, ...]  # new or changed, as they will be written
    problems: tuple[Problem, ...]
    rows: int


def plan_events(collection: Collection, path: Path) -> EventsPlan:
    """Read an edited events sheet and work out the records it changes, or its problems."""
    known = {event.slug: event.own_record() for event, _ in collection.events()}
    problems: list[Problem] = []
    changed: list[EventRecord] = []
    rows = 0
    with open_sheet(path) as handle:
        try:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            problems += [
                Problem(1, name, f"no such column; the columns are {', '.join(COLUMNS)}")
                for name in header
                if name not in COLUMNS
            ]
            if "name" not in header:
                problems.append(
                    Problem(1, "name", "there is no name column; keep the exported one")
                )
            if problems:
                return EventsPlan((), tuple(problems), 0)
            seen: dict[str, int] = {}
            for number, row in enumerate(reader, start=2):
                rows += 1
                record = _record(row, number, known, problems)
                if record is None:
                    continue
                if record.slug in seen:
                    problems.append(
                        Problem(number, "slug", f"the event of row {seen[record.slug]} again")
                    )
                    continue
                seen[record.slug] = number
                old = known.get(record.slug)
                if old is None or replace(record, changed=old.changed, agenda=old.agenda) != old:
                    changed.append(record if old is None else replace(record, agenda=old.agenda))
        except (csv.Error, UnicodeDecodeError) as exc:
            problems.append(Problem(rows + 2, "-", f"the file is not CSV as exported ({exc})"))
    return EventsPlan(tuple(changed), tuple(problems), rows)


def _record(
    row: dict[str | None, Any], number: int, known: dict[str, EventRecord], problems: list[Problem]
) -> EventRecord | None:
    if None in row or any(value is None for value in row.values()):
        problems.append(Problem(number, "-", "the row has more or fewer cells than the header"))
        return None
    values = {name: value_of((row.get(name) or "").strip()) for name in COLUMNS}
    fields: dict[str, Any] = {}
    before = len(problems)
    try:
        fields["date"] = (
            PartialDate.parse(values["date"], interval=True) if values["date"] else None
        )
    except ArchiveError as exc:
        problems.append(Problem(number, "date", str(exc)))
    for name in LISTS:
        fields[name] = tuple(listed(values[name]))
    for name in ("place", "moderator"):
        fields[name] = " ".join(values[name].split()) or None
    fields["description"] = values["description"]
    found = values["slug"] or slug(values["name"], fields.get("date"))
    if values["slug"] and found not in known:
        problems.append(
            Problem(number, "slug", f"no event {found!r}; leave the slug empty for a new event")
        )
    name = " ".join(values["name"].split())
    if not name:
        problems.append(Problem(number, "name", "an event needs a name"))
    if len(problems) > before:
        return None
    try:
        return EventRecord(found, name, **fields)
    except ArchiveError as exc:  # what the name, dates and lists leave: a link that is not one
        problems.append(Problem(number, "links", str(exc)))
        return None


def apply_events(collection: Collection, plan: EventsPlan) -> list[EventRecord]:
    """Write a plan without problems, all at once; the records written."""
    if plan.problems:
        raise ArchiveError("the sheet has problems; nothing was applied")
    with collection.writing(), collection.archive.transaction("import") as transaction:
        return [transaction.write_event(record) for record in plan.records]
