"""Citation metadata embedded in a document's page, for reference managers' browser connectors.

Zotero, Mendeley and Google Scholar read the Highwire Press tags (`citation_*`) and Dublin Core
(`DC.*`) from <meta> elements; `citation_pdf_url` lets them save the PDF with the item.
"""

from __future__ import annotations

import mimetypes

from isecg_archive.citing.creators import Creator, creators
from isecg_archive.citing.kinds import kind_of
from isecg_archive.citing.links import Links
from isecg_archive.storage.records import Document, PartialDate

WORKSHOP_TYPES = ("presentation", "workshop-summary")


def _scholar_date(date: PartialDate) -> str:
    """The date as Google Scholar takes it: YYYY/MM/DD when the day is known, else the year
    alone (Scholar reads no month without a day)."""
    return str(date).replace("-", "/") if date.day else str(date.year)


def _highwire_name(creator: Creator, alone: bool) -> str:
    """A person as Family, Given. A body of several words as its name and a comma, the inverted
    form with no given name, which Zotero keeps whole as a family name (it would make "European
    Space Agency" a person, Agency, European Space); a one-word body as it is.

    Zotero splits a page's only author at its commas into several when words on both sides
    have spaces ("van Beethoven, Ludwig Maria"): such a name is written Given Family."""
    if not creator.is_person:
        return f"{creator.name}," if " " in creator.name else creator.name
    if alone and " " in creator.family and " " in creator.given:
        return creator.natural()
    return creator.inverted()


def citation_meta(document: Document, links: Links) -> list[tuple[str, str]]:
    """(name, content) of each <meta> element, in order; names repeat for lists."""
    kind = kind_of(document.type)
    bodies = "; ".join((*document.agencies, *document.organisations))
    made_by = creators(document)
    meta = [("citation_title", document.title)]
    meta += [("citation_author", _highwire_name(c, alone=len(made_by) == 1)) for c in made_by]
    if document.date:
        meta.append(("citation_publication_date", _scholar_date(document.date)))
    if bodies:
        meta.append(("citation_publisher", bodies))
    # At most one tag that names the kind of item, so that Zotero makes one type of it (the
    # last such tag wins there): a report's institution, else a talk's conference. Without
    # one, Zotero takes the first DC.type when it is one of its item types.
    if bodies and kind.bibtex == "report":
        meta.append(("citation_technical_report_institution", bodies))
    elif document.event and document.type in WORKSHOP_TYPES:
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
    meta += [("DC.type", name) for name in dict.fromkeys((kind.zotero, "Text", document.type))]
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
