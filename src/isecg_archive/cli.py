"""The command line: parse options, call the core, print for people, JSON or CSV."""

from __future__ import annotations

import csv
import errno
import functools
import json
import logging
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from isecg_archive.collection import ARCHIVE_ENV, INDEX_ENV, Collection
from isecg_archive.engine.snippets import Snippet, split_at
from isecg_archive.errors import ArchiveError, MetadataError, QueryError
from isecg_archive.records import DOCUMENT_TYPES, PartialDate, document_json
from isecg_archive.search import SORTS, ResultPage, SearchRequest

USAGE_ERRORS = (QueryError, MetadataError)  # what a person typed: exit status 2
# A folder that cannot be written: a full disk or quota, a read-only mount, its permissions.
WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


class _Group(click.Group):
    """Turns our errors into one-line messages, never a traceback: exit status 2 for a usage
    error (a bad option value, date or query), 1 for a failure of the work. With --json, the
    message is a JSON object on standard output: {"error": ..., "status": ...}."""

    def invoke(self, ctx: click.Context) -> Any:
        wants_json = "--json" in [*getattr(ctx, "_protected_args", ()), *ctx.args]
        try:
            try:
                return super().invoke(ctx)
            except ArchiveError as exc:
                problem = _UsageProblem if isinstance(exc, USAGE_ERRORS) else click.ClickException
                raise problem(str(exc)) from exc
            except OSError as exc:
                if exc.errno not in WRITE_ERRORS:
                    raise
                collection = ctx.obj if isinstance(ctx.obj, Collection) else None
                named = exc.filename2 or exc.filename  # a copy names its source, then its target
                where = Path(named).parent if named else None
                where = where or (collection.index.path.parent if collection else Path.cwd())
                raise click.ClickException(
                    f"cannot write in {where}: {exc.strerror}; free some space or check the"
                    " folder's permissions, then run the command again (what was not"
                    " finished was undone)"
                ) from exc
        except click.ClickException as exc:
            if not wants_json:
                raise
            _echo_json({"error": exc.format_message(), "status": exc.exit_code})
            ctx.exit(exc.exit_code)


class _UsageProblem(click.ClickException):
    """A usage error in one line (click's UsageError adds the usage and a hint): status 2."""

    exit_code = 2


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="isecg-archive")
@click.option(
    "--archive",
    "archive_dir",
    envvar=ARCHIVE_ENV,
    type=click.Path(file_okay=False, path_type=Path),
    help=f"Archive folder (default: ./archive, or ${ARCHIVE_ENV}).",
)
@click.option(
    "--index",
    "index_dir",
    envvar=INDEX_ENV,
    type=click.Path(file_okay=False, path_type=Path),
    help=f"Index folder (default: beside the archive, or ${INDEX_ENV}).",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="When another process is changing the archive, wait at most this long"
    " (default: until it has finished).",
)
@click.pass_context
def cli(
    ctx: click.Context, archive_dir: Path | None, index_dir: Path | None, wait: float | None
) -> None:
    """Ingest ISECG publications, index them, and search them by agency, topic and date.

    \b
    Example:
        isecg-archive ingest ~/inbox/workshop-2016 --agency NASA --event "LPV Workshop"
        isecg-archive search '"polar volatiles"' --agency JAXA --since 2019
    """
    ctx.obj = Collection(archive_dir or Path("archive"), index_dir)
    ctx.obj.wait = wait
    ctx.obj.on_wait = functools.partial(click.echo, err=True)
    ctx.obj.writer = f"isecg-archive {ctx.invoked_subcommand}"
    _recover(ctx.obj)


def _recover(collection: Collection) -> None:
    """After a command that was killed while writing, repair first, and say what was done."""
    holder = collection.lock.interrupted()
    if holder is None or not collection.archive.root.is_dir():
        return
    from isecg_archive.check import repair

    click.echo(f"the last writer ({holder}) stopped without finishing; repairing", err=True)
    for line in repair(collection) or ["nothing was left to repair"]:
        click.echo(f"repaired: {line}", err=True)


def _collection(ctx: click.Context) -> Collection:
    collection: Collection = ctx.find_root().obj
    return collection


def _require_archive(collection: Collection) -> None:
    if not collection.archive.root.is_dir():
        raise click.ClickException(
            f"no archive at {collection.archive.root}; pass --archive DIR, set ${ARCHIVE_ENV},"
            " or ingest some files first"
        )


