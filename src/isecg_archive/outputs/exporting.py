"""Exports: documents' records written out, one at a time, in the formats other tools read.

Each format is a head, one chunk per document and a tail, so that an export of any size is
written as it is read and never held whole in memory.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields

from isecg_archive.citing import Links, bibtex_entry, csl_item, ris_entry
from isecg_archive.errors import QueryError
from isecg_archive.outputs.spreadsheets import BOM, row
from isecg_archive.storage.records import Document

CSV_COLUMNS = (*(f.name for f in fields(Document)), "url")


@dataclass(frozen=True)
class ExportFormat:
    name: str
    media_type: str
    extension: str
    entry: Callable[[Document, Links, bool], str]  # (document, links, first) -> its chunk
    head: str = ""
    tail: str = ""


def csv_values(document: Document, links: Links) -> list[object]:
    """One CSV row's values: every field of the record, then the URL."""
    data = document.to_dict()
    return [*(data[name] for name in CSV_COLUMNS[:-1]), links.document(document.id)]


def _jsonl(document: Document, links: Links, first: bool) -> str:
    data = {**document.to_dict(), "url": links.document(document.id)}
    return json.dumps(data, ensure_ascii=False) + "\n"


def _csl_json(document: Document, links: Links, first: bool) -> str:
    item = json.dumps(csl_item(document, links), ensure_ascii=False, indent=2)
    return ("" if first else ",\n") + "  " + item.replace("\n", "\n  ")


FORMATS = {
    f.name: f
    for f in (
        ExportFormat(
            "csv",
            "text/csv; charset=utf-8",
            "csv",
            lambda d, links, first: row(csv_values(d, links)),
            head=BOM + row(CSV_COLUMNS),
        ),
        ExportFormat("jsonl", "application/jsonl; charset=utf-8", "jsonl", _jsonl),
        ExportFormat(
            "bibtex",
            "application/x-bibtex; charset=utf-8",
            "bib",
            lambda d, links, first: ("" if first else "\n") + bibtex_entry(d, links),
        ),
        ExportFormat(
            "ris",
            "application/x-research-info-systems; charset=utf-8",
            "ris",
            lambda d, links, first: ris_entry(d, links),
        ),
        ExportFormat(
            "csl-json",
            "application/vnd.citationstyles.csl+json; charset=utf-8",
            "json",
            _csl_json,
            head="[\n",
            tail="\n]\n",
        ),
    )
}


def export_format(name: str) -> ExportFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise QueryError(f"unknown format {name!r}; use one of {', '.join(FORMATS)}") from None


def as_reference(document: Document, format: str, links: Links) -> str:
    """One document in a format, whole: a reference to download or append to a file."""
    return "".join(export([document], format, links))


def export(documents: Iterable[Document], format: str, links: Links) -> Iterator[str]:
    """The documents in a format, a chunk at a time."""
    chosen = export_format(format)
    yield chosen.head
    for number, document in enumerate(documents):
        yield chosen.entry(document, links, number == 0)
    if chosen.tail:
        yield chosen.tail
