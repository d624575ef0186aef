"""The catalogue as a spreadsheet: every record's metadata in CSV, and the edited sheet applied.

One row per document, one column per field; a list is one cell, its values separated by "; "
(LIST_SEPARATOR); `internal` is "yes" for a document for the agencies only, empty otherwise.
The file is UTF-8 with a byte order mark, which Excel needs to read it as UTF-8 and LibreOffice
Calc and Python's csv module (encoding "utf-8-sig") take as it is. Cells are written and read
through spreadsheets.py, so that no value runs as a formula and each comes back as it was.

An import is checked whole before anything is written: every problem is listed with its row and
column, and a sheet with any problem applies nothing. A sheet without problems is applied in
one transaction; each value changed in the sheet becomes a person's value (`manual`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from isecg_archive.cleantext import refuse_controls
from isecg_archive.collection import Collection
from isecg_archive.enrich import Vocabulary
from isecg_archive.enrich.metadata import EDITABLE, LISTS
from isecg_archive.errors import ArchiveError, MetadataError
from isecg_archive.maintenance.corrections import Change, apply_corrections
from isecg_archive.outputs.spreadsheets import cell, listed, value_of
from isecg_archive.storage.records import DOCUMENT_TYPES, Document, PartialDate

COLUMNS = ("id", "file", *EDITABLE, "internal", "manual")
# What identifies a row, and what the import works out itself: "manual" is there to read, and
# is left alone (an import marks what it changes as a person's).
READ_ONLY = ("id", "file", "manual")
# What `internal` may say (any case): as written, and as spreadsheets write a checkbox's state.
YES, NO = ("yes", "y", "true", "x", "1"), ("", "no", "n", "false", "0")
ENCODING = "utf-8-sig"


def write_catalogue(documents: Iterator[Document], handle: TextIO) -> int:
    """Write the sheet, a record at a time; the number of rows written."""
    writer = csv.writer(handle)
    writer.writerow(COLUMNS)
    count = 0
    for document in documents:
        data = document.to_dict() | {"internal": "yes" if document.internal else ""}
        writer.writerow([cell(data[name]) for name in COLUMNS])
        count += 1
    return count


@dataclass(frozen=True)
class Problem:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass(frozen=True)
class ImportPlan:
    values: dict[str, dict[str, Any]]  # id -> field -> new value, for the fields that change
    problems: tuple[Problem, ...]
    rows: int
    records: dict[str, Document] = field(default_factory=dict)  # as read, by id


def open_sheet(path: Path) -> TextIO:
    """An edited sheet, to read as CSV; one line saying why when it cannot be read."""
    try:
        return path.open(encoding=ENCODING, newline="")
    except OSError as exc:
        raise ArchiveError(f"cannot read {path} ({exc.strerror})") from None


def plan_import(collection: Collection, path: Path) -> ImportPlan:
    """Read an edited sheet and work out what it changes, or every problem it has."""
    vocabulary = collection.vocabulary
    problems: list[Problem] = []
    values: dict[str, dict[str, Any]] = {}
    records = {document.id: document for document in collection.archive.records()}
    rows = 0
    with open_sheet(path) as handle:
        try:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            unknown = [name for name in header if name not in COLUMNS]
            if "id" not in header:
                problems.append(Problem(1, "id", "there is no id column; keep the exported one"))
            problems += [
                Problem(1, name, f"no such column; the columns are {', '.join(COLUMNS)}")
                for name in unknown
            ]
            if problems:
                return ImportPlan({}, tuple(problems), 0, records)
            seen: dict[str, int] = {}
            for number, row in enumerate(reader, start=2):
                rows += 1
                document_id = (row.get("id") or "").strip().lower()
                document = records.get(document_id)
                if document is None:
                    problems.append(Problem(number, "id", f"no document {document_id!r} here"))
                    _row_changes(None, row, number, vocabulary, problems)  # its other problems
                    continue
                if document_id in seen:
                    problems.append(
                        Problem(number, "id", f"the document of row {seen[document_id]} again")
                    )
                    continue
                seen[document_id] = number
                changed = _row_changes(document, row, number, vocabulary, problems)
                if changed:
                    values[document_id] = changed
        except (csv.Error, UnicodeDecodeError) as exc:
            problems.append(Problem(rows + 2, "-", f"the file is not CSV as exported ({exc})"))
    return ImportPlan(values, tuple(problems), rows, records)


def _row_changes(
    document: Document | None,
    row: dict[str, Any],
    number: int,
    vocabulary: Vocabulary,
    problems: list[Problem],
) -> dict[str, Any]:
    current = document.to_dict() if document else {}
    changed: dict[str, Any] = {}
    for name, text in row.items():
        if name is None or text is None:  # a row longer or shorter than the header
            problems.append(Problem(number, "-", "the row has more or fewer cells than the header"))
            continue
        text = value_of(text.strip())
        if name in READ_ONLY:
            if name == "file" and document and text != current[name]:
                problems.append(
                    Problem(
                        number,
                        name,
                        "a file is not moved by an import; put back its name, or ingest it"
                        " again under the new one",
                    )
                )
            continue
        try:
            value = _value(name, text, vocabulary)
            refuse_controls(name, value)
        except MetadataError as exc:
            problems.append(Problem(number, name, str(exc)))
            continue
        if document is not None and value != getattr(document, name):
            changed[name] = value
    return changed


def _value(name: str, text: str, vocabulary: Vocabulary) -> Any:
    if name == "internal":
        if text.lower() not in YES + NO:
            raise MetadataError(
                f"cannot read {text!r}; write yes for the agencies only, or leave it empty"
            )
        return text.lower() in YES
    if name in LISTS:
        return tuple(dict.fromkeys(vocabulary.value(name, part) for part in listed(text)))
    if name in ("date", "event_date"):
        return PartialDate.parse(text, interval=name == "event_date") if text else None
    if name == "type":
        if text not in DOCUMENT_TYPES:
            raise MetadataError(f"unknown type {text!r}; use one of {', '.join(DOCUMENT_TYPES)}")
        return text
    if name == "title":
        if not text:
            raise MetadataError("a title cannot be empty")
        return " ".join(text.split())
    return " ".join(text.split()) or None  # event, event_place


def apply_import(collection: Collection, plan: ImportPlan) -> list[tuple[Document, list[Change]]]:
    """Apply a plan without problems, all at once."""
    if plan.problems:
        raise MetadataError("the sheet has problems; nothing was applied")
    return apply_corrections(collection, plan.values, "import", plan.records)
