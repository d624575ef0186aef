"""`serve`: the web viewer."""

from __future__ import annotations

import errno
import logging
import os
import re
import socket
from collections.abc import Callable

import click

from isecg_archive.citing.links import BASE_URL_ENV
from isecg_archive.cli.base import base_url_option, cli, collection_of, require_archive
from isecg_archive.oai import ADMIN_EMAIL, REPOSITORY_ID

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
    "--threads", default=8, show_default=True, type=click.IntRange(min=1), help="Worker threads."
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
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    threads: int,
    allow_hosts: tuple[str, ...],
    admin_email: str,
    repository_id: str,
    base_url: str | None,
    proxies: tuple[str, ...],
) -> None:
    """Serve the web viewer (waitress, multi-threaded) on this machine only, by default.

    \b
    Example:
        isecg-archive serve --port 8080
    """
    import waitress

    from isecg_archive.web import create_app

    collection = collection_of(ctx)
    require_archive(collection)
    _check_host(host)
    names = {host, *allow_hosts} - {"0.0.0.0", "::", ""}
    app = create_app(
        {
            "ARCHIVE_DIR": collection.archive.root,
            "INDEX_DIR": collection.index.path.parent,
            "KEEP_SEARCHERS": True,
            "ALLOWED_HOSTS": sorted(names),
            "OAI_ADMIN_EMAIL": admin_email,
            "OAI_REPOSITORY_ID": repository_id,
            "BASE_URL": base_url,
            "STARTED_AT": _started_at(host, port, allow_hosts),
            "PROXIES": proxies,
        }
    )
    # Under load waitress warns of its queue at every request: the clients see the wait.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    try:
        server = waitress.create_server(
            app, host=host, port=port, threads=threads, ident="isecg-archive"
        )
    except OSError as exc:
        shown = _bracketed(host)
        by_make = "MAKELEVEL" in os.environ  # started by `make run`: make's variables choose
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
    shown = _bracketed(host)
    # A name with several addresses gets a server per address, all on one port.
    listening = getattr(server, "effective_port", None) or server.effective_listen[0][1]
    try:  # Ctrl-C, or SIGTERM as `main` makes it, is how a server is stopped: exit status 0
        click.echo(
            f"Serving {collection.archive.root} at http://{shown}:{listening}/ (Ctrl-C to stop)"
        )
        server.run()
    except KeyboardInterrupt:
        click.echo("Stopped serving.")
    finally:
        server.close()


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
