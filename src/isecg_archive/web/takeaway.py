"""What a reader takes away: a document's reference files, a search's export and its feed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Response, request, stream_with_context

from isecg_archive.errors import ArchiveError
from isecg_archive.outputs.exporting import FORMATS, as_reference, export
from isecg_archive.outputs.feeds import search_feed
from isecg_archive.search import SearchRequest
from isecg_archive.web.pages import request_from
from isecg_archive.web.views import blueprint, collection, document_of, error_page, links

# A reference to download, by its extension: a format of the exports, for one document.
REFERENCES = {f.extension: f for f in FORMATS.values() if f.name in ("bibtex", "ris", "csl-json")}


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@blueprint.get("/documents/<doc_id>/cite.<extension>")
def reference(doc_id: str, extension: str) -> Any:
    """The document's reference as BibTeX (.bib), RIS (.ris) or CSL-JSON (.json)."""
    if extension not in REFERENCES:
        return error_page(404, "Not Found", "References come as cite.bib, cite.ris or cite.json.")
    document = document_of(doc_id)
    chosen = REFERENCES[extension]
    body = as_reference(document, chosen.name, links())
    return Response(
        body, content_type=chosen.media_type, headers=_attachment(f"{document.id}.{extension}")
    )


def _search(**changes: Any) -> SearchRequest:
    """The search in the query string, with some of its values changed."""
    return replace(request_from(request.args, collection()), **changes)


@blueprint.get("/export")
def export_search() -> Any:
    """Every match of the search in the query string (not a page), streamed in a format."""
    name = request.args.get("format", "csv")
    if name not in FORMATS:
        return error_page(
            400, "Unknown format", f"Exports come as {', '.join(FORMATS)}; choose one of them."
        )
    try:
        documents = collection().matching(_search(page=1))
    except ArchiveError as exc:
        return error_page(400, "That search could not be read", f"{exc}.")
    chosen = FORMATS[name]
    body = stream_with_context(export(documents, name, links()))
    return Response(
        body,
        content_type=chosen.media_type,
        headers=_attachment(f"isecg-archive-export.{chosen.extension}"),
    )


@blueprint.get("/feed.atom")
def feed() -> Any:
    """The search's newest matches (the records added or changed last), as an Atom feed."""
    try:
        body = search_feed(collection(), _search(), links())
    except ArchiveError as exc:
        return error_page(400, "That search could not be read", f"{exc}.")
    return Response(body, mimetype="application/atom+xml")
