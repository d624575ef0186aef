"""A document page as machines read it: schema.org JSON-LD, and FAIR Signposting links.

Search engines and harvesters read the JSON-LD in the page (the document as a Report, a
PresentationDigitalDocument or a NewsArticle, its creators as the persons and organisations
of citing/creators.py, its event as an Event with its dates and place). Signposting
(https://signposting.org/FAIR/) puts the same pointers in HTTP Link headers, so that a client
finds the address to cite, the metadata and the file without parsing HTML: `cite-as`,
`describedby`, `item` and `type` on the page, `collection` and `cite-as` on the file.
"""

from __future__ import annotations

import json
import mimetypes
from typing import Any

from isecg_archive.citing.creators import Creator, creators
from isecg_archive.citing.links import Links
from isecg_archive.events import Event
from isecg_archive.storage.records import Document

SCHEMA_TYPES = {
    "presentation": "PresentationDigitalDocument",
    "news": "NewsArticle",
    "report": "Report",
    "workshop-summary": "Report",
    "white-paper": "Report",
    "roadmap": "Report",
}
# The reference formats a page's metadata is described by: extension, media type.
DESCRIBED_BY = (
    ("json", "application/vnd.citationstyles.csl+json"),
    ("bib", "application/x-bibtex"),
    ("ris", "application/x-research-info-systems"),
)


def schema_type(document: Document) -> str:
    return SCHEMA_TYPES.get(document.type, "DigitalDocument")


def _thing(creator: Creator) -> dict[str, str]:
    if creator.is_person:
        return {
            "@type": "Person",
            "name": creator.natural(),
            "familyName": creator.family,
            **({"givenName": creator.given} if creator.given else {}),
        }
    return {"@type": "Organization", "name": creator.name}


def json_ld(document: Document, links: Links) -> dict[str, Any]:
    """The document as a schema.org item."""
    address = links.document(document.id)
    item: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": schema_type(document),
        "@id": address,
        "url": address,
        "name": document.title,
        "identifier": address,
    }
    if made_by := creators(document):
        item["author"] = [_thing(creator) for creator in made_by]
    bodies = (*document.agencies, *document.organisations)
    if bodies and document.authors:
        item["publisher"] = [{"@type": "Organization", "name": body} for body in bodies]
    if document.date:
        item["datePublished"] = str(document.date)
    if document.changed:
        item["dateModified"] = document.changed
    if document.topics:
        item["keywords"] = list(document.topics)
    media = mimetypes.guess_type(document.file)[0]
    item["encoding"] = {
        "@type": "MediaObject",
        "contentUrl": links.original(document.id),
        **({"encodingFormat": media} if media else {}),
    }
    if document.event:
        event: dict[str, Any] = {"@type": "Event", "name": document.event}
        if document.event_date:
            event["startDate"] = str(document.event_date.start)
            if document.event_date.end:
                event["endDate"] = str(document.event_date.end)
        if document.event_place:
            event["location"] = {"@type": "Place", "name": document.event_place}
        item["about"] = event
    return item


def json_ld_script(document: Document, links: Links) -> str:
    """The JSON-LD as the text of a <script> element: nothing in it can end the element."""
    return script_text(json_ld(document, links))


def script_text(item: dict[str, Any]) -> str:
    """JSON-LD as the text of a <script> element: nothing in it can end the element."""
    text = json.dumps(item, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def event_json_ld(event: Event, documents: list[Document], links: Links) -> dict[str, Any]:
    """An event page as a schema.org Event: its dates, place, organisers, description, links
    (sameAs), its documents (subjectOf), and its agenda as sub-events: each session, and in it
    each item with its speakers (performer, with their affiliation) and documents."""
    address = links.event(event.slug)
    item: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": address,
        "url": address,
        "name": event.heading,
    }
    if event.first:
        item["startDate"] = str(event.first)
        if event.last and event.last != event.first:
            item["endDate"] = str(event.last)
    if event.place:
        item["location"] = {"@type": "Place", "name": event.place}
    record = event.record
    by_id = {document.id: document for document in documents}

    def work(document_id: str) -> dict[str, Any]:
        document = by_id.get(document_id)
        found = {"@type": schema_type(document), "name": document.title} if document else {}
        return {"@type": "CreativeWork", **found, "url": links.document(document_id)}

    if record is not None:
        if record.description:
            item["description"] = record.description
        if record.organisers:
            item["organizer"] = [{"@type": "Organization", "name": n} for n in record.organisers]
        if record.links:
            item["sameAs"] = list(record.links)
        sessions = []
        for session in record.agenda:
            part: dict[str, Any] = {"@type": "Event", "name": session.title}
            if session.day:
                part["startDate"] = _moment(session.day, session.start)
                if session.end:
                    part["endDate"] = _moment(session.day, session.end)
            talks = []
            for agenda_item in session.items:
                talk: dict[str, Any] = {"@type": "Event", "name": agenda_item.title}
                if session.day and agenda_item.start:
                    talk["startDate"] = _moment(session.day, agenda_item.start)
                if agenda_item.speakers:
                    talk["performer"] = [
                        {
                            "@type": "Person",
                            "name": speaker.name,
                            **(
                                {"affiliation": {"@type": "Organization", "name": affiliation}}
                                if (affiliation := speaker.affiliation)
                                else {}
                            ),
                        }
                        for speaker in agenda_item.speakers
                    ]
                if agenda_item.documents:
                    talk["subjectOf"] = [work(i) for i in agenda_item.documents]
                talks.append(talk)
            if talks:
                part["subEvent"] = talks
            sessions.append(part)
        if sessions:
            item["subEvent"] = sessions
    if documents:
        item["subjectOf"] = [work(document.id) for document in documents]
    return item


def _moment(day: Any, time: str | None) -> str:
    """A day, with its time of day if known (ISO 8601)."""
    return f"{day}T{time}" if time and day.day else str(day)


def page_signposts(document: Document, links: Links) -> str:
    """The Link header of a document's page."""
    address = links.document(document.id)
    media = mimetypes.guess_type(document.file)[0] or "application/octet-stream"
    targets = [
        f'<{address}>; rel="cite-as"',
        *(
            f'<{address}/cite.{extension}>; rel="describedby"; type="{kind}"'
            for extension, kind in DESCRIBED_BY
        ),
        f'<{links.original(document.id)}>; rel="item"; type="{media}"',
        f'<https://schema.org/{schema_type(document)}>; rel="type"',
        '<https://schema.org/AboutPage>; rel="type"',
    ]
    return ", ".join(targets)


def file_signposts(document: Document, links: Links) -> str:
    """The Link header of a document's file: the page it belongs to, and what to cite."""
    address = links.document(document.id)
    return f'<{address}>; rel="collection", <{address}>; rel="cite-as"'
