"""`event add`, `event edit` and `event show`: an event's own record (its dates, place,
organisers, moderator, description and links), beside what its documents say of it."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from isecg_archive.cli.base import (
    cli,
    collection_of,
    counted,
    echo_json,
    event_dates,
    require_archive,
    shown,
)
from isecg_archive.errors import MetadataError
from isecg_archive.events import Event, slug
from isecg_archive.outputs.agenda import ENCODING, read_agenda, write_agenda
from isecg_archive.storage.records import EventRecord
from isecg_archive.storage.staging import staged

# What --clear empties, and what each is then.
EMPTY: dict[str, Any] = {
    "date": None,
    "place": None,
    "organisers": (),
    "moderator": None,
    "description": "",
    "links": (),
}


def _record_options(command: Any) -> Any:
    for option in reversed(
        [
            click.option("--date", callback=event_dates, help="Its day, or its days: START/END."),
            click.option("--place", help='Where it was held: "Tokyo, Japan", "online".'),
            click.option(
                "--organiser",
                "organisers",
                multiple=True,
                help="Who organised it (repeatable; replaces the list).",
            ),
            click.option("--moderator", help="Who moderated it."),
            click.option("--description", help="What it was about (a paragraph or more)."),
            click.option(
                "--link",
                "links",
                multiple=True,
                help="A web page about it, https://... (repeatable; replaces the list).",
            ),
            click.option(
                "--internal/--public",
                "internal",
                default=None,
                help="For the agencies only (the viewer shows it only with `serve"
                " --show-internal`), or for everyone.",
            ),
        ]
    ):
        command = option(command)
    return command


def _given(values: dict[str, Any]) -> dict[str, Any]:
    """The record's fields the command line gave (lists: only when given at all)."""
    return {
        name: value
        for name, value in values.items()
        if value is not None and not (isinstance(value, tuple) and not value)
    }


@cli.group()
def event() -> None:
    """Give a workshop or other event a record of its own: its dates, place, organisers,
    moderator, description and links. `events` lists them all.

    \b
    Example:
        isecg-archive event add "Lunar Polar Volatiles Workshop" --date 2016-02-10/2016-02-12
        isecg-archive event edit lunar-polar-volatiles-workshop-2016 --place "Laurel, MD, USA"
    """


@event.command("add")
@click.argument("name")
@_record_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def event_add(ctx: click.Context, name: str, as_json: bool, **values: Any) -> None:
    """Make the record of an event, by its NAME: one its documents name already, or one to come.

    \b
    Example:
        isecg-archive event add "ISECG Science Workshop" --date 2027-03-02/2027-03-04
    """
    collection = collection_of(ctx)
    require_archive(collection)
    given = _given(values)
    found = slug(name, given.get("date"))
    if collection.archive.read_event(found) is not None:
        raise click.ClickException(
            f"the event {found} has a record already; change it with `isecg-archive event edit"
            f" {found}`"
        )
    record = collection.save_event(EventRecord(found, name, **given))
    _print(collection.event(record.slug)[0], as_json)


@event.command("edit")
@click.argument("event_slug", metavar="SLUG")
@click.option("--name", help="Rename it (its slug, and so its address, stays).")
@_record_options
@click.option(
    "--clear",
    multiple=True,
    type=click.Choice(list(EMPTY)),
    help="Empty a field (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def event_edit(
    ctx: click.Context, event_slug: str, clear: tuple[str, ...], as_json: bool, **values: Any
) -> None:
    """Change the record of the event SLUG (as `events` lists it); an event only its documents
    name gets a record from what they say, then the changes.

    \b
    Example:
        isecg-archive event edit lunar-polar-volatiles-workshop-2016 --moderator "C. Neal"
    """
    collection = collection_of(ctx)
    require_archive(collection)
    record = collection.event(event_slug)[0].own_record()
    given = _given(values)
    empty = {name: EMPTY[name] for name in clear}
    if set(given) & set(empty):
        raise MetadataError(
            f"cannot both set and clear {', '.join(sorted(set(given) & set(empty)))}"
        )
    record = collection.save_event(replace(record, **given, **empty))
    _print(collection.event(record.slug)[0], as_json)


