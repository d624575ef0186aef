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
    text = json.dumps(json_ld(document, links), ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


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
