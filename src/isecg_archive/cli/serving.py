"""`serve`: the web viewer."""

from __future__ import annotations

import errno
import os
import re
import socket
from collections.abc import Callable

import click

from isecg_archive.citing.links import BASE_URL_ENV
from isecg_archive.cli.base import base_url_option, cli, collection_of, require_archive
from isecg_archive.outputs.oai import ADMIN_EMAIL, REPOSITORY_ID

# What the OAI-PMH schemas accept (emailType, oai-identifier's repositoryIdentifierType).
_EMAIL = re.compile(r"\S+@(\S+\.)+\S+")
_REPOSITORY = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")


def _matching(pattern: re.Pattern[str], wanted: str) -> Callable[..., str]:
    """An option's callback that takes only values the pattern matches whole."""

    def check(ctx: click.Context, param: click.Parameter, value: str) -> str:
        if not pattern.fullmatch(value):
            raise click.BadParameter(f"{value!r} is not {wanted}", param_hint=param.opts[0])
        return value

    return check


def _bracketed(host: str) -> str:
    """A host as it stands in an address: an IPv6 one in brackets."""
    return f"[{host}]" if ":" in host else host


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes, each answering requests on a core of its own (default: one per core).",
)
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=click.IntRange(min=1),
    help="Threads of each process.",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer to this host name (repeatable); 127.0.0.1, localhost, [::1] and the"
    " --host name always are.",
)
@click.option(
    "--admin-email",
    default=ADMIN_EMAIL,
    show_default=True,
    callback=_matching(_EMAIL, "an address such as archive@agency.example.org"),
    help="The address OAI-PMH harvesters are given to write to (Identify).",
)
@click.option(
    "--repository-id",
    default=REPOSITORY_ID,
    show_default=True,
    callback=_matching(_REPOSITORY, "a domain name such as archive.agency.example.org"),
    help="The OAI-PMH repository identifier: items are oai:ID:DOCUMENT-ID. Keep it once"
    " harvesters have it.",
)
@base_url_option(
    help="The address readers reach the viewer by (https://archive.example.org): every"
    " document's address, in feeds, OAI-PMH, citations and page tags, starts with it."
    f" Default: the address served, or ${BASE_URL_ENV}.",
)
@click.option(
    "--proxy",
    "proxies",
    multiple=True,
    metavar="ADDRESS",
    help="A reverse proxy's address (repeatable): without --base-url, the X-Forwarded-Proto"
    " and X-Forwarded-Host it sends make the documents' addresses.",
)
@click.option(
    "--show-internal",
    is_flag=True,
    help="Show the documents and events for the agencies only (marked --internal); without"
    " it they are not there at all, whoever asks.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    workers: int | None,
    threads: int,
    allow_hosts: tuple[str, ...],
    admin_email: str,
    repository_id: str,
    base_url: str | None,
    proxies: tuple[str, ...],
    show_internal: bool,
) -> None:
    """Serve the web viewer on this machine only, by default: gunicorn, with --workers
    processes of --threads threads each (a process per core by default).

    \b
    Example:
        isecg-archive serve --port 8080
    """
    collection = collection_of(ctx)
    require_archive(collection)
    _check_host(host)
    _check_port(host, port)
    names = {host, *allow_hosts} - {"0.0.0.0", "::", ""}
    config = {
        "ARCHIVE_DIR": collection.archive.root,
        "INDEX_DIR": collection.index.path.parent,
        "KEEP_SEARCHERS": True,
        "ALLOWED_HOSTS": sorted(names),
        "OAI_ADMIN_EMAIL": admin_email,
        "OAI_REPOSITORY_ID": repository_id,
        "BASE_URL": base_url,
        "STARTED_AT": _started_at(host, port, allow_hosts),
        "PROXIES": proxies,
        "SHOW_INTERNAL": show_internal,
    }
    collection.ensure_index()  # once, here, rather than by every worker at once
    where = f"{collection.archive.root} at http://{_bracketed(host)}:{port}/"
    if show_internal:
        where += ", internal documents and events included"
        if not _local(host):
            click.echo(
                f"Warning: {host} is reached from beyond this machine, and --show-internal"
                " shows whoever reaches it what is for the agencies only.",
                err=True,
            )
    run_viewer(
        config,
        f"{_bracketed(host)}:{port}",
        workers or os.cpu_count() or 1,
        threads,
        ready=lambda: click.echo(f"Serving {where} (Ctrl-C to stop)"),
        stopped=lambda: click.echo("Stopped serving."),
    )


def run_viewer(
    config: dict[str, object],
    bind: str,
    workers: int,
    threads: int,
    ready: Callable[[], None],
    stopped: Callable[[], None],
) -> None:
    """The viewer served by gunicorn until Ctrl-C or SIGTERM (then exit status 0).

    gunicorn: maintained, pre-forking, it restarts a worker that dies and stops them all
    cleanly on SIGINT and SIGTERM. Each worker makes its own app (and its own searchers) after
    the fork: nothing open is shared between processes. Forwarded headers are the app's to
    believe (--proxy), never gunicorn's; the query string's length is the app's to refuse.
    """
    from gunicorn.app.base import BaseApplication

    from isecg_archive.web import create_app

    settings = {
        "bind": [bind],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "loglevel": "warning",
        "accesslog": None,
        "errorlog": "-",
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
        "limit_request_line": 0,
        "graceful_timeout": 10,
        "timeout": 120,
        "proc_name": "isecg-archive",
        "when_ready": lambda arbiter: ready(),
        "on_exit": lambda arbiter: stopped(),
    }

    class Viewer(BaseApplication):
        def load_config(self) -> None:
            for name, value in settings.items():
                self.cfg.set(name, value)

        def load(self) -> object:
            return create_app(config)

    Viewer().run()


def _local(host: str) -> bool:
    """Whether only this machine reaches an address (a loopback one)."""
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _check_port(host: str, port: int) -> None:
    """The port free on the host, checked before the server starts: one line if not."""
    by_make = "MAKELEVEL" in os.environ  # started by `make run`: make's variables choose
    shown = _bracketed(host)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        for family, kind, proto, _, address in infos[:1]:
            with socket.socket(family, kind, proto) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            how = "make run PORT=8080" if by_make else "--port 8080"
            raise click.ClickException(
                f"port {port} on {shown} is in use by another program; choose another ({how}),"
                " or stop that program"
            ) from None
        how = "make run HOST=... PORT=..." if by_make else "--host or --port"
        raise click.ClickException(
            f"cannot listen on {shown} port {port} ({exc.strerror or exc}); choose another"
            f" address ({how})"
        ) from None


def _check_host(host: str) -> None:
    """A host that is an address or a name this machine can look up: one line otherwise."""
    try:
        socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise click.BadParameter(
            f"{host!r} is neither an address of this machine nor a name it can look up ({exc});"
            " give an address such as 127.0.0.1 or 0.0.0.0",
            param_hint="--host",
        ) from None


def _started_at(host: str, port: int, allow_hosts: tuple[str, ...]) -> str:
    """The address the viewer is served at, for its documents' addresses: on every address of
    the machine (0.0.0.0), by the first name it answers to, or the machine's name."""
    if host in ("0.0.0.0", "::", ""):
        host = allow_hosts[0] if allow_hosts else socket.getfqdn()
    return f"http://{_bracketed(host)}:{port}"
