"""The command line's root: the `cli` group, its options and error handling, and the helpers
every command group shares (the collection, JSON and CSV output, dates)."""

from __future__ import annotations

import csv
import errno
import functools
import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from isecg_archive.citing.links import BASE_URL_ENV, DEFAULT_BASE_URL
from isecg_archive.cleantext import for_terminal
from isecg_archive.collection import ARCHIVE_ENV, INDEX_ENV, Collection
from isecg_archive.engine.snippets import Snippet, split_at
from isecg_archive.errors import ArchiveError, MetadataError, QueryError, StorageError
from isecg_archive.outputs.spreadsheets import cell
from isecg_archive.storage.history import recorded_command
from isecg_archive.storage.records import PartialDate

if TYPE_CHECKING:
    from isecg_archive.maintenance.corrections import Change

_C1 = re.compile("[\x7f-\x9f]")
USAGE_ERRORS = (QueryError, MetadataError)  # what a person typed: exit status 2
# A folder that cannot be written: a full disk or quota, a read-only mount, its permissions.
WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


class _Group(click.Group):
    """Turns our errors into one-line messages, never a traceback: exit status 2 for a usage
    error (a bad option value, date or query), 1 for a failure of the work. With --json, the
    message is a JSON object on standard output: {"error": ..., "status": ...}."""

    def invoke(self, ctx: click.Context) -> Any:
        given = [*getattr(ctx, "_protected_args", ()), *ctx.args]
        ctx.meta["isecg-archive.arguments"] = given  # the command line, for the history
        wants_json = "--json" in given
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
        except click.UsageError as exc:
            # One line, as every error here: what is wrong and where to read the options.
            message = exc.format_message()
            if type(exc) is not click.UsageError:  # click's own: a bad option or value
                message += f" (see `{exc.ctx.command_path if exc.ctx else 'isecg-archive'} -h`)"
            usage = _UsageProblem(message)
            if not wants_json:
                raise usage from None
            echo_json({"error": usage.format_message(), "status": usage.exit_code})
            ctx.exit(usage.exit_code)
        except click.ClickException as exc:
            if not wants_json:
                raise
            echo_json({"error": exc.format_message(), "status": exc.exit_code})
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
    # For the history: the command and its arguments (the global options aside).
    given = ctx.meta.get("isecg-archive.arguments", [])
    ctx.obj.archive.command = recorded_command(given, ctx.obj.archive.root)
    _recover(ctx.obj)


def _recover(collection: Collection) -> None:
    """After a command that was killed while writing, repair first, and say what was done.

    An archive that cannot be written (a read-only mount, a backup) is searched as it was
    left: the repair is skipped with a warning."""
    holder = collection.lock.interrupted()
    if holder is None:
        if collection.archive.unfinished() is None or collection.lock.busy():
            return
        holder = "a command"
    if not collection.archive.root.is_dir():
        return
    from isecg_archive.maintenance.check import repair

    click.echo(f"the last writer ({holder}) stopped without finishing; repairing", err=True)
    try:
        done = repair(collection)
    except (OSError, StorageError) as exc:
        if isinstance(exc, OSError) and exc.errno not in WRITE_ERRORS:
            raise
        click.echo(
            "warning: the archive cannot be written here, so it was not repaired; it is read"
            " as it was left (run `isecg-archive check --repair` where it can be written)",
            err=True,
        )
        return
    for line in done or ["nothing was left to repair"]:
        click.echo(f"repaired: {line}", err=True)


def collection_of(ctx: click.Context) -> Collection:
    collection: Collection = ctx.find_root().obj
    return collection


def require_archive(collection: Collection) -> None:
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


def base_url_option(command: Callable[..., Any] | None = None, *, help: str | None = None) -> Any:
    """Where the viewer is served, for the documents' addresses in citations and exports
    (and, with its own help, for `serve`)."""
    option = click.option(
        "--base-url",
        envvar=BASE_URL_ENV,
        metavar="URL",
        callback=lambda ctx, param, value: checked_base_url(value) if value else value,
        help=help
        or f"The viewer's address, for documents' links (default: {DEFAULT_BASE_URL},"
        f" or ${BASE_URL_ENV}).",
    )
    return option(command) if command is not None else option


def checked_base_url(url: str) -> str:
    """A base URL as given, if it is an http(s) address with a host; one line otherwise."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise click.BadParameter(
            f"{url!r} is not an http:// or https:// address such as https://archive.example.org",
            param_hint="--base-url",
        )
    return url.strip().rstrip("/")


def shown(value: Any) -> str:
    """A record's value for people: a list joined with commas, nothing as (none)."""
    if isinstance(value, list | tuple):
        return for_terminal(", ".join(str(part) for part in value)) or "(none)"
    return "(none)" if value in (None, "") else for_terminal(str(value))


def print_changes(changes: Iterable[Change]) -> None:
    """One line per changed field: `file: field: old -> new`."""
    for change in changes:
        click.echo(f"{change.file}: {change.field}: {shown(change.old)} -> {shown(change.new)}")


def echo_json(data: Any) -> None:
    # JSON escapes the C0 controls itself; the C1 ones (U+009B starts a terminal's command)
    # are escaped here too, so that the JSON read on a terminal is as safe as the table.
    click.echo(
        _C1.sub(
            lambda m: f"\\u{ord(m.group()):04x}", json.dumps(data, indent=2, ensure_ascii=False)
        )
    )


def echo_csv(header: list[str], rows: list[list[Any]]) -> None:
    """CSV on stdout, each value a cell as spreadsheets.cell() writes it: a title a
    spreadsheet would run as a formula comes out behind a quote, as in the other CSV outputs."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([cell(value) for value in row] for row in rows)


def partial_date(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> PartialDate | None:
    try:
        return PartialDate.parse(value) if value else None
    except MetadataError as exc:
        raise click.BadParameter(str(exc)) from None


def event_dates(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> PartialDate | None:
    """An event's date, or the range of days it ran (START/END)."""
    try:
        return PartialDate.parse(value, interval=True) if value else None
    except MetadataError as exc:
        raise click.BadParameter(str(exc)) from None


def styled(snippet: Snippet) -> str:
    return "".join(
        click.style(for_terminal(piece), bold=True, fg="yellow") if hit else for_terminal(piece)
        for piece, hit in split_at(snippet.text, snippet.matches)
    )


def counted(number: int, noun: str) -> str:
    """ "1 document", "2 documents"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def agree(number: int) -> str:
    return "matches" if number == 1 else "match"