def output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--json and --csv for scripts; a readable table otherwise."""

    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
    @click.option("--csv", "as_csv", is_flag=True, help="Print CSV with a header row.")
    @functools.wraps(command)
    def wrapper(*args: Any, as_json: bool, as_csv: bool, **kwargs: Any) -> Any:
        if as_json and as_csv:
            raise click.UsageError("choose one of --json and --csv")
        output = "json" if as_json else "csv" if as_csv else "table"
        return command(*args, output=output, **kwargs)

    return wrapper


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _echo_csv(header: list[str], rows: list[list[Any]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> PartialDate | None:
    try:
        return PartialDate.parse(value) if value else None
    except MetadataError as exc:
        raise click.BadParameter(str(exc)) from None


def _styled(snippet: Snippet) -> str:
    return "".join(
        click.style(piece, bold=True, fg="yellow") if hit else piece
        for piece, hit in split_at(snippet.text, snippet.matches)
    )


# ingest ---------------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--agency", "agencies", multiple=True, help="Agency of every file (repeatable).")
@click.option("--topic", "topics", multiple=True, help="Topic of every file (repeatable).")
@click.option("--type", "doc_type", type=click.Choice(DOCUMENT_TYPES), help="Document type.")
@click.option("--date", callback=_date, help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--event", help="The event the documents come from.")
@click.option("--event-date", callback=_date, help="The event's date: YYYY[-MM[-DD]].")
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

    collection = _collection(ctx)
    vocabulary = collection.vocabulary
    overrides = Overrides(
        title=title,
        date=date,
        event=event,
        event_date=event_date,
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
        _echo_json(report.to_dict())
    elif output == "csv":
        _echo_csv(
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


# search ---------------------------------------------------------------------------------


def _filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--agency", "agencies", multiple=True, help="Only this agency (repeatable: all)."
        ),
        click.option("--topic", "topics", multiple=True, help="Only this topic (repeatable: all)."),
        click.option(
            "--type", "types", multiple=True, type=click.Choice(DOCUMENT_TYPES),
            help="Only this type (repeatable: any).",
        ),
        click.option("--since", callback=_date, help="Dated on or after YYYY[-MM[-DD]]."),
        click.option("--until", callback=_date, help="Dated on or before YYYY[-MM[-DD]]."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def _request(collection: Collection, query: str, **options: Any) -> SearchRequest:
    vocabulary = collection.vocabulary
    return SearchRequest(
        query=query,
        agencies=tuple(vocabulary.agency(a) for a in options.pop("agencies")),
        topics=tuple(vocabulary.topic(t) for t in options.pop("topics")),
        **options,
    )


@cli.command()
@click.argument("query", default="")
@_filter_options
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
    collection = _collection(ctx)
    _require_archive(collection)
    result = collection.search(_request(collection, query, **options))
    if output == "json":
        _echo_json(result.to_dict())
    elif output == "csv":
        _echo_csv(
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
        head = f"{_count(result.total, 'document')} in the archive"
    elif result.complete < result.total:
        some = result.total - result.complete
        head = (
            f"{_count(result.complete, 'document')} {_agree(result.complete)} all the words of"
            f" {query!r}; {some} more {_agree(some)} some of them"
        )
    else:
        head = f"{_count(result.total, 'document')} {_agree(result.total)} {query!r}"
    click.echo(f"{head} (page {request.page} of {result.pages})")
    if result.suggestion:
        click.echo(f"Did you mean: {result.suggestion!r}?")
    if result.total and not result.hits:
        click.echo(
            f"Page {request.page} is past the end: there {'is' if result.pages == 1 else 'are'}"
            f" {_count(result.pages, 'page')} of results; try --page {result.pages}."
        )
    for hit in result.hits:
        doc = hit.document
        date = str(doc.date) if doc.date else "undated"
        click.echo("")
        click.echo(f"{hit.rank:>3}. {date:<10}  " + click.style(doc.title, bold=True))
        agencies = ", ".join(doc.agencies) or "no agency"
        partial = " · matches some of the words" if hit.matched == "some" else ""
        click.echo(f"     {agencies} · {doc.type.replace('-', ' ')} · id {doc.id}{partial}")
        for snippet in hit.snippets:
            click.echo(f"     p. {snippet.page}: {_styled(snippet)}")


def _count(number: int, noun: str) -> str:
    """ "1 document", "2 documents"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _agree(number: int) -> str:
    return "matches" if number == 1 else "match"


# facets, show, remove, reindex, check -----------------------------------------------------


