"""`ingest`: files and folders into the archive."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from isecg_archive.cli.base import (
    cli,
    collection_of,
    echo_csv,
    echo_json,
    output_options,
    partial_date,
)
from isecg_archive.records import DOCUMENT_TYPES, PartialDate


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--agency", "agencies", multiple=True, help="Agency of every file (repeatable).")
@click.option("--topic", "topics", multiple=True, help="Topic of every file (repeatable).")
@click.option("--type", "doc_type", type=click.Choice(DOCUMENT_TYPES), help="Document type.")
@click.option(
    "--date", callback=partial_date, help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD."
)
@click.option("--event", help="The event the documents come from.")
@click.option("--event-date", callback=partial_date, help="The event's date: YYYY[-MM[-DD]].")
@click.option("--event-place", help="Where the event was held: a city, a country.")
@click.option("--title", help="Title (for a single file).")
@click.option("--max-size", default=200, show_default=True, help="Largest file to read, in MB.")
@click.option("--timeout", default=120, show_default=True, help="Seconds allowed to read one file.")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes [default: all cores].")
@click.option("--password", help="Password of the batch's encrypted PDF and Office files.")
@click.option("--no-ocr", is_flag=True, help="Do not OCR scanned pages, even with Tesseract.")
@output_options
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[Path, ...],
    agencies: tuple[str, ...],
    topics: tuple[str, ...],
    doc_type: str | None,
    date: PartialDate | None,
    event: str | None,
    event_date: PartialDate | None,
    event_place: str | None,
    title: str | None,
    max_size: int,
    timeout: int,
    jobs: int | None,
    password: str | None,
    no_ocr: bool,
    output: str,
) -> None:
    """Add files and folders (recursively) to the archive and the index.

    Files are read in parallel worker processes, each within --timeout seconds. The same bytes
    ingested again are skipped; a changed file at the same archive path replaces its old version
    (kept in the archive's .trash folder). An encrypted PDF without its --password, or a scan
    without Tesseract, is archived with its metadata and reported. Exit status 1 when a file
    failed.

    \b
    Example:
        isecg-archive ingest reports/ slides/deck.pdf --agency ESA --topic mars --date 2019-06
    """
    from isecg_archive.enrich import Overrides
    from isecg_archive.extract import ExtractOptions
    from isecg_archive.ingest import IngestOptions, find_files
    from isecg_archive.ingest import ingest as run_ingest

    collection = collection_of(ctx)
    vocabulary = collection.vocabulary
    overrides = Overrides(
        title=title,
        date=date,
        event=event,
        event_date=event_date,
        event_place=event_place,
        type=doc_type,
        agencies=tuple(dict.fromkeys(vocabulary.agency(a) for a in agencies)),
        topics=tuple(dict.fromkeys(vocabulary.topic(t) for t in topics)),
    )
    items = list(find_files(paths))
    with click.progressbar(
        length=len(items),
        label="Ingesting",
        file=sys.stderr,
        hidden=not sys.stderr.isatty(),
        show_pos=True,
        item_show_func=lambda name: name,
    ) as bar:
        pages = 0

        def advance(outcome: Any) -> None:
            nonlocal pages
            pages += outcome.pages if outcome.status in ("added", "updated") else 0
            bar.update(1, f"{pages} pages · {Path(outcome.path).name[:32]}")

        options = IngestOptions(
            max_bytes=max_size * 1024 * 1024,
            timeout=timeout,
            jobs=jobs,
            extract=ExtractOptions(password=password, ocr=not no_ocr),
        )
        report = run_ingest(collection, paths, overrides, options, on_outcome=advance)
    failures = [o for o in report.outcomes if o.status == "failed"]
    if output == "json":
        echo_json(report.to_dict())
    elif output == "csv":
        echo_csv(
            ["path", "status", "id", "file", "pages", "message"],
            [
                [o.path, o.status, o.document_id, o.file, o.pages, o.message]
                for o in report.outcomes
            ],
        )
    else:
        for outcome in report.outcomes:
            if outcome.status != "failed" and outcome.message:
                click.echo(f"note: {outcome.path}: {outcome.message}", err=True)
        for outcome in failures:
            click.secho(f"FAILED {outcome.path}: {outcome.message}", fg="red", err=True)
        rate = report.pages / report.seconds if report.seconds else 0.0
        skipped = report.count("skipped")
        click.echo(
            f"{report.count('added')} added, {report.count('updated')} updated,"
            f" {report.count('unchanged')} unchanged, {len(failures)} failed"
            + (f", {skipped} skipped" if skipped else "")
            + f" ({report.pages} pages in {report.seconds:.1f} s, {rate:.0f} pages/s)"
        )
    if failures:
        ctx.exit(1)
