"""CSL-JSON items, and citations formatted from them in a CSL style by citeproc-py."""

from __future__ import annotations

import html
import warnings
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from isecg_archive.citing.creators import Creator, creators
from isecg_archive.citing.kinds import kind_of
from isecg_archive.citing.links import Links
from isecg_archive.errors import QueryError
from isecg_archive.storage.records import Document, PartialDate

# Style name -> CSL file: APA 7th edition (shipped here), Harvard (shipped with citeproc-py).
STYLES = {
    "apa": ("isecg_archive.citing", "styles/apa.csl"),
    "harvard": ("citeproc", "data/styles/harvard-cite-them-right.csl"),
}


def _date(date: PartialDate) -> dict[str, Any]:
    """A CSL date with the precision the record has: [[2020]], [[2020, 12]] or [[2020, 12, 1]];
    a range as its two ends, [[2016, 2, 10], [2016, 2, 12]]."""
    ends = (date.start, date.end) if date.end else (date,)
    return {"date-parts": [[p for p in (d.year, d.month, d.day) if p] for d in ends]}


def _name(creator: Creator) -> dict[str, str]:
    if not creator.is_person:
        return {"literal": creator.name}
    parts = {"family": creator.family, "given": creator.given, "suffix": creator.suffix}
    return {key: value for key, value in parts.items() if value}


def csl_item(document: Document, links: Links) -> dict[str, Any]:
    """The document as a CSL-JSON item (the format of Zotero, Mendeley and pandoc)."""
    kind = kind_of(document.type)
    item: dict[str, Any] = {
        "id": document.id,
        "type": kind.csl,
        "title": document.title,
        "URL": links.document(document.id),
    }
    bodies = (*document.agencies, *document.organisations)
    if made_by := creators(document):
        item["author"] = [_name(creator) for creator in made_by]
    if document.authors and bodies:
        item["publisher"] = "; ".join(bodies)
    if document.date:
        item["issued"] = _date(document.date)
    if kind.genre:
        item["genre"] = kind.genre
    if document.event:
        item["event"] = document.event
    if document.event_date:
        item["event-date"] = _date(document.event_date)
    if document.event_place:
        item["event-place"] = document.event_place
    if document.topics:
        item["keyword"] = ", ".join(document.topics)
    if document.pages:
        item["number-of-pages"] = str(document.pages)
    return item


@cache
def _style(name: str) -> Any:
    """The CSL style, parsed once (citeproc-py and lxml are imported when first needed)."""
    from citeproc import CitationStylesStyle

    try:
        package, path = STYLES[name]
    except KeyError:
        raise QueryError(
            f"unknown citation style {name!r}; use one of {', '.join(STYLES)}"
        ) from None
    with resources.as_file(resources.files(package).joinpath(path)) as file:
        return CitationStylesStyle(str(Path(file)), validate=False)


def formatted_citation(
    document: Document, links: Links, style: str = "apa", as_html: bool = False
) -> str:
    """The bibliography entry for the document in a CSL style, as text or as HTML.

    For HTML, the record's values are escaped before citeproc-py sees them: it escapes the
    style's own words but passes an item's values through as markup.
    """
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = csl_item(document, links)
    if as_html:
        item = {key: _escaped(value) for key, value in item.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns of CSL variables it does not know
        bibliography = CitationStylesBibliography(
            _style(style), CiteProcJSON([item]), formatter.html if as_html else formatter.plain
        )
        bibliography.register(Citation([CitationItem(document.id)]))
        return str(bibliography.bibliography()[0])


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(part) for part in value]
    if isinstance(value, dict):
        return {key: _escaped(part) for key, part in value.items()}
    return value
