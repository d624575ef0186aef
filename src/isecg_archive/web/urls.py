"""Search state lives in the URL: helpers that add, remove or replace query-string values.

Every link that changes a search is built here, so that each one keeps the rest of the state
and goes back to the first page of results.
"""

from __future__ import annotations

from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

SEARCH_PATH = "/"


def _url(args: MultiDict[str, str]) -> str:
    pairs = [(key, value) for key, value in args.items(multi=True) if value != ""]
    return SEARCH_PATH + ("?" + urlencode(pairs) if pairs else "")


def with_value(args: MultiDict[str, str], name: str, value: str) -> str:
    """The search with one more filter value (a second agency, a type...)."""
    changed = MultiDict(args)
    changed.pop("page", None)
    if value not in changed.getlist(name):
        changed.add(name, value)
    return _url(changed)


def without_value(args: MultiDict[str, str], name: str, value: str | None = None) -> str:
    """The search without one filter value, or without every value of `name`."""
    changed = MultiDict(args)
    changed.pop("page", None)
    kept = [v for v in changed.getlist(name) if value is not None and v != value]
    changed.setlist(name, kept)
    return _url(changed)


def replaced(args: MultiDict[str, str], **values: str | int | None) -> str:
    """The search with single values set (sort, page, q) or removed (None)."""
    changed = MultiDict(args)
    for name, value in values.items():
        if value is None:
            changed.pop(name, None)
        else:
            changed.setlist(name, [str(value)])
    return _url(changed)
