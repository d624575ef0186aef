"""`remove`, `reindex`, `check`, `edit` and `redetect`: keeping the archive right."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from isecg_archive.cli.base import (
    cli,
    collection_of,
    counted,
    echo_csv,
    echo_json,
    event_dates,
    output_options,
    partial_date,
    print_changes,
    require_archive,
)
from isecg_archive.enrich.metadata import LISTS
from isecg_archive.search import SearchRequest
from isecg_archive.storage.records import DOCUMENT_TYPES

if TYPE_CHECKING:
    from isecg_archive.collection import Collection
    from isecg_archive.maintenance.corrections import Change
    from isecg_archive.storage.records import Document


@cli.command()
@click.argument("document_id")
@click.pass_context
def remove(ctx: click.Context, document_id: str) -> None:
    """Remove a document from the archive and the index (its files go to the .trash folder).

    \b
    Example:
        isecg-archive remove 3f2a9b1c0d2e
    """
    collection = collection_of(ctx)
    require_archive(collection)
    document = collection.remove(document_id)
    click.echo(f"Removed {document.id} {document.file} ({document.title})")


@cli.command()
@click.option("--no-cache", is_flag=True, help="Parse every original again.")
@click.pass_context
def reindex(ctx: click.Context, no_cache: bool) -> None:
    """Rebuild the index from the archive alone (the index is disposable).

    \b
    Example:
        isecg-archive reindex
    """
    collection = collection_of(ctx)
    require_archive(collection)
    started = time.monotonic()
    report = collection.reindex(use_cache=not no_cache)
    for failure in report.failures:
        click.secho(f"FAILED {failure}", fg="red", err=True)
    click.echo(
        f"Indexed {report.documents} documents ({report.pages} pages; {report.extracted} parsed,"
        f" {report.documents - report.extracted} from the text cache)"
        f" in {time.monotonic() - started:.1f} s"
    )
    if report.failures:
        ctx.exit(1)


@cli.command()
@click.option("--quick", is_flag=True, help="Do not read the originals to verify their hashes.")
@click.option(
    "--repair",
    is_flag=True,
    help="First remove what interrupted commands left and rebuild the index if it needs it.",
)
@output_options
@click.pass_context
def check(ctx: click.Context, quick: bool, repair: bool, output: str) -> None:
    """Verify the archive and index agree; exit status 1 when they do not.

    \b
    Example:
        isecg-archive check
        isecg-archive check --repair
    """
    from isecg_archive.maintenance.check import check as run_check
    from isecg_archive.maintenance.check import leftovers, needing_attention
    from isecg_archive.maintenance.check import repair as run_repair

    collection = collection_of(ctx)
    require_archive(collection)
    if repair:
        for line in run_repair(collection):
            click.echo(f"repaired: {line}", err=True)
    problems = list(run_check(collection, verify_hashes=not quick))
    problems += leftovers(collection)
    attention = list(needing_attention(collection))
    documents = sum(1 for _ in collection.archive.record_files())
    if output == "json":
        echo_json(
            {
                "documents": documents,
                "problems": [p.to_dict() for p in problems],
                "attention": [p.to_dict() for p in attention],
            }
        )
    elif output == "csv":
        echo_csv(
            ["kind", "subject", "message"],
            [["problem", p.subject, p.message] for p in problems]
            + [["attention", p.subject, p.message] for p in attention],
        )
    else:
        for problem in problems:
            click.echo(f"{problem.subject}: {problem.message}")
        if problems:
            click.echo(f"{counted(len(problems), 'problem')} in {counted(documents, 'document')}")
        else:
            click.echo(f"OK: {documents} documents, every original present and indexed")
        for note in attention:
            click.echo(f"to do: {note.subject}: {note.message}")
    if problems:
        ctx.exit(1)


def _field_names(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[str, ...]:
    return tuple(value.replace("-", "_") for value in values)


def _listed(name: str, help_text: str) -> list[Callable[..., Any]]:
    """--NAME (set the whole list), --add-NAME and --remove-NAME for a list field."""
    plural = {"agency": "agencies", "topic": "topics", "organisation": "organisations",
              "author": "authors"}[name]  # fmt: skip
    return [
        click.option(f"--{name}", plural, multiple=True, help=f"Set the {help_text} (repeatable)."),
        click.option(
            f"--add-{name}", f"add_{plural}", multiple=True, help=f"Add one of the {help_text}."
        ),
        click.option(
            f"--remove-{name}",
            f"remove_{plural}",
            multiple=True,
            help=f"Take one of the {help_text} out.",
        ),
    ]


def _list_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        *_listed("agency", "agencies"),
        *_listed("topic", "topics"),
        *_listed("organisation", "related bodies (COSPAR...)"),
        *_listed("author", "authors"),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@cli.command()
@click.argument("document_ids", nargs=-1)
@click.option(
    "--where",
    metavar="QUERY",
    help="Edit every document this search finds (any query: 'agency:CSA type:presentation').",
)
@click.option("--title", help="Set the title (of one document).")
@click.option("--date", callback=partial_date, help="Set the date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--event", help="Set the event.")
@click.option(
    "--event-date", callback=event_dates, help="Set the event's date, or its days: START/END."
)
@click.option("--event-place", help="Set where the event was held.")
@click.option("--type", "doc_type", type=click.Choice(DOCUMENT_TYPES), help="Set the type.")
@click.option(
    "--internal/--public",
    "internal",
    default=None,
    help="For the agencies only (the viewer shows it only with `serve --show-internal`), or"
    " for everyone.",
)
@_list_options
@click.option(
    "--clear",
    multiple=True,
    callback=_field_names,
    metavar="FIELD",
    help="Empty a field: date, event, event-date, event-place, agencies, organisations,"
    " topics, authors (repeatable).",
)
@click.option(
    "--detect",
    multiple=True,
    callback=_field_names,
    metavar="FIELD",
    help="Hand a field back to detection (repeatable).",
)
@output_options
@click.pass_context
def edit(
    ctx: click.Context,
    document_ids: tuple[str, ...],
    where: str | None,
    clear: tuple[str, ...],
    detect: tuple[str, ...],
    output: str,
    **given: Any,
) -> None:
    """Correct the metadata of one document or several at once (IDs, or --where a search
    finds them); what a person sets survives redetect and reindex. A list is set whole
    (--agency, repeatable) or changed by a value (--add-agency, --remove-agency).

    \b
    Example:
        isecg-archive edit 365b83ff13ec --agency NASA --agency JAXA --date 2016-04
        isecg-archive edit --where 'event:"polar volatiles" type:presentation' --add-topic isru
        isecg-archive edit 365b83ff13ec 02cbac41f7a1 --add-organisation COSPAR
    """  # fmt: skip
    collection = collection_of(ctx)
    require_archive(collection)
    with collection.writing():  # the documents --where finds are the documents changed
        results = _edit(collection, list(document_ids), where, clear, detect, given)
    changes = [change for _, found in results for change in found]
    if output == "json":
        echo_json(
            {
                "documents": [
                    {"id": d.id, "status": "updated" if found else "unchanged",
                     "document": d.to_dict(), "changes": [c.to_dict() for c in found]}
                    for d, found in results
                ],
                "changes": [c.to_dict() for c in changes],
            }
        )  # fmt: skip
    elif output == "csv":
        echo_csv(["file", "field", "old", "new"], [list(c.to_dict().values()) for c in changes])
    else:
        print_changes(changes)
        for document, found in results:
            if found:
                click.echo(f"Updated {document.id} ({counted(len(found), 'change')})")
            else:
                click.echo(f"Unchanged {document.id}: it already reads so")


def _edit(
    collection: Collection,
    ids: list[str],
    where: str | None,
    clear: tuple[str, ...],
    detect: tuple[str, ...],
    given: dict[str, Any],
) -> list[tuple[Document, list[Change]]]:
    from isecg_archive.maintenance.corrections import edit_many

    if where is not None:
        found = collection.matching_ids(SearchRequest(query=where, per_page=1))
        if not found:
            raise click.ClickException(f"no document matches {where!r}; nothing was changed")
        ids += found
    if not ids:
        raise click.UsageError("say which documents: their ids, or --where QUERY")
    if given["title"] and len(set(ids)) > 1:
        raise click.UsageError("--title sets one document's title; give one id")
    vocabulary = collection.vocabulary
    given["type"] = given.pop("doc_type")
    add, remove = {}, {}
    for name in LISTS:

        def kept(names: tuple[str, ...], field: str = name) -> tuple[str, ...]:
            return tuple(dict.fromkeys(vocabulary.value(field, n) for n in names))

        given[name] = kept(given[name])
        if added := kept(given.pop(f"add_{name}")):
            add[name] = added
        if taken := kept(given.pop(f"remove_{name}")):
            remove[name] = taken
    values = {name: value for name, value in given.items() if value not in (None, ())}
    if not (values or add or remove or clear or detect):
        raise click.UsageError(
            "say what to change: an option such as --title, --add-agency, --clear or --detect"
        )
    return edit_many(collection, ids, values, add, remove, clear, detect)


@cli.command()
@click.option("--dry-run", is_flag=True, help="Show what would change, change nothing.")
@output_options
@click.pass_context
def redetect(ctx: click.Context, dry_run: bool, output: str) -> None:
    """Run detection again over the whole archive (after a vocabulary change).

    Values a person set are left alone. Prints every change.

    \b
    Example:
        isecg-archive redetect --dry-run
    """
    from isecg_archive.maintenance.corrections import redetect as run_redetect

    collection = collection_of(ctx)
    require_archive(collection)
    changes = run_redetect(collection, dry_run=dry_run)
    documents = len({change.file for change in changes})
    if output == "json":
        echo_json(
            {"dry_run": dry_run, "documents": documents, "changes": [c.to_dict() for c in changes]}
        )
    elif output == "csv":
        echo_csv(["file", "field", "old", "new"], [list(c.to_dict().values()) for c in changes])
    else:
        print_changes(changes)
        verb = "would change" if dry_run else "changed"
        click.echo(f"{documents} documents {verb}")
