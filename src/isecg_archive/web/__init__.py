"""The web viewer: a thin Flask shell that renders what the core search returns."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from isecg_archive.citing.links import BASE_URL_ENV, DEFAULT_BASE_URL
from isecg_archive.collection import Collection
from isecg_archive.outputs.oai import ADMIN_EMAIL, REPOSITORY_ID

# The names a browser on this machine reaches the viewer by. Any other Host header is refused:
# a web page that rebinds its own name to 127.0.0.1 (DNS rebinding) must not read the archive.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def host_name(host: str) -> str:
    """A Host header's name, without its port, in lower case: "[::1]:8000" is "::1"."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The app for an archive: config ARCHIVE_DIR, INDEX_DIR (optional), KEEP_SEARCHERS,
    ALLOWED_HOSTS (host names besides LOCAL_HOSTS), OAI_ADMIN_EMAIL and OAI_REPOSITORY_ID (for
    OAI-PMH's Identify and identifiers),
    BASE_URL (the documents' addresses start with it), STARTED_AT (the address served, for
    them when there is no BASE_URL), PROXIES (addresses of the reverse proxies whose
    X-Forwarded-Proto and X-Forwarded-Host are believed when there is no BASE_URL).

    KEEP_SEARCHERS reuses one searcher, shared by the server's threads, until the index
    changes (what `serve` does); without it every request opens and closes its own.
    """
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # the CLI's key order, documented
    app.config.update(config or {})
    app.config.setdefault("ARCHIVE_DIR", "archive")
    app.config["ALLOWED_HOSTS"] = {
        host_name(name) for name in (*LOCAL_HOSTS, *app.config.get("ALLOWED_HOSTS", ()))
    }
    index_dir = app.config.get("INDEX_DIR")
    collection = Collection(
        Path(app.config["ARCHIVE_DIR"]),
        Path(index_dir) if index_dir else None,
        keep_searchers=bool(app.config.get("KEEP_SEARCHERS")),
        show_internal=bool(app.config.get("SHOW_INTERNAL")),
    )
    collection.writer = "the web viewer"
    collection.ensure_index()
    app.extensions["isecg_collection"] = collection

    app.config.setdefault("OAI_ADMIN_EMAIL", ADMIN_EMAIL)
    app.config.setdefault("OAI_REPOSITORY_ID", REPOSITORY_ID)
    app.config.setdefault("BASE_URL", os.environ.get(BASE_URL_ENV) or None)
    app.config.setdefault("STARTED_AT", DEFAULT_BASE_URL)
    app.config["PROXIES"] = frozenset(app.config.get("PROXIES", ()))
    # The modules that add routes to the viewer's blueprint, before it is registered.
    from isecg_archive.web import events, harvesting, takeaway, views  # noqa: F401

    app.register_blueprint(views.blueprint)
    views.register_errors(app)
    return app
