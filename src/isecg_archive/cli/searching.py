"""`search`, `facets`, `show` and `events`: finding documents and reading them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from isecg_archive.citing import Links, formatted_citation
from isecg_archive.cleantext import for_terminal
from isecg_archive.cli.base import (
    agree,
    base_url_option,
    cli,
    collection_of,
    counted,
    echo_csv,
    echo_json,
    output_options,
    partial_date,
    require_archive,
    styled,
)
from isecg_archive.collection import Collection
from isecg_archive.events import Event, split_by_day
from isecg_archive.search import SORTS, ResultPage, SearchRequest
from isecg_archive.storage.records import DOCUMENT_TYPES, document_json


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The filters of a search, as options: shared by `search`, `facets` and `export`."""
    options = [
        click.option(
            "--agency", "agencies", multiple=True, help="Only this agency (repeatable: all)."
        ),
        click.option("--topic", "topics", multiple=True, help="Only this topic (repeatable: all)."),
        click.option(
            "--type", "types", multiple=True, type=click.Choice(DOCUMENT_TYPES),
            help="Only this type (repeatable: any).",
        ),
        click.option(
            "--event", "events", multiple=True, metavar="SLUG",
            help="Only this event, by the slug `events` lists (repeatable: all).",
        ),
        click.option(
            "--organisation", "organisations", multiple=True, metavar="NAME",
            help="Only this related body, such as COSPAR (repeatable: all).",
        ),
        click.option(
            "--author", "authors", multiple=True, metavar="NAME",
            help="Only this author, as the records write it (repeatable: all).",
        ),
        click.option("--since", callback=partial_date, help="Dated on or after YYYY[-MM[-DD]]."),
        click.option("--until", callback=partial_date, help="Dated on or before YYYY[-MM[-DD]]."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def search_request(collection: Collection, query: str, **options: Any) -> SearchRequest:
    vocabulary = collection.vocabulary
    return SearchRequest(
        query=query,
        agencies=tuple(vocabulary.agency(a) for a in options.pop("agencies")),
        topics=tuple(vocabulary.topic(t) for t in options.pop("topics")),
        **options,
    )


@cli.command()
@click.argument("query", default="")
@filter_options
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--limit", "per_page", default=10, show_default=True, help="Results per page.")
@click.option("--page", default=1, show_default=True, help="Page of results.")
@output_options
@click.pass_context
def search(ctx: click.Context, query: str, output: str, **options: Any) -> None:
    """Search the archive; with no QUERY, list everything newest first.

    QUERY uses Whoosh syntax: words (all must match, stemmed), "exact phrases", AND / OR / NOT,
    wildcards (volatil*), and field:value for title, agency, topic, type, year, author, event.

    \b
    Example:
        isecg-archive search '"water ice" OR volatiles' --agency NASA --since 2014 --json
    """
    collection = collection_of(ctx)
    require_archive(collection)
    result = collection.search(search_request(collection, query, **options))
    if output == "json":
        echo_json(result.to_dict())
    elif output == "csv":
        echo_csv(
            ["rank", "id", "date", "title", "agencies", "topics", "type", "score", "page",
             "snippet", "matched"],
            [
                [
                    hit.rank, hit.document.id, hit.document.date or "", hit.document.title,
                    "; ".join(hit.document.agencies), "; ".join(hit.document.topics),
                    hit.document.type, "" if hit.score is None else round(hit.score, 4),
                    hit.snippets[0].page if hit.snippets else "",
                    hit.snippets[0].text if hit.snippets else "", hit.matched,
                ]
                for hit in result.hits
            ],
        )  # fmt: skip
    else:
        _print_results(result)


def _print_results(result: ResultPage) -> None:
    request = result.request
    query = request.query.strip()
    if not query:
        head = f"{counted(result.total, 'document')} in the archive"
    elif result.complete < result.total:
        some = result.total - result.complete
        head = (
            f"{counted(result.complete, 'document')} {agree(result.complete)} all the words of"
            f" {query!r}; {some} more {agree(some)} some of them"
        )
    else:
        head = f"{counted(result.total, 'document')} {agree(result.total)} {query!r}"
    if result.relaxed:
        head = (
            f"{result.relaxed.reason}; showing documents with its words instead:"
            f" {counted(result.total, 'document')} {agree(result.total)} {result.relaxed.query!r}"
        )
    click.echo(f"{head} (page {request.page} of {result.pages})")
    if result.suggestion:
        click.echo(f"Did you mean: {result.suggestion!r}?")
    if result.total and not result.hits:
        click.echo(
            f"Page {request.page} is past the end: there {'is' if result.pages == 1 else 'are'}"
            f" {counted(result.pages, 'page')} of results; try --page {result.pages}."
        )
    for hit in result.hits:
        doc = hit.document
        date = str(doc.date) if doc.date else "undated"
        click.echo("")
        mark = click.style(" [internal]", fg="yellow") if doc.internal else ""
        click.echo(f"{hit.rank:>3}. {date:<10}  " + click.style(doc.title, bold=True) + mark)
        agencies = ", ".join(doc.agencies) or "no agency"
        partial = " · matches some of the words" if hit.matched == "some" else ""
        click.echo(f"     {agencies} · {doc.type.replace('-', ' ')} · id {doc.id}{partial}")
        for snippet in hit.snippets:
            click.echo(f"     p. {snippet.page}: {styled(snippet)}")


@cli.command()
@click.argument("query", default="")
@filter_options
@output_options
@click.pass_context
def facets(ctx: click.Context, query: str, output: str, **options: Any) -> None:
    """Count documents by agency, topic, type and year, over every match of QUERY.

    \b
    Example:
        isecg-archive facets "lunar surface" --since 2015
    """
    collection = collection_of(ctx)
    require_archive(collection)
    result = collection.search(search_request(collection, query, per_page=1, **options))
    data = result.to_dict()
    if output == "json":
        echo_json({key: data[key] for key in ("query", "filters", "total", "facets")})
    elif output == "csv":
        echo_csv(
            ["facet", "value", "label", "count"],
            [[f.name, v.value, v.label, v.count] for f in result.facets for v in f.values],
        )
    else:
        click.echo(f"{result.total} documents")
        for facet in result.facets:
            click.echo(f"\n{facet.name}")
            for value in facet.values:
                click.echo(f"  {value.label:<40} {value.count:>5}")


@cli.command()
@click.argument("document_id")
@base_url_option
@output_options
@click.pass_context
def show(ctx: click.Context, document_id: str, base_url: str | None, output: str) -> None:
    """Show a document's metadata, its address and citation, then its text page by page.

    \b
    Example:
        isecg-archive show 3f2a9b1c0d2e
    """
    collection = collection_of(ctx)
    require_archive(collection)
    document = collection.find(document_id)
    pages = collection.extraction(document).pages
    if output == "json":
        echo_json(document_json(document, pages))
        return
    if output == "csv":
        echo_csv(["page", "text"], [[n, text] for n, text in enumerate(pages, 1)])
        return
    for key, value in document.to_dict().items():
        if isinstance(value, list):
            value = ", ".join(str(part) for part in value)
        click.echo(
            f"{key + ':':<15} {for_terminal(str(value)) if value not in (None, '') else '-'}"
        )
    links = Links.from_environment(base_url)
    click.echo(f"{'url:':<15} {links.document(document.id)}")
    click.echo(f"{'citation:':<15} {for_terminal(formatted_citation(document, links))}")
    for number, text in enumerate(pages, start=1):
        click.echo(click.style(f"\n--- page {number} of {len(pages)} ---", bold=True))
        click.echo(for_terminal(text) or "(no text on this page)")


@cli.command()
@output_options
@click.pass_context
def events(ctx: click.Context, output: str) -> None:
    """List the workshops and other events: those to come (or under way) first, the soonest
    first, then those completed, the latest first, with the number of documents from each.
    Search one with `search --event SLUG`.

    \b
    Example:
        isecg-archive events --json
    """
    collection = collection_of(ctx)
    require_archive(collection)
    found = [event for event, _ in collection.events()]
    upcoming, completed = split_by_day(found)
    rows = [event.to_dict("upcoming") for event in upcoming]
    rows += [event.to_dict("completed") for event in completed]
    if output == "json":
        echo_json({"events": rows})
    elif output == "csv":
        echo_csv(
            list(rows[0]) if rows else list(Event("", "", 0).to_dict("upcoming")),
            [["; ".join(value) if isinstance(value, list) else value for value in row.values()]
             for row in rows],
        )  # fmt: skip
    elif not found:
        click.echo(
            "No event is in the archive; name one on documents with `edit ID --event NAME`,"
            " or record one with `event add NAME`."
        )
    else:
        for title, events_ in (("Upcoming", upcoming), ("Completed", completed)):
            if not events_:
                continue
            click.echo(f"{title}:")
            for event in events_:
                click.echo(
                    f"  {event.dates or 'undated':<24} {counted(event.documents, 'document'):<13}"
                    f" {for_terminal(event.name)}  [{event.slug}]"
                    + (" [internal]" if event.record and event.record.internal else "")
                )
