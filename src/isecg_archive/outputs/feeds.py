"""Atom feeds (RFC 4287) of a search's newest matches, for feed readers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from isecg_archive.citing import Links, formatted_citation
from isecg_archive.citing.creators import creators
from isecg_archive.cleantext import xml_bytes
from isecg_archive.search import SearchRequest
from isecg_archive.storage.records import Document, seconds

if TYPE_CHECKING:
    from isecg_archive.collection import Collection

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 20  # entries in a feed: the matches changed last


@dataclass(frozen=True)
class FeedEntry:
    document: Document
    changed: int  # when its record last changed, in seconds since the epoch


def _when(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


FEED_PATH = "/feed.atom"


def search_feed(collection: Collection, search: SearchRequest, links: Links) -> bytes:
    """The feed of a search, the same from the viewer and the command line: its newest
    matches, its id the search's address under the base URL (the same search, the same id)."""
    wanted = replace(search, sort="updated", page=1, per_page=FEED_SIZE)
    result = collection.search(wanted)
    entries = [FeedEntry(hit.document, seconds(hit.document.changed)) for hit in result.hits]
    args = search.as_args()
    described = ", ".join(_described(search)) or "everything"
    return atom_feed(
        f"ISECG Archive: {described}",
        links.base + FEED_PATH + (f"?{urlencode(args)}" if args else ""),
        links.base + "/?" + urlencode([*args, ("sort", "updated")]),
        entries,
        links,
    )


def _described(search: SearchRequest) -> list[str]:
    parts = [f"“{search.query.strip()}”"] if search.query.strip() else []
    parts += [*search.agencies, *search.topics, *(t.replace("-", " ") for t in search.types)]
    parts += [*search.events, *search.organisations, *search.authors]
    if search.since or search.until:
        parts.append(f"{search.since or '…'} to {search.until or '…'}")
    return parts


def atom_feed(
    title: str, self_url: str, page_url: str, entries: Sequence[FeedEntry], links: Links
) -> bytes:
    """The feed: its own address (`self_url`), the search page it follows (`page_url`)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", self_url)
    _add(feed, "title", title)
    newest = max((entry.changed for entry in entries), default=0)
    _add(feed, "updated", _when(newest or int(datetime.now(UTC).timestamp())))
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=page_url)
    _add(_add(feed, "author"), "name", "ISECG Archive")
    _add(feed, "generator", "ISECG Archive")
    for entry in entries:
        _entry(feed, entry, links)
    return xml_bytes(feed)


def _entry(feed: ET.Element, entry: FeedEntry, links: Links) -> None:
    document = entry.document
    element = _add(feed, "entry")
    url = links.document(document.id)
    _add(element, "id", url)
    _add(element, "title", document.title)
    _add(element, "updated", _when(entry.changed))
    if document.ingested:
        _add(element, "published", document.ingested.replace("+00:00", "Z"))
    _add(element, "link", rel="alternate", type="text/html", href=url)
    if document.format == "pdf":
        _add(
            element,
            "link",
            rel="enclosure",
            type="application/pdf",
            href=links.original(document.id),
        )
    for creator in creators(document):
        _add(_add(element, "author"), "name", creator.natural())
    for agency in document.agencies:
        _add(element, "category", term=agency, label=agency, scheme=f"{links.base}/?agency=")
    for topic in document.topics:
        _add(element, "category", term=topic, scheme=f"{links.base}/?topic=")
    facts = [str(document.date) if document.date else "undated", document.type.replace("-", " ")]
    if document.event:
        facts.append(document.event)
    summary = " · ".join(facts) + "\n" + formatted_citation(document, links)
    _add(element, "summary", summary, type="text")
