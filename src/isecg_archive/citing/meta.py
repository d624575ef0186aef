"""Citation metadata embedded in a document's page, for reference managers' browser connectors.

Zotero, Mendeley and Google Scholar read the Highwire Press tags (`citation_*`) and Dublin Core
(`DC.*`) from <meta> elements; `citation_pdf_url` lets them save the PDF with the item.
"""

from __future__ import annotations

import mimetypes

from isecg_archive.citing.kinds import kind_of
from isecg_archive.citing.links import Links
from isecg_archive.storage.records import Document, PartialDate

WORKSHOP_TYPES = ("presentation", "workshop-summary")


def _slashed(date: PartialDate) -> str:
    """Highwire's YYYY/MM/DD, to the precision the record has: "2020/12"."""
    return str(date).replace("-", "/")


def citation_meta(document: Document, links: Links) -> list[tuple[str, str]]:
    """(name, content) of each <meta> element, in order; names repeat for lists."""
    kind = kind_of(document.type)
    bodies = "; ".join((*document.agencies, *document.organisations))
    meta = [("citation_title", document.title)]
    meta += [("citation_author", author) for author in document.authors]
    if document.date:
        meta.append(("citation_publication_date", _slashed(document.date)))
    if bodies:
        meta.append(("citation_publisher", bodies))
        if kind.bibtex == "techreport":
            meta.append(("citation_technical_report_institution", bodies))
    if document.event and (document.type in WORKSHOP_TYPES or document.event_date):
        meta.append(("citation_conference_title", document.event))
    if document.topics:
        meta.append(("citation_keywords", "; ".join(document.topics)))
    if document.format == "pdf":
        meta.append(("citation_pdf_url", links.original(document.id)))
    meta.append(("citation_public_url", links.document(document.id)))
    meta.append(("DC.title", document.title))
    meta += [("DC.creator", author) for author in document.authors]
    if document.date:
        meta.append(("DC.date", str(document.date)))
    meta.append(("DC.type", kind.genre or "Text"))
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
