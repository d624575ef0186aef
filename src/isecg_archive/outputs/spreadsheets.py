"""CSV cells as spreadsheets read them: the one place where a value becomes a cell, and back.

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by LibreOffice
Calc and Excel as a formula, and titles come from PDF metadata nobody here wrote. So such a
cell is written with a single quote before it, as OWASP recommends for CSV injection, and the
catalogue import takes that quote away again; a value that itself begins with a quote before
one of those characters gets one more, so that the round trip gives back every value exactly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

LIST_SEPARATOR = "; "  # between the values of a list in one cell
BOM = "\ufeff"  # first in a file, so that Excel reads it as UTF-8 (Calc and csv need not)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_GUARD = "'"


def _needs_guard(text: str) -> bool:
    return text.startswith(_FORMULA_STARTS) or (text.startswith(_GUARD) and _needs_guard(text[1:]))


def cell(value: Any) -> str:
    """A value as a cell: a list joined by LIST_SEPARATOR, nothing as an empty cell, and a
    text a spreadsheet would run as a formula behind a quote."""
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(part) for part in value)
    text = "" if value is None else str(value)
    return _GUARD + text if _needs_guard(text) else text


def value_of(text: str) -> str:
    """A cell's text as the value it was written from (the quote of `cell` taken away)."""
    return text[1:] if text.startswith(_GUARD) and _needs_guard(text[1:]) else text


def listed(text: str) -> list[str]:
    """A list's cell (its values joined by LIST_SEPARATOR) as its values, blanks left out."""
    return [part.strip() for part in text.split(LIST_SEPARATOR.strip()) if part.strip()]


def row(values: Iterable[Any]) -> str:
    """One CSV line of cells."""
    out = io.StringIO()
    csv.writer(out).writerow([cell(value) for value in values])
    return out.getvalue()
