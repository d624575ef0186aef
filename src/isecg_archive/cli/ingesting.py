"""`ingest`: files and folders into the archive."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from isecg_archive.cli.base import (
    cli,
    collection_of,
    echo_csv,
    echo_json,
    event_dates,
    output_options,
    partial_date,
)
from isecg_archive.collection import Collection
from isecg_archive.storage.records import DOCUMENT_TYPES

if TYPE_CHECKING:  # imported when a command runs: the parsers cost every command's start
    from isecg_archive.enrich import Overrides
    from isecg_archive.pipeline.ingest import IngestOptions


def batch_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """What a batch of files is given: its metadata, and how to read it (`ingest`, `watch`)."""
    every = "of every file"
    options = [
        click.option("--agency", "agencies", multiple=True, help=f"Agency {every} (repeatable)."),
        click.option("--topic", "topics", multiple=True, help=f"Topic {every} (repeatable)."),
        click.option("--type", "doc_type", type=click.Choice(DOCUMENT_TYPES), help="Type."),
        click.option("--date", callback=partial_date, help="Publication date: YYYY[-MM[-DD]]."),
        click.option("--event", help="The event the documents come from."),
        click.option(
            "--event-date",
            callback=event_dates,
            help="Its date: YYYY[-MM[-DD]], or the days it ran: START/END.",
        ),
        click.option("--event-place", help="Where the event was held: a city, a country."),
        click.option("--max-size", default=200, show_default=True, help="Largest file, in MB."),
        click.option("--timeout", default=120, show_default=True, help="Seconds to read a file."),
        click.option("--jobs", type=click.IntRange(min=1), help="Worker processes [all cores]."),
        click.option("--password", help="Password of the encrypted PDF and Office files."),
        click.option("--no-ocr", is_flag=True, help="Do not OCR scanned pages."),
        click.option("--restore", is_flag=True, help="Bring back removed files given again."),
        click.option(
            "--internal",
            is_flag=True,
            help="For the agencies only: the viewer shows them only with `serve --show-internal`.",
        ),
        click.option(
            "--update-existing",
            is_flag=True,
            help="Apply the values given (--agency, --date...) to files already archived too;"
            " without it they are for new documents only.",
        ),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def batch_settings(
    collection: Collection, options: dict[str, Any], **more: Any
) -> tuple[Overrides, IngestOptions]:
    """The batch's overrides and reading options from batch_options' values (taken out)."""
    from isecg_archive.cleantext import refuse_controls
    from isecg_archive.enrich import Overrides
    from isecg_archive.extract import ExtractOptions
    from isecg_archive.pipeline.ingest import IngestOptions

    vocabulary = collection.vocabulary
    overrides = Overrides(
        title=options.pop("title", None),
        date=options.pop("date"),
        event=options.pop("event"),
        event_date=options.pop("event_date"),
        event_place=options.pop("event_place"),
        type=options.pop("doc_type"),
        agencies=tuple(dict.fromkeys(vocabulary.agency(a) for a in options.pop("agencies"))),
        topics=tuple(dict.fromkeys(vocabulary.topic(t) for t in options.pop("topics"))),
    )
    for name in ("title", "event", "event_place", "agencies", "topics"):
        refuse_controls(name, getattr(overrides, name))
    reading = IngestOptions(
        max_bytes=options.pop("max_size") * 1024 * 1024,
        timeout=options.pop("timeout"),
        jobs=options.pop("jobs"),
        extract=ExtractOptions(password=options.pop("password"), ocr=not options.pop("no_ocr")),
        restore=options.pop("restore"),
        internal=options.pop("internal"),
        update_existing=options.pop("update_existing"),
        **more,
    )
    return overrides, reading


def with_captions(options: Any, captions: Path, items: list[Any]) -> Any:
    """The ingest's options with a recording's captions, checked: WebVTT or SRT, for one
    recording."""
    from isecg_archive.extract import captions as captioning
    from isecg_archive.extract.recording import EXTENSIONS

    if captions.suffix.lower() not in captioning.SUFFIXES:
        raise click.BadParameter(
            "give WebVTT (.vtt) or SRT (.srt) captions", param_hint="--captions"
        )
    files = [item[0] for item in items if isinstance(item, tuple)]
    if len(files) == 1 and files[0].suffix.lower() not in EXTENSIONS:
        raise click.BadParameter(
            f"captions are for a recording ({', '.join(EXTENSIONS)}), and {files[0].name} is not"
            " one",
            param_hint="--captions",
        )
    extract = dataclasses.replace(options.extract, captions=captions)
    return dataclasses.replace(options, extract=extract)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@batch_options
@click.option("--title", help="Title (of a single file).")
@click.option(
    "--replace",
    metavar="ID",
    help="The (single) file is a new version of this document: it takes its place.",
)
@click.option(
    "--captions",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The (single) recording's captions: WebVTT or SRT (else NAME.vtt beside it is used).",
)
@output_options
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[Path, ...],
    title: str | None,
    replace: str | None,
    captions: Path | None,
    output: str,
    **batch: Any,
) -> None:
    """Add files and folders (recursively) to the archive and the index.

    Files are read in parallel worker processes, each within --timeout seconds. The same bytes
    ingested again are unchanged: the values given (--agency, --date...) are for new documents,
    and --update-existing applies them to the records of files already archived too. A
    different file under a name the archive holds is a new document beside it (summary-2.pdf),
    unless --replace ID makes it a new version of that document (the old one goes to the
    trash). Bytes that were removed are not added again without --restore. An
    encrypted PDF without its --password, or a scan without Tesseract, is archived with its
    metadata and reported. Exit status 1 when a file failed.

    \b
    Example:
        isecg-archive ingest reports/ slides/deck.pdf --agency ESA --topic mars --date 2019-06
    """
    from isecg_archive.pipeline.ingest import Outcome, find_files
    from isecg_archive.pipeline.ingest import ingest as run_ingest

    collection = collection_of(ctx)
    overrides, options = batch_settings(collection, {**batch, "title": title}, replace=replace)
    items = list(find_files(paths))
    files = sum(1 for item in items if not isinstance(item, Outcome))
    if captions is not None:
        options = with_captions(options, captions, items)
    for given, name in ((title, "--title"), (replace, "--replace"), (captions, "--captions")):
        if given and files > 1:
            raise click.UsageError(
                f"{name} is for a single file, and {files} files were given; ingest that file"
                " by itself"
            )
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

        def stage(doing: str) -> None:  # after the last file: say what it still does
            bar.current_item = f"{pages} pages · {doing}…"
            bar.render_progress()  # update() renders only when the bar moves

        report = run_ingest(
            collection, paths, overrides, options, on_outcome=advance, on_stage=stage
        )
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


@cli.command()
@click.argument("inbox", type=click.Path(file_okay=False, path_type=Path))
@batch_options
@click.option(
    "--settle",
    default=2.0,
    show_default=True,
    help="Seconds a file must stay the same size before it is taken.",
)
@click.option("--interval", default=1.0, show_default=True, help="Seconds between looks.")
@click.option(
    "--follow-links",
    is_flag=True,
    help="Take links to files outside the inbox too (by default they go to failed/).",
)
@click.pass_context
def watch(
    ctx: click.Context,
    inbox: Path,
    settle: float,
    interval: float,
    follow_links: bool,
    **batch: Any,
) -> None:
    """Watch INBOX and ingest each file dropped into it once it is complete, with the same
    options as `ingest`; then move it to INBOX/done/, or to INBOX/failed/ beside a
    NAME.reason.txt. Runs until Ctrl-C or SIGTERM, and can be stopped and started again at any
    moment: nothing is ingested twice or lost.

    \b
    Example:
        isecg-archive watch ~/isecg-inbox --agency ESA
    """
    from isecg_archive.pipeline.watching import Inbox
    from isecg_archive.pipeline.watching import watch as run_watch

    collection = collection_of(ctx)
    overrides, options = batch_settings(collection, batch)
    inbox.mkdir(parents=True, exist_ok=True)

    def told(moved: Any) -> None:
        outcome = moved.outcome
        line = f"{outcome.status}: {Path(outcome.path).name} -> {moved.moved_to}"
        click.echo(line + (f" ({outcome.message})" if outcome.message else ""), err=False)

    try:
        click.echo(f"Watching {inbox} (Ctrl-C to stop)")
        run_watch(
            collection, Inbox(inbox, settle, follow_links), overrides, options, interval, told
        )
    except KeyboardInterrupt:
        click.echo("Stopped watching; files not yet taken stay in the inbox.")