@cli.command()
@click.argument("query", default="")
@_filter_options
@output_options
@click.pass_context
def facets(ctx: click.Context, query: str, output: str, **options: Any) -> None:
    """Count documents by agency, topic, type and year, over every match of QUERY.

    \b
    Example:
        isecg-archive facets "lunar surface" --since 2015
    """
    collection = _collection(ctx)
    _require_archive(collection)
    result = collection.search(_request(collection, query, per_page=1, **options))
    data = result.to_dict()
    if output == "json":
        _echo_json({key: data[key] for key in ("query", "filters", "total", "facets")})
    elif output == "csv":
        _echo_csv(
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
@output_options
@click.pass_context
def show(ctx: click.Context, document_id: str, output: str) -> None:
    """Show a document's metadata, then its text page by page.

    \b
    Example:
        isecg-archive show 3f2a9b1c0d2e
    """
    collection = _collection(ctx)
    _require_archive(collection)
    document = collection.find(document_id)
    pages = collection.extraction(document).pages
    if output == "json":
        _echo_json(document_json(document, pages))
        return
    if output == "csv":
        _echo_csv(["page", "text"], [[n, text] for n, text in enumerate(pages, 1)])
        return
    for key, value in document.to_dict().items():
        if isinstance(value, list):
            value = ", ".join(value)
        click.echo(f"{key + ':':<15} {value if value not in (None, '') else '-'}")
    for number, text in enumerate(pages, start=1):
        click.echo(click.style(f"\n--- page {number} of {len(pages)} ---", bold=True))
        click.echo(text or "(no text on this page)")


@cli.command()
@click.argument("document_id")
@click.pass_context
def remove(ctx: click.Context, document_id: str) -> None:
    """Remove a document from the archive and the index (its files go to the .trash folder).

    \b
    Example:
        isecg-archive remove 3f2a9b1c0d2e
    """
    collection = _collection(ctx)
    _require_archive(collection)
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
    collection = _collection(ctx)
    _require_archive(collection)
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

    collection = _collection(ctx)
    _require_archive(collection)
    if repair:
        for line in run_repair(collection):
            click.echo(f"repaired: {line}", err=True)
    problems = list(run_check(collection, verify_hashes=not quick))
    problems += leftovers(collection)
    attention = list(needing_attention(collection))
    documents = sum(1 for _ in collection.archive.record_files())
    if output == "json":
        _echo_json(
            {
                "documents": documents,
                "problems": [p.to_dict() for p in problems],
                "attention": [p.to_dict() for p in attention],
            }
        )
    elif output == "csv":
        _echo_csv(
            ["kind", "subject", "message"],
            [["problem", p.subject, p.message] for p in problems]
            + [["attention", p.subject, p.message] for p in attention],
        )
    else:
        for problem in problems:
            click.echo(f"{problem.subject}: {problem.message}")
        if problems:
            click.echo(f"{_count(len(problems), 'problem')} in {_count(documents, 'document')}")
        else:
            click.echo(f"OK: {documents} documents, every original present and indexed")
        for note in attention:
            click.echo(f"to do: {note.subject}: {note.message}")
    if problems:
        ctx.exit(1)


# serve ------------------------------------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, help="Worker threads.")
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer to this host name (repeatable); 127.0.0.1, localhost, [::1] and the"
    " --host name always are.",
)
@click.pass_context
def serve(
    ctx: click.Context, host: str, port: int, threads: int, allow_hosts: tuple[str, ...]
) -> None:
    """Serve the web viewer (waitress, multi-threaded) on this machine only, by default.

    \b
    Example:
        isecg-archive serve --port 8080
    """
    import waitress

    from isecg_archive.web import create_app

    collection = _collection(ctx)
    _require_archive(collection)
    names = {host, *allow_hosts} - {"0.0.0.0", "::", ""}
    app = create_app(
        {
            "ARCHIVE_DIR": collection.archive.root,
            "INDEX_DIR": collection.index.path.parent,
            "KEEP_SEARCHERS": True,
            "ALLOWED_HOSTS": sorted(names),
        }
    )
    # Under load waitress warns of its queue at every request: the clients see the wait.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Serving {collection.archive.root} at http://{shown}:{port}/ (Ctrl-C to stop)")
    waitress.serve(app, host=host, port=port, threads=threads, ident="isecg-archive")


