"""Event pages: every workshop the records name, and each one's documents by type and agency."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, render_template

from isecg_archive.errors import DocumentNotFound
from isecg_archive.events import Event, split_by_day
from isecg_archive.storage.records import DOCUMENT_TYPES, Document
from isecg_archive.web.views import blueprint, collection

PLURALS = {
    "presentation": "Presentations",
    "workshop-summary": "Workshop summaries",
    "white-paper": "White papers",
    "roadmap": "Roadmaps",
    "report": "Reports",
    "news": "News",
    "other": "Other documents",
}


@dataclass(frozen=True)
class AgencyGroup:
    agencies: str  # "ESA, JAXA", or "No agency"
    documents: tuple[Document, ...]


@dataclass(frozen=True)
class TypeGroup:
    type: str
    label: str
    agencies: tuple[AgencyGroup, ...]


def grouped(documents: list[Document]) -> tuple[TypeGroup, ...]:
    """The documents by type (in the order of DOCUMENT_TYPES), then by agencies, then by date."""
    groups = []
    for kind in DOCUMENT_TYPES:
        of_kind = [d for d in documents if d.type == kind]
        if not of_kind:
            continue
        by_agency: dict[str, list[Document]] = {}
        for document in of_kind:
            by_agency.setdefault(", ".join(document.agencies) or "No agency", []).append(document)
        agencies = tuple(
            AgencyGroup(
                name, tuple(sorted(docs, key=lambda d: (d.date.key if d.date else 0, d.title)))
            )
            for name, docs in sorted(
                by_agency.items(), key=lambda item: (item[0] == "No agency", item[0])
            )
        )
        groups.append(TypeGroup(kind, PLURALS[kind], agencies))
    return tuple(groups)


@blueprint.get("/events")
def events() -> Any:
    found: list[Event] = [event for event, _ in collection().events()]
    upcoming, completed = split_by_day(found)
    return render_template("events.html", upcoming=upcoming, completed=completed)


@blueprint.get("/events/<slug>")
def event(slug: str) -> Any:
    try:
        found, documents = collection().event(slug)
    except DocumentNotFound:
        abort(404)
    return render_template("event.html", event=found, groups=grouped(documents))
