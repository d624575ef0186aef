"""An event's agenda as a spreadsheet: written out, edited, read back (`event agenda`).

One row per agenda item, in order:

    session,day,start,end,title,speakers,documents
    Opening,2016-02-10,09:00,10:30,Welcome,"Jane Doe (NASA); Taro Yamada (JAXA)",d0d8f68dba87

`session` groups the items (the rows of a session come one after the other); its `day`, and
its `end`, are taken from its rows that give them, and it starts with its first item. Speakers
are separated by "; ", each with their affiliation in brackets; documents are archived
documents' ids (or their first six characters or more), separated by "; ". Cells are written
and read through spreadsheets.py, as the catalogue's are. A sheet with any problem changes
nothing: every problem is listed with its row.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from typing import TextIO

from isecg_archive.errors import ArchiveError, MetadataError
from isecg_archive.outputs.spreadsheets import cell, listed, value_of
from isecg_archive.storage.records import (
    AgendaItem,
    PartialDate,
    Session,
    Speaker,
    checked_time,
)

COLUMNS = ("session", "day", "start", "end", "title", "speakers", "documents")
ENCODING = "utf-8-sig"
_SPEAKER = re.compile(r"^(?P<name>[^()]+?)\s*(?:\((?P<affiliation>[^()]*)\))?$")


def write_agenda(sessions: Iterable[Session], handle: TextIO) -> None:
    writer = csv.writer(handle)
    writer.writerow(COLUMNS)
    for session in sessions:
        for number, item in enumerate(session.items or (AgendaItem(""),)):
            last = number == len(session.items) - 1
            writer.writerow(
                cell(value)
                for value in (
                    session.title,
                    session.day if number == 0 else None,
                    item.start or (session.start if number == 0 else None),
                    session.end if last else None,
                    item.title,
                    [str(speaker) for speaker in item.speakers],
                    list(item.documents),
                )
            )


def read_agenda(handle: TextIO, document_id: Callable[[str], str]) -> tuple[Session, ...]:
    """The sessions of a sheet; `document_id` gives the full id of an id or its prefix (and
    raises ArchiveError for one that is not archived)."""
    reader = csv.DictReader(handle)
    missing = [name for name in ("session", "title") if name not in (reader.fieldnames or ())]
    if missing:
        raise MetadataError(
            f"the agenda has no {' or '.join(missing)} column; its first row names the columns:"
            f" {','.join(COLUMNS)}"
        )
    problems: list[str] = []
    sessions: list[tuple[str, dict[str, str | None], list[AgendaItem]]] = []
    for row_number, raw in enumerate(reader, start=2):
        row = {name: value_of((raw.get(name) or "").strip()) for name in COLUMNS}
        try:
            if not row["session"]:
                raise MetadataError("no session")
            if not sessions or sessions[-1][0] != row["session"]:
                sessions.append((row["session"], {"day": None, "start": None, "end": None}, []))
            times = sessions[-1][1]
            checked_time(row["end"])
            if row["day"]:
                PartialDate.parse(row["day"])
            for name in ("day", "end"):
                times[name] = row[name] or times[name]
            times["start"] = times["start"] or row["start"] or None
            if row["title"]:
                speakers = tuple(_speaker(text) for text in listed(row["speakers"]))
                documents = tuple(document_id(text) for text in listed(row["documents"]))
                start = checked_time(row["start"])
                item = AgendaItem(row["title"], start, speakers, documents)
                sessions[-1][2].append(item)
        except ArchiveError as exc:
            problems.append(f"row {row_number}: {exc}")
    found = []
    for title, times, items in sessions:
        try:
            day = PartialDate.parse(times["day"]) if times["day"] else None
            found.append(Session(title, day, times["start"], times["end"], tuple(items)))
        except ArchiveError as exc:
            problems.append(f"session {title!r}: {exc}")
    if problems:
        raise MetadataError("the agenda was not changed: " + "; ".join(problems))
    return tuple(found)


def _speaker(text: str) -> Speaker:
    match = _SPEAKER.match(text)
    if not match:
        raise MetadataError(f"cannot read the speaker {text!r}; write Name (Affiliation)")
    affiliation = (match["affiliation"] or "").strip() or None
    return Speaker(match["name"].strip(), affiliation)
