"""`remove`, `reindex`, `check`, `edit` and `redetect`: keeping the archive right."""

from __future__ import annotations

import time
from typing import Any

import click

from isecg_archive.cli.base import (
    cli,
    collection_of,
    counted,
    echo_csv,
    echo_json,
    output_options,
    partial_date,
    require_archive,
)
from isecg_archive.records import DOCUMENT_TYPES


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
    from isecg_archive.check import check as run_check
    from isecg_archive.check import leftovers, needing_attention
    from isecg_archive.check import repair as run_repair

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


def _print_changes(changes: list[Any]) -> None:
    def shown(value: Any) -> str:
        if isinstance(value, tuple):
            return ", ".join(value) or "(none)"
        return "(none)" if value is None else str(value)

    for change in changes:
        click.echo(f"{change.file}: {change.field}: {shown(change.old)} -> {shown(change.new)}")


@cli.command()
@click.argument("document_id")
@click.option("--title", help="Set the title.")
@click.option("--date", callback=partial_date, help="Set the date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--event", help="Set the event.")
@click.option("--event-date", callback=partial_date, help="Set the event's date.")
@click.option("--event-place", help="Set where the event was held.")
@click.option("--type", "doc_type", type=click.Choice(DOCUMENT_TYPES), help="Set the type.")
@click.option("--agency", "agencies", multiple=True, help="Set the agencies (repeatable).")
@click.option("--topic", "topics", multiple=True, help="Set the topics (repeatable).")
@click.option("--author", "authors", multiple=True, help="Set the authors (repeatable).")
@click.option(
    "--clear",
    multiple=True,
    callback=_field_names,
    metavar="FIELD",
    help="Empty a field: date, event, event-date, event-place, agencies, topics, authors"
    " (repeatable).",
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
    document_id: str,
    clear: tuple[str, ...],
    detect: tuple[str, ...],
    output: str,
    **given: Any,
) -> None:
    """Correct a document's metadata; what a person sets survives redetect and reindex.

    \b
    Example:
        isecg-archive edit 365b83ff13ec --agency NASA --agency JAXA --date 2016-04
        isecg-archive edit 365b83ff13ec --clear event --detect topics
    """  # fmt: skip
    from isecg_archive.corrections import edit as run_edit

    collection = collection_of(ctx)
    require_archive(collection)
    vocabulary = collection.vocabulary
    given["type"] = given.pop("doc_type")
    given["agencies"] = tuple(dict.fromkeys(vocabulary.agency(a) for a in given["agencies"]))
    given["topics"] = tuple(dict.fromkeys(vocabulary.topic(t) for t in given["topics"]))
    values = {name: value for name, value in given.items() if value not in (None, ())}
    if not (values or clear or detect):
        raise click.UsageError("say what to change: an option such as --title, --clear or --detect")
    document, changes = run_edit(collection, document_id, values, clear, detect)
    if output == "json":
        echo_json({"document": document.to_dict(), "changes": [c.to_dict() for c in changes]})
    elif output == "csv":
        echo_csv(["file", "field", "old", "new"], [list(c.to_dict().values()) for c in changes])
    else:
        _print_changes(changes)
        click.echo(f"Updated {document.id} ({len(changes)} changes)")


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
    from isecg_archive.corrections import redetect as run_redetect

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
        _print_changes(changes)
        verb = "would change" if dry_run else "changed"
        click.echo(f"{documents} documents {verb}")
