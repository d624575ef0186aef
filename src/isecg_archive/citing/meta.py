"""Citation metadata embedded in a document's page, for reference managers' browser connectors.

Zotero, Mendeley and Google Scholar read the Highwire Press tags (`citation_*`) and Dublin Core
(`DC.*`) from <meta> elements; `citation_pdf_url` lets them save the PDF with the item.
"""

from __future__ import annotations

import mimetypes

from isecg_archive.citing.creators import creators
from isecg_archive.citing.kinds import kind_of
from isecg_archive.citing.links import Links
from isecg_archive.storage.records import Document, PartialDate

WORKSHOP_TYPES = ("presentation", "workshop-summary")


def _scholar_date(date: PartialDate) -> str:
    """The date as Google Scholar takes it: YYYY/MM/DD when the day is known, else the year
    alone (Scholar reads no month without a day)."""
    return str(date).replace("-", "/") if date.day else str(date.year)


def citation_meta(document: Document, links: Links) -> list[tuple[str, str]]:
    """(name, content) of each <meta> element, in order; names repeat for lists."""
    kind = kind_of(document.type)
    bodies = "; ".join((*document.agencies, *document.organisations))
    made_by = creators(document)
    meta = [("citation_title", document.title)]
    meta += [("citation_author", creator.inverted()) for creator in made_by]
    if document.date:
        meta.append(("citation_publication_date", _scholar_date(document.date)))
    if bodies:
        meta.append(("citation_publisher", bodies))
    # One tag that names the kind of item, so that Zotero makes one type of it (the last such
    # tag wins there): a report's institution, else a talk's conference.
    if bodies and kind.bibtex == "report":
        meta.append(("citation_technical_report_institution", bodies))
    elif document.event and (document.type in WORKSHOP_TYPES or document.event_date):
        meta.append(("citation_conference_title", document.event))
    if document.topics:
        meta.append(("citation_keywords", "; ".join(document.topics)))
    if document.format == "pdf":
        meta.append(("citation_pdf_url", links.original(document.id)))
    meta.append(("citation_public_url", links.document(document.id)))
    meta.append(("DC.title", document.title))
    meta += [("DC.creator", creator.inverted()) for creator in made_by]
    if document.date:
        meta.append(("DC.date", str(document.date)))
    meta += [("DC.type", "Text"), ("DC.type", document.type)]
    if bodies:
        meta.append(("DC.publisher", bodies))
    meta += [("DC.subject", topic) for topic in document.topics]
    if document.event:
        meta.append(("DC.relation", document.event))
    meta.append(("DC.identifier", links.document(document.id)))
    media = mimetypes.guess_type(document.file)[0]
    if media:
        meta.append(("DC.format", media))
    return meta
