"""Routes: the search page, document pages, originals by id, the JSON API, and error pages."""

from __future__ import annotations

import mimetypes
import re
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_file,
)
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from isecg_archive.citing import Links
from isecg_archive.citing.linked import file_signposts, page_signposts
from isecg_archive.collection import MIN_ID_PREFIX, Collection
from isecg_archive.errors import (
    ArchiveError,
    DocumentNotFound,
    MetadataError,
    Overloaded,
    QueryError,
)
from isecg_archive.storage.records import Document, document_json
from isecg_archive.web import host_name
from isecg_archive.web.pages import (
    command_line,
    document_page,
    highlight,
    request_from,
    search_page,
)

blueprint = Blueprint("viewer", __name__)
_ID = re.compile(rf"[0-9a-f]{{{MIN_ID_PREFIX},64}}")  # an id, or a prefix find() takes
# A search's parameters fit in far less: a query of 20,000 characters, filters, sort and page.
MAX_QUERY_STRING = 80_000
MAX_PARAMETERS = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A host name or address with an optional port, as a proxy forwards it (nothing else).
_FORWARDED_HOST = re.compile(r"[A-Za-z0-9.-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")
# Document text is only ever shown escaped; the policy is a second line of defence.
_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; media-src 'self';"
    " form-action 'self';"
    " frame-ancestors 'none'; base-uri 'none'"
)


def links() -> Links:
    """Documents' stable addresses: under the viewer's base URL (`serve --base-url`, else the
    address it was started on), whatever Host a request names, so that every reader sees one
    address for a document. Behind a reverse proxy named by `serve --proxy`, the address the
    proxy says it was reached by (X-Forwarded-Proto and X-Forwarded-Host)."""
    config = current_app.config
    if config["BASE_URL"] is None and request.remote_addr in config["PROXIES"]:
        host = request.headers.get("X-Forwarded-Host", "").split(",")[0].strip()
        scheme = request.headers.get("X-Forwarded-Proto", "http").split(",")[0].strip().lower()
        if _FORWARDED_HOST.fullmatch(host) and scheme in ("http", "https"):
            return Links(f"{scheme}://{host}")
    return Links(config["BASE_URL"] or config["STARTED_AT"])


def collection() -> Collection:
    collection: Collection = current_app.extensions["isecg_collection"]
    return collection


def document_of(doc_id: str) -> Document:
    if not _ID.fullmatch(doc_id):
        abort(404)
    try:
        return collection().find(doc_id)
    except DocumentNotFound:
        abort(404)


@blueprint.app_template_filter("command")
def _command(text: str) -> Any:
    return command_line(text)


@blueprint.app_template_filter("duration")
def _duration(seconds: float) -> str:
    """A recording's length as people read it: 1:02:03, or 4:05."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@blueprint.app_template_filter("highlight")
def _highlight(text: str, matches: Any) -> Any:
    return highlight(text, matches)


@blueprint.before_app_request
def _bounded_request() -> Any:
    """A URL no page of the viewer makes: refused before its parameters are read."""
    query = request.query_string
    if len(query) > MAX_QUERY_STRING:
        return error_page(
            414,
            "Address too long",
            f"This address is {len(query):,} characters long; the viewer takes at most"
            f" {MAX_QUERY_STRING:,}. Shorten the search.",
        )
    if query.count(b"&") + query.count(b";") >= MAX_PARAMETERS:
        return error_page(
            400,
            "Too many parameters",
            f"This address has more than {MAX_PARAMETERS} parameters; no page of the viewer"
            " needs so many. Start a new search.",
        )
    return None


@blueprint.before_app_request
def _known_host() -> Any:
    """Only the host names the viewer was started for: not a name a web page rebound to it."""
    host = request.headers.get("Host", "")
    if host_name(host) not in current_app.config["ALLOWED_HOSTS"]:
        return error_page(
            400,
            "Unknown host name",
            f"This viewer does not answer to the host name {host[:100]!r}. Open it at"
            " http://127.0.0.1, or start it with --allow-host and this name.",
        )
    return None


@blueprint.after_app_request
def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", _POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"  # frame-ancestors, for browsers without CSP 2
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@blueprint.get("/")
def search() -> Any:
    page = search_page(collection(), request.args)
    return render_template("search.html", page=page), 400 if page.error else 200


@blueprint.get("/syntax")
def syntax() -> str:
    return render_template("syntax.html")


@blueprint.get("/documents/<doc_id>")
def document(doc_id: str) -> Response:
    found = document_of(doc_id)
    page = document_page(collection(), found, request.args, links())
    response = current_app.make_response(render_template("document.html", page=page))
    response.headers["Link"] = page_signposts(found, links())
    return response


@blueprint.get("/documents/<doc_id>/file")
def original(doc_id: str) -> Response:
    """The original file, by id only: no path from the URL ever reaches the file system."""
    found = document_of(doc_id)
    root = collection().archive.root.resolve()
    path = (root / found.file).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        abort(404)
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = send_file(
        path,
        mimetype=mimetype,
        as_attachment=bool(request.args.get("download")),
        # Control characters (a newline in a file name) cannot go in a header; werkzeug writes
        # the rest as RFC 6266 asks, with filename*=UTF-8'' for names beyond ASCII.
        download_name=_CONTROL.sub(" ", found.original_name),
        conditional=True,
    )
    response.headers["Link"] = file_signposts(found, links())
    if mimetype != "application/pdf":
        # An archived web page must not run its scripts on the viewer's origin.
        response.headers["Content-Security-Policy"] = (
            "sandbox; default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
        )
    return response


@blueprint.get("/api/search")
def api_search() -> Any:
    archive = collection()
    try:
        result = archive.search(request_from(request.args, archive))
    except (QueryError, MetadataError) as exc:  # the reader's to fix; the rest, the handlers'
        return jsonify({"error": str(exc)}), 400
    return jsonify(result.to_dict())


@blueprint.get("/api/documents/<doc_id>")
def api_document(doc_id: str) -> Any:
    found = document_of(doc_id)
    return jsonify(document_json(found, collection().extraction(found).pages))


def error_page(code: int, title: str, message: str) -> Any:
    if request.path.startswith("/api/"):
        return jsonify({"error": message}), code
    return render_template("error.html", code=code, title=title, message=message), code


def register_errors(app: Flask) -> None:
    """Errors get their own page (or JSON under /api/); never a traceback, never a path."""
    render = error_page

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        messages = {
            404: "There is no such page or document here. Search the archive to find it.",
            405: "That request method is not supported here.",
        }
        message = messages.get(error.code or 500, error.description or "")
        body, code = render(error.code or 500, error.name, message)
        response = current_app.make_response((body, code))
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return response

    @app.errorhandler(Overloaded)
    def overloaded(error: Overloaded) -> Any:
        body, code = render(
            503,
            "Busy with other searches",
            "The viewer is busy with other searches for wildcard patterns. Try again in a"
            " moment, or search without a pattern (no * or ?).",
        )
        response = current_app.make_response((body, code))
        response.headers["Retry-After"] = "2"
        return response

    @app.errorhandler(ArchiveError)
    def archive_error(error: ArchiveError) -> Any:
        # The message names files by their place on this machine: logged, not shown.
        app.logger.error("on %s: %s", request.path, error)
        return render(
            500,
            "The archive could not be read",
            "Part of the archive could not be read for this page. The error was logged;"
            " `isecg-archive check` on this machine says what to fix.",
        )

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> Any:
        app.logger.exception("unexpected error on %s", request.path)
        return render(
            500,
            "Something went wrong",
            "The viewer could not show this page. The error was logged; try again, or start"
            " a new search.",
        )
