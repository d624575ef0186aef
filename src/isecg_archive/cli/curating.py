"""`history`, `trash`, `restore` and `catalogue`: what changed in the archive, taking a
removal back, and the catalogue as a spreadsheet."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from isecg_archive.cli.base import (
    cli,
    collection_of,
    counted,
    echo_csv,
    echo_json,
    output_options,
    print_changes,
    require_archive,
    shown,
)
from isecg_archive.collection import Collection
from isecg_archive.storage.history import Entry
from isecg_archive.storage.staging import staged


def entry_lines(entry: Entry) -> list[str]:
    """An entry for people: its head, then each field that changed, before -> after."""
    head = f"{entry.when}  {entry.action:<11} {entry.id}  {entry.file}"
    if entry.previous_id:
        head += f"  (replaces {entry.previous_id})"
    lines = [head]
    if entry.action in ("ingest", "restore", "remove") and not (entry.before and entry.after):
        record = entry.after or entry.before  # a whole record came or went
        lines.append(f"    title: {shown(record.get('title'))}")
    else:
        lines += [
            f"    {name}: {_value(name, entry.before)} -> {_value(name, entry.after)}"
            for name in entry.fields
        ]
    if entry.command:
        lines.append(f"    by: {entry.command}")
    return lines


def _value(name: str, fields: dict[str, Any]) -> str:
    """A field's value in a history entry, for people: an agenda as its sessions' titles and
    number of items."""
    value = fields.get(name)
    if name == "agenda" and isinstance(value, list):
        sessions = [f"{s.get('title')} ({len(s.get('items') or [])} items)" for s in value]
        return shown(sessions)
    return shown(value)


@cli.command()
@click.argument("document_id", required=False)
@output_options
@click.pass_context
def history(ctx: click.Context, document_id: str | None, output: str) -> None:
    """Every change to the archive, oldest first: ingests, new versions, edits, imports,
    redetections, removals and restores, with what each field was and became and the command
    that changed it. With an ID, that document's changes (and those of the versions it
    replaced).

    \b
    Example:
        isecg-archive history 365b83ff13ec
    """
    collection = collection_of(ctx)
    require_archive(collection)
    entries = list(collection.archive.history.entries(document_id))
    if output == "json":
        echo_json({"history": [entry.to_dict() for entry in entries]})
    elif output == "csv":
        echo_csv(
            ["when", "action", "id", "file", "field", "before", "after", "command"],
            [
                [e.when, e.action, e.id, e.file, name, shown(e.before.get(name)),
                 shown(e.after.get(name)), e.command]
                for e in entries
                for name in e.fields
            ],
        )  # fmt: skip
    elif not entries:
        click.echo("No change recorded" + (f" for {document_id}" if document_id else ""))
    else:
        for entry in entries:
            click.echo("\n".join(entry_lines(entry)))


@cli.command()
@output_options
@click.pass_context
def trash(ctx: click.Context, output: str) -> None:
    """List what the trash holds: documents removed, and versions replaced by newer files, with
    when and why. `restore ID` brings one back.

    \b
    Example:
        isecg-archive trash
    """
    collection = collection_of(ctx)
    require_archive(collection)
    found = list(collection.archive.trash())
    rows = [
        {
            "id": t.document.id,
            "file": t.document.file,
            "title": t.document.title,
            "when": t.when.isoformat(timespec="seconds"),
            "why": t.why,
        }
        for t in found
    ]
    if output == "json":
        echo_json({"trash": rows})
    elif output == "csv":
        echo_csv(list(rows[0]) if rows else ["id", "file", "title", "when", "why"],
                 [list(r.values()) for r in rows])  # fmt: skip
    elif not rows:
        click.echo("The trash is empty.")
    else:
        for row in rows:
            click.echo(
                f"{row['when']}  {row['id']}  {row['why']:<24} {row['file']}  ({row['title']})"
            )
        click.echo(f"{counted(len(rows), 'document')}; `isecg-archive restore ID` brings one back")


@cli.command()
@click.argument("document_id")
@click.pass_context
def restore(ctx: click.Context, document_id: str) -> None:
    """Bring a document back from the trash: its original, record, index entry and versions,
    at its own place (or beside it, `name-2.pdf`, when another document holds that place).

    \b
    Example:
        isecg-archive restore 365b83ff13ec
    """
    collection = collection_of(ctx)
    require_archive(collection)
    document = collection.restore(document_id)
    click.echo(f"Restored {document.id} as {document.file} ({document.title})")


@cli.group()
def catalogue() -> None:
    """The catalogue as a spreadsheet: `export` every record to CSV, edit it in LibreOffice
    Calc or Excel, `import` it back.

    \b
    Example:
        isecg-archive catalogue export catalogue.csv
        isecg-archive catalogue import catalogue.csv --dry-run
    """


@catalogue.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--events", "of_events", is_flag=True, help="The events' sheet: one row per event.")
@click.pass_context
def catalogue_export(ctx: click.Context, file: Path, of_events: bool) -> None:
    """Write every record's metadata to FILE (CSV, UTF-8): one row per document, lists in one
    cell separated by "; ", and which fields a person set (manual). With --events, one row per
    event instead: its slug, name, date, place, organisers, moderator, description and links.

    \b
    Example:
        isecg-archive catalogue export catalogue.csv
        isecg-archive catalogue export --events events.csv
    """
    from isecg_archive.outputs.catalogue import ENCODING, write_catalogue
    from isecg_archive.outputs.event_sheet import write_events

    collection = collection_of(ctx)
    require_archive(collection)
    with staged(file) as partial, partial.open("w", encoding=ENCODING, newline="") as handle:
        if of_events:
            count = write_events((event for event, _ in collection.events()), handle)
        else:
            count = write_catalogue(collection.archive.records(), handle)
    click.echo(f"Wrote {counted(count, 'event' if of_events else 'document')} to {file}")


@catalogue.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change, change nothing.")
@click.option("--events", "of_events", is_flag=True, help="An events' sheet (`export --events`).")
@output_options
@click.pass_context
def catalogue_import(
    ctx: click.Context, file: Path, dry_run: bool, of_events: bool, output: str
) -> None:
    """Apply an edited catalogue: every value changed in FILE becomes a person's value. The
    sheet is checked whole first; any problem (an unknown id, agency or topic, a bad date...)
    is listed with its row and column, and then nothing is applied. Otherwise every change is
    applied at once.

    \b
    Example:
        isecg-archive catalogue import catalogue.csv --dry-run
    """
    from isecg_archive.maintenance.corrections import Change
    from isecg_archive.outputs.catalogue import apply_import, plan_import

    collection = collection_of(ctx)
    require_archive(collection)
    if of_events:
        _import_events(ctx, collection, file, dry_run, output)
        return
    with collection.writing():  # the records checked are the records changed
        plan = plan_import(collection, file)
        if plan.problems:
            _refuse(ctx, file, plan.problems, output)
        if dry_run:
            records = plan.records
            changes = [
                (i, Change(records[i].file, name, getattr(records[i], name), value))
                for i, fields in plan.values.items()
                for name, value in fields.items()
            ]
        else:
            done = apply_import(collection, plan)
            changes = [(d.id, c) for d, found in done for c in found if c.field != "manual"]
    rows = [
        {"id": i, "file": c.file, "field": c.field, "old": shown(c.old), "new": shown(c.new)}
        for i, c in changes
    ]
    if output == "json":
        echo_json({"applied": not dry_run, "rows": plan.rows, "changes": rows})
        return
    if output == "csv":
        echo_csv(["id", "file", "field", "old", "new"], [list(r.values()) for r in rows])
        return
    print_changes(c for _, c in changes)
    documents = len({i for i, _ in changes})
    verb = "would change" if dry_run else "changed"
    click.echo(f"{plan.rows} rows read; {counted(documents, 'document')} {verb}")


def _refuse(ctx: click.Context, file: Path, problems: Sequence[object], output: str) -> None:
    """A sheet with problems: each one listed (row and column), nothing applied, status 1."""
    lines = [str(problem) for problem in problems]
    if output == "json":
        echo_json({"applied": False, "problems": lines})
        ctx.exit(1)
    for line in lines:
        click.echo(line, err=True)
    raise click.ClickException(
        f"{counted(len(lines), 'problem')} in {file}; nothing was applied. Fix them and"
        " import again."
    )


def _import_events(
    ctx: click.Context, collection: Collection, file: Path, dry_run: bool, output: str
) -> None:
    from isecg_archive.outputs.event_sheet import apply_events, plan_events

    with collection.writing():
        plan = plan_events(collection, file)
        if plan.problems:
            _refuse(ctx, file, plan.problems, output)
        records = plan.records if dry_run else tuple(apply_events(collection, plan))
    if output == "json":
        changed = [record.to_dict() for record in records]
        echo_json({"applied": not dry_run, "rows": plan.rows, "events": changed})
        return
    for record in records:
        click.echo(f"{record.slug}: {shown(record.name)}")
    verb = "would change" if dry_run else "changed"
    click.echo(f"{plan.rows} rows read; {counted(len(records), 'event')} {verb}")
