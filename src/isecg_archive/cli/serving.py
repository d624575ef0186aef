"""`serve`: the web viewer."""

from __future__ import annotations

import logging

import click

from isecg_archive.cli.base import (
    cli,
    collection_of,
    require_archive,
)


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
@click.option(
    "--admin-email",
    default="admin@localhost",
    show_default=True,
    help="The address OAI-PMH harvesters are given to write to (Identify).",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    threads: int,
    allow_hosts: tuple[str, ...],
    admin_email: str,
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
    names = {host, *allow_hosts} - {"0.0.0.0", "::", ""}
    app = create_app(
        {
            "ARCHIVE_DIR": collection.archive.root,
            "INDEX_DIR": collection.index.path.parent,
            "KEEP_SEARCHERS": True,
            "ALLOWED_HOSTS": sorted(names),
            "OAI_ADMIN_EMAIL": admin_email,
        }
    )
    # Under load waitress warns of its queue at every request: the clients see the wait.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Serving {collection.archive.root} at http://{shown}:{port}/ (Ctrl-C to stop)")
    waitress.serve(app, host=host, port=port, threads=threads, ident="isecg-archive")