@event.command("show")
@click.argument("event_slug", metavar="SLUG")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def event_show(ctx: click.Context, event_slug: str, as_json: bool) -> None:
    """Show an event: its record, and the documents that name it.

    \b
    Example:
        isecg-archive event show lunar-polar-volatiles-workshop-2016 --json
    """
    collection = collection_of(ctx)
    require_archive(collection)
    found, documents = collection.event(event_slug)
    if as_json:
        echo_json({"event": found.to_dict(), "documents": [d.to_dict() for d in documents]})
        return
    _print(found, as_json)
    for document in documents:
        click.echo(f"  {document.id}  {document.type:<17} {shown(document.title)}")


@event.command("agenda")
@click.argument("event_slug", metavar="SLUG")
@click.argument(
    "sheet",
    metavar="FILE",
    required=False,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
)
@click.option(
    "--export",
    "export_to",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the agenda as a sheet to FILE (- for standard output), to edit and read back.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def event_agenda(
    ctx: click.Context, event_slug: str, sheet: Path | None, export_to: Path | None, as_json: bool
) -> None:
    """Give the event SLUG its agenda from a sheet (CSV: session, day, start, end, title,
    speakers, documents), or write the agenda out as one (--export). Speakers are
    "Name (Affiliation)", separated by "; "; documents are archived documents' ids.

    \b
    Example:
        isecg-archive event agenda lunar-polar-volatiles-workshop-2016 --export agenda.csv
        isecg-archive event agenda lunar-polar-volatiles-workshop-2016 agenda.csv
    """
    collection = collection_of(ctx)
    require_archive(collection)
    found = collection.event(event_slug)[0]
    if (sheet is None) == (export_to is None):
        raise click.UsageError("give the sheet to read, or --export FILE to write one")
    if export_to is not None:
        sessions = found.record.agenda if found.record else ()
        if str(export_to) == "-":
            write_agenda(sessions, sys.stdout)
            return
        with staged(export_to) as partial, partial.open("w", encoding=ENCODING, newline="") as out:
            write_agenda(sessions, out)
        return
    assert sheet is not None
    with sheet.open(encoding=ENCODING, newline="") as handle:
        sessions = read_agenda(handle, lambda given: collection.find(given).id)
    collection.save_event(replace(found.own_record(), agenda=sessions))
    _print(collection.event(found.slug)[0], as_json)


def _print(found: Event, as_json: bool) -> None:
    if as_json:
        echo_json({"event": found.to_dict()})
        return
    record = found.record
    click.echo(f"{shown(found.heading)}  [{found.slug}]")
    click.echo(f"  dates: {found.dates or 'not recorded'}")
    click.echo(f"  place: {shown(found.place)}")
    if record is not None:
        for label, value in (
            ("organisers", record.organisers),
            ("moderator", record.moderator),
            ("links", record.links),
            ("description", record.description),
        ):
            if value:
                click.echo(f"  {label}: {shown(value)}")
        for session in record.agenda:
            times = "-".join(t for t in (session.start, session.end) if t)
            when = " ".join(str(part) for part in (session.day, times) if part)
            click.echo(f"  session: {shown(session.title)}" + (f" ({when})" if when else ""))
            for item in session.items:
                speakers = "; ".join(str(speaker) for speaker in item.speakers)
                line = f"    {item.start or '':<5} {shown(item.title)}"
                line += f" - {shown(speakers)}" if speakers else ""
                line += f" [{', '.join(item.documents)}]" if item.documents else ""
                click.echo(line)
    click.echo(f"  {counted(found.documents, 'document')}")
