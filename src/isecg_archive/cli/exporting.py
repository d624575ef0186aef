"""`export` and `cite`: records taken away, in the formats reference managers and catalogues
read."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from isecg_archive.citing import (
    STYLES,
    Links,
    formatted_citation,
)
from isecg_archive.cli.base import (
    base_url_option,
    cli,
    collection_of,
    counted,
    require_archive,
)
from isecg_archive.cli.searching import filter_options, search_request
from isecg_archive.outputs.exporting import FORMATS, as_reference, export
from isecg_archive.outputs.feeds import search_feed
from isecg_archive.search import SORTS
from isecg_archive.storage.staging import staged

output_file_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file, whole or not at all (default: standard output).",
)


@cli.command("export")
@click.argument("query", default="")
@filter_options
@click.option(
    "--format",
    "format_",
    type=click.Choice(list(FORMATS)),
    default="csv",
    show_default=True,
    help="csv: every field, one row per document; jsonl: one record per line; bibtex, ris,"
    " csl-json: for reference managers.",
)
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="relevance",
    show_default=True,
    help="Order (with no QUERY, relevance means newest).",
)
@output_file_option
@base_url_option
@click.pass_context
def export_command(
    ctx: click.Context,
    query: str,
    format_: str,
    sort: str,
    output: Path | None,
    base_url: str | None,
    **filters: Any,
) -> None:
    """Export the whole catalogue, or the matches of QUERY and the filters (as `search` takes
    them), every match and not a page. Written as it is read, whatever the archive's size.

    \b
    Example:
        isecg-archive export --format csv -o catalogue.csv
        isecg-archive export "polar volatiles" --agency JAXA --format bibtex > jaxa.bib
    """  # fmt: skip
    collection = collection_of(ctx)
    require_archive(collection)
    request = search_request(collection, query, sort=sort, **filters)
    documents = collection.matching(request)
    counter = _Counter(documents)
    chunks = export(counter, format_, Links.from_environment(base_url))
    if output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
        return
    with staged(output) as partial, partial.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(chunks)
    click.echo(f"Exported {counted(counter.count, 'document')} to {output}", err=True)


class _Counter:
    """Counts the documents an export has read, as they pass."""

    def __init__(self, documents: Any) -> None:
        self.documents = documents
        self.count = 0

    def __iter__(self) -> Any:
        for document in self.documents:
            self.count += 1
            yield document


@cli.command()
@click.argument("query", default="")
@filter_options
@output_file_option
@base_url_option
@click.pass_context
def feed(
    ctx: click.Context, query: str, output: Path | None, base_url: str | None, **filters: Any
) -> None:
    """The Atom feed of a search (its 20 matches changed last), the same the viewer serves at
    /feed.atom: to publish as a static file, or to check what feed readers will see.

    \b
    Example:
        isecg-archive feed --agency JAXA --base-url https://archive.example.org -o jaxa.atom
    """  # fmt: skip
    collection = collection_of(ctx)
    require_archive(collection)
    request = search_request(collection, query, **filters)
    body = search_feed(collection, request, Links.from_environment(base_url))
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    with staged(output) as partial:
        partial.write_bytes(body)
    click.echo(f"Wrote the feed to {output}", err=True)


CITE_FORMATS = ("text", "html", "bibtex", "ris", "csl-json")


@cli.command()
@click.argument("document_id")
@click.option(
    "--format",
    "format_",
    type=click.Choice(CITE_FORMATS),
    default="text",
    show_default=True,
    help="A formatted citation (text or html), or a reference to import.",
)
@click.option(
    "--style",
    type=click.Choice(list(STYLES)),
    default="apa",
    show_default=True,
    help="The CSL style of a formatted citation.",
)
@click.option("--page", type=click.IntRange(min=1), help="Cite this page's address.")
@base_url_option
@click.pass_context
def cite(
    ctx: click.Context,
    document_id: str,
    format_: str,
    style: str,
    page: int | None,
    base_url: str | None,
) -> None:
    """Cite a document: a formatted citation, or a BibTeX, RIS or CSL-JSON reference.

    \b
    Example:
        isecg-archive cite 3f2a9b1c0d2e
        isecg-archive cite 3f2a9b1c0d2e --format bibtex >> references.bib
    """  # fmt: skip
    collection = collection_of(ctx)
    require_archive(collection)
    document = collection.find(document_id)
    pages = document.pages or 1
    if page and page > pages:
        raise click.BadParameter(
            f"{document.id} has {counted(pages, 'page')}; give 1 to {pages}", param_hint="--page"
        )
    links = Links.from_environment(base_url)
    if format_ in ("text", "html"):
        click.echo(formatted_citation(document, links, style, as_html=format_ == "html"))
        if page:
            click.echo(links.document(document.id, page))
    else:
        click.echo(as_reference(document, format_, links), nl=False)
