"""Event pages: every workshop the records name, and each one's documents by type and agency."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import abort, render_template, request
from markupsafe import Markup

from isecg_archive.citing.linked import event_json_ld, script_text
from isecg_archive.errors import ArchiveError, DocumentNotFound
from isecg_archive.events import Event, split_by_day
from isecg_archive.outputs.exporting import FORMATS
from isecg_archive.search import MAX_PER_PAGE, Hit, SearchRequest
from isecg_archive.storage.records import DOCUMENT_TYPES, AgendaItem, Document, Session
from isecg_archive.web.views import blueprint, collection, links

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


@dataclass(frozen=True)
class ShownItem:
    item: AgendaItem
    documents: tuple[Document, ...]  # those of its documents in the archive


@dataclass(frozen=True)
class ShownSession:
    session: Session
    items: tuple[ShownItem, ...]


def agenda(found: Event, documents: list[Document]) -> tuple[ShownSession, ...]:
    """The event's agenda, each item with the archived documents it names."""
    if found.record is None:
        return ()
    by_id = {document.id: document for document in documents}
    missing = {i for s in found.record.agenda for item in s.items for i in item.documents}
    missing -= by_id.keys()
    if missing:  # documents of the agenda not filed under the event
        for document_id in sorted(missing):
            with suppress(DocumentNotFound):
                by_id[document_id] = collection().find(document_id)
    return tuple(
        ShownSession(
            session,
            tuple(
                ShownItem(item, tuple(by_id[i] for i in item.documents if i in by_id))
                for item in session.items
            ),
        )
        for session in found.record.agenda
    )


@blueprint.get("/events/<slug>")
def event(slug: str) -> Any:
    try:
        found, documents = collection().event(slug)
    except DocumentNotFound:
        abort(404)
    sessions = agenda(found, documents)
    query, hits, problem = _hits(found, documents)
    on_agenda = {d.id for s in sessions for shown in s.items for d in shown.documents}
    summaries = [d for d in documents if d.type == "workshop-summary"]
    others = [d for d in documents if d.id not in on_agenda and d.type != "workshop-summary"]
    return render_template(
        "event.html",
        event=found,
        summaries=sorted(summaries, key=lambda d: (d.date.key if d.date else 0, d.title)),
        agenda=sessions,
        groups=grouped(others),
        json_ld=Markup(script_text(event_json_ld(found, documents, links()))),
        formats=FORMATS,
        query=query,
        hits=hits,
        problem=problem,
        state=f"?{urlencode({'q': query})}" if query else "",
    )


def _hits(found: Event, documents: list[Document]) -> tuple[str, dict[str, Hit], str | None]:
    """The event page's search (?q=): its documents' hits by id, each with the pages that
    match."""
    query = request.args.get("q", "").strip()
    if not query or not documents:
        return query, {}, None
    wanted = SearchRequest(query, events=(found.slug,), per_page=MAX_PER_PAGE)
    try:
        result = collection().search(wanted)
    except ArchiveError as exc:
        return query, {}, f"{exc}"
    return query, {hit.document.id: hit for hit in result.hits}, None