# edit, redetect, vocab ----------------------------------------------------------------------


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
@click.option("--date", callback=_date, help="Set the date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--event", help="Set the event.")
@click.option("--event-date", callback=_date, help="Set the event's date.")
@click.option("--type", "doc_type", type=click.Choice(DOCUMENT_TYPES), help="Set the type.")
@click.option("--agency", "agencies", multiple=True, help="Set the agencies (repeatable).")
@click.option("--topic", "topics", multiple=True, help="Set the topics (repeatable).")
@click.option("--author", "authors", multiple=True, help="Set the authors (repeatable).")
@click.option(
    "--clear",
    multiple=True,
    callback=_field_names,
    metavar="FIELD",
    help="Empty a field: date, event, event-date, agencies, topics, authors (repeatable).",
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

    collection = _collection(ctx)
    _require_archive(collection)
    vocabulary = collection.vocabulary
    given["type"] = given.pop("doc_type")
    given["agencies"] = tuple(dict.fromkeys(vocabulary.agency(a) for a in given["agencies"]))
    given["topics"] = tuple(dict.fromkeys(vocabulary.topic(t) for t in given["topics"]))
    values = {name: value for name, value in given.items() if value not in (None, ())}
    if not (values or clear or detect):
        raise click.UsageError("say what to change: an option such as --title, --clear or --detect")
    document, changes = run_edit(collection, document_id, values, clear, detect)
    if output == "json":
        _echo_json({"document": document.to_dict(), "changes": [c.to_dict() for c in changes]})
    elif output == "csv":
        _echo_csv(["file", "field", "old", "new"], [list(c.to_dict().values()) for c in changes])
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

    collection = _collection(ctx)
    _require_archive(collection)
    changes = run_redetect(collection, dry_run=dry_run)
    documents = len({change.file for change in changes})
    if output == "json":
        _echo_json(
            {"dry_run": dry_run, "documents": documents, "changes": [c.to_dict() for c in changes]}
        )
    elif output == "csv":
        _echo_csv(["file", "field", "old", "new"], [list(c.to_dict().values()) for c in changes])
    else:
        _print_changes(changes)
        verb = "would change" if dry_run else "changed"
        click.echo(f"{documents} documents {verb}")


@cli.command()
@output_options
@click.pass_context
def vocab(ctx: click.Context, output: str) -> None:
    """List the agencies, related bodies, topics and search glossary in force.

    The package's vocabulary and glossary, extended by the archive's own vocabulary.toml and
    glossary.toml if it has them.

    \b
    Example:
        isecg-archive vocab --json
    """
    import dataclasses

    vocabulary = _collection(ctx).vocabulary
    glossary = _collection(ctx).glossary
    if output == "json":
        _echo_json(
            {
                "sources": [*vocabulary.sources, *glossary.sources],
                **{
                    section: [dataclasses.asdict(entry) for entry in getattr(vocabulary, section)]
                    for section in ("agencies", "related", "topics")
                },
                "acronyms": {key: list(value) for key, value in glossary.acronyms.items()},
                "spellings": glossary.pairs,
            }
        )
        return
    if output == "csv":
        rows = [["agency", a.key, a.name, "; ".join(a.names[2:])] for a in vocabulary.agencies]
        rows += [["related", b.key, b.name, "; ".join(b.names[2:])] for b in vocabulary.related]
        rows += [
            ["topic", t.key, t.label, "; ".join((*t.strong, *t.signals))] for t in vocabulary.topics
        ]
        rows += [["acronym", k, "; ".join(v), ""] for k, v in glossary.acronyms.items()]
        rows += [
            ["spelling", british, american, ""] for british, american in glossary.pairs.items()
        ]
        _echo_csv(["kind", "key", "name", "also"], rows)
        return
    click.echo("Read from " + "; ".join((*vocabulary.sources, *glossary.sources)))
    click.echo(f"\nAcronyms ({len(glossary.acronyms)}), each finding its expansions and back")
    for key, expansions in glossary.acronyms.items():
        click.echo(f"  {key:<10} {'; '.join(expansions)}")
    pairs = ", ".join(f"{b}/{a}" for b, a in glossary.pairs.items())
    click.echo(f"\nSpellings: -ise/-ize, -yse/-yze, -our/-or, -tre/-ter, -ence/-ense, and {pairs}")
    for title, bodies in (
        ("Agencies", vocabulary.agencies),
        ("Related bodies", vocabulary.related),
    ):
        click.echo(f"\n{title} ({len(bodies)})")
        for body in bodies:
            click.echo(f"  {body.key:<10} {body.name}")
            others = [n for n in body.names if n not in (body.key, body.name)]
            if others:
                click.echo(f"  {'':<10} also: {', '.join(others)}")
            if body.ambiguous:
                click.echo(
                    f"  {'':<10} {', '.join(body.ambiguous)} only beside:"
                    f" {', '.join(body.context)}, or in a list of agencies"
                )
    click.echo(f"\nTopics ({len(vocabulary.topics)})")
    for topic in vocabulary.topics:
        click.echo(f"  {topic.key:<28} {topic.label}")
        click.echo(f"  {'':<28} strong: {', '.join(topic.strong)}")
        click.echo(f"  {'':<28} signals: {', '.join(topic.signals)}")


def _interrupted(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    # SIGTERM (kill, a service manager, a closed session) stops a command as Ctrl-C does: what
    # it was writing is undone or committed whole, the lock freed, no traceback.
    signal.signal(signal.SIGTERM, _interrupted)
    cli(prog_name="isecg-archive")
