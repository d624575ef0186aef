"""Search state lives in the URL: helpers that add, remove or replace query-string values.

Every link that changes a search is built here, so that each one keeps the rest of the state
and goes back to the first page of results.
"""

from __future__ import annotations

from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

SEARCH_PATH = "/"
# What a search is: a document page reached from the results keeps these, to go back to them.
SEARCH_KEYS = (
    *("q", "agency", "topic", "type", "event", "organisation", "author"),
    *("since", "until", "sort", "page"),
)


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
    return _url(replaced_args(args, **values))


def replaced_args(args: MultiDict[str, str], **values: str | int | None) -> MultiDict[str, str]:
    changed = MultiDict(args)
    for name, value in values.items():
        if value is None:
            changed.pop(name, None)
        else:
            changed.setlist(name, [str(value)])
    return changed


def search_state(args: MultiDict[str, str], leave_out: tuple[str, ...] = ()) -> str:
    """The search in a query string ("?q=...&page=2"), for links that lead away from the results
    and back to them; "" when there is no search. `format` is kept for exports."""
    keys = [key for key in (*SEARCH_KEYS, "format") if key not in leave_out]
    pairs = [(k, v) for k, v in args.items(multi=True) if k in keys and v != ""]
    return "?" + urlencode(pairs) if pairs else ""


def back_to_search(args: MultiDict[str, str]) -> str:
    """The search page a document page was reached from, exactly as it was."""
    return SEARCH_PATH + search_state(args)
