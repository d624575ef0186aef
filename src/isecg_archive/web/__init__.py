"""The web viewer: a thin Flask shell that renders what the core search returns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from isecg_archive.collection import Collection


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The app for an archive: config ARCHIVE_DIR, INDEX_DIR (optional), KEEP_SEARCHERS.

    KEEP_SEARCHERS reuses one searcher, shared by the server's threads, until the index
    changes (what `serve` does); without it every request opens and closes its own.
    """
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # the CLI's key order, documented
    app.config.update(config or {})
    app.config.setdefault("ARCHIVE_DIR", "archive")
    index_dir = app.config.get("INDEX_DIR")
    collection = Collection(
        Path(app.config["ARCHIVE_DIR"]),
        Path(index_dir) if index_dir else None,
        keep_searchers=bool(app.config.get("KEEP_SEARCHERS")),
    )
    collection.writer = "the web viewer"
    collection.ensure_index()
    app.extensions["isecg_collection"] = collection

    from isecg_archive.web import views

    app.register_blueprint(views.blueprint)
    views.register_errors(app)
    return app
