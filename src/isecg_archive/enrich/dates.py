"""Dates a document states about itself: '10-11 February 2016', 'April 10-11, 2014', '2016',
and the numeric dates slides carry: '8/26/14', '26.08.2014', '2014/08/26'.

A numeric date whose day and month cannot be told apart ('3/4/14': March or April?) is kept
to its year, the part that is certain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dateutil.parser import parserinfo

from isecg_archive.errors import MetadataError
from isecg_archive.storage.records import PartialDate


class _Months(parserinfo):
    """English month names and abbreviations, with French, German, Italian and Spanish ones.

    French "mars" is left out: in this archive it is the planet far more often than March.
    """

    MONTHS = [  # noqa: RUF012 (dateutil reads this class attribute)
        (*english, *others)
        for english, others in zip(
            parserinfo.MONTHS,
            [
                ("janvier", "Januar", "Jänner", "gennaio", "enero"),
                ("février", "fevrier", "Februar", "febbraio", "febrero"),
                ("März", "Maerz", "marzo"),
                ("avril", "aprile", "abril"),
                ("mai", "maggio", "mayo"),
                ("juin", "Juni", "giugno", "junio"),
                ("juillet", "Juli", "luglio", "julio"),
                ("août", "aout", "agosto"),
                ("septembre", "settembre", "septiembre"),
                ("octobre", "Oktober", "ottobre", "octubre"),
                ("novembre", "noviembre"),
                ("décembre", "decembre", "Dezember", "dicembre", "diciembre"),
            ],
            strict=True,
        )
    ]


_INFO = _Months()
_MONTH = (
    r"(?:"
    + "|".join(sorted({n for names in _Months.MONTHS for n in names}, key=len, reverse=True))
    + r")\.?"
)
_DASH = r"\s*(?:[-\u2010-\u2015]|to)\s*"
_D = r"(\d{1,2})(?:st|nd|rd|th)?"
_Y = r"((?:19|20)\d{2})"
_M = f"({_MONTH})"

# Most specific forms first; the groups name (day, month, year) of the date that starts the span.
_FORMS: tuple[tuple[re.Pattern[str], tuple[int | None, int | None, int], bool], ...] = tuple(
    (re.compile(rf"(?<![\w-]){pattern}(?!\w)", re.IGNORECASE), groups, is_range)
    for pattern, groups, is_range in (
        (rf"{_D}\s+{_M}{_DASH}\d{{1,2}}\s+{_MONTH},?\s+{_Y}", (1, 2, 3), True),
        (rf"{_M}\s+{_D}{_DASH}{_MONTH}\s+\d{{1,2}},?\s+{_Y}", (2, 1, 3), True),
        (rf"{_D}{_DASH}\d{{1,2}}(?:st|nd|rd|th)?\s+{_M},?\s+{_Y}", (1, 2, 3), True),
        (rf"{_M}\s+{_D}{_DASH}\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_Y}", (2, 1, 3), True),
        (rf"{_D}\s+{_M},?\s+{_Y}", (1, 2, 3), False),
        (rf"{_M}\s+{_D},\s+{_Y}", (2, 1, 3), False),
        (rf"{_M},?\s+{_Y}", (None, 1, 2), False),
        (r"((?:19|20)\d{2})-(\d{2})-(\d{2})", (3, 2, 1), False),
    )
)
# Numeric dates: day, month and year in either order, with slashes or dots; year first.
_NUMERIC = re.compile(r"(?<![\w./-])(\d{1,2})([./])(\d{1,2})\2(\d{4}|\d{2})(?![\w/]|\.\d)")
_NUMERIC_YEAR_FIRST = re.compile(r"(?<![\w./-])((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?![\w/]|\.\d)")
_YEAR = re.compile(r"(?<![\w-])((?:19|20)\d{2})(?![\w-])")
# A line of the opening that ends in a year: "2016", "Paris, 2016", "ISECG 2016".
_YEAR_LINE = re.compile(r"^[^\n\d]{0,40}((?:19|20)\d{2})\s*$", re.MULTILINE)
_OPENING_LINES = 8
_PUBLISHED = re.compile(r"(?i)\b(published|issued|released|publication|version|edition)\b")
_EVENT = re.compile(r"(?i)\b(workshop|conference|meeting|symposium|held|forum|summit)\b")
_HEAD_CHARS = 1500


@dataclass(frozen=True)
class StatedDates:
    published: PartialDate | None  # a date the text calls a publication date
    event: PartialDate | None  # the date of the event the document comes from
    first: PartialDate | None  # the first date stated, whatever it is


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    date: PartialDate
    is_range: bool


def find_dates(text: str) -> list[_Candidate]:
    """Every full or partial date in the text, in reading order, spans never overlapping."""
    found: list[_Candidate] = []

    def add(match: re.Match[str], date: PartialDate | None, is_range: bool = False) -> None:
        if date and not any(c.start < match.end() and match.start() < c.end for c in found):
            found.append(_Candidate(match.start(), match.end(), date, is_range))

    for pattern, (day_group, month_group, year_group), is_range in _FORMS:
        for match in pattern.finditer(text):
            add(match, _to_date(match, day_group, month_group, year_group), is_range)
    for match in _NUMERIC_YEAR_FIRST.finditer(text):
        add(match, _valid(*(int(part) for part in match.groups())))
    for match in _NUMERIC.finditer(text):
        add(match, _numeric(match))
    return sorted(found, key=lambda c: c.start)


def _numeric(match: re.Match[str]) -> PartialDate | None:
    """'8/26/14' (month first, as the day is over 12), '26.08.2014' (day first, as dots are
    written in Europe), '3/4/14' (either: only its year is certain)."""
    first, separator, second, year_text = match.groups()
    one, two = int(first), int(second)
    year = int(year_text)
    if len(year_text) == 2:  # as POSIX reads two-digit years: 69-99 are 19xx
        year += 1900 if year >= 69 else 2000
    if not 1900 <= year <= 2099 or not 1 <= min(one, two) or max(one, two) > 31:
        return None
    if one > 12 and two <= 12:
        return _valid(year, two, one)
    if two > 12 and one <= 12:
        return _valid(year, one, two)
    if one == two or separator == ".":
        return _valid(year, two, one)
    return _valid(year)


def _valid(year: int, month: int | None = None, day: int | None = None) -> PartialDate | None:
    try:
        return PartialDate(year, month, day)
    except MetadataError:
        return None


def stated_dates(title: str, first_page: str) -> StatedDates:
    """The dates a document states in its title and first paragraphs."""
    head = first_page[:_HEAD_CHARS]
    in_title = find_dates(title)
    candidates = in_title or find_dates(head)
    source = title if in_title else head
    if not candidates:
        opening = "\n".join(first_page.splitlines()[:_OPENING_LINES])
        year = _YEAR.search(title) or _YEAR_LINE.search(opening)
        return StatedDates(None, None, PartialDate(int(year.group(1))) if year else None)
    published = event = None
    for candidate in candidates:
        before = source[max(0, candidate.start - 60) : candidate.start]
        before = before[before.rfind("\n") + 1 :]
        if published is None and _PUBLISHED.search(before):
            published = candidate.date
        elif event is None and (candidate.is_range or _EVENT.search(before)):
            event = candidate.date
    return StatedDates(published, event, candidates[0].date)


def _to_date(
    match: re.Match[str], day_group: int | None, month_group: int | None, year_group: int
) -> PartialDate | None:
    year = int(match.group(year_group))
    month_text = match.group(month_group) if month_group else None
    month = None
    if month_text:
        month = int(month_text) if month_text.isdigit() else _INFO.month(month_text.rstrip("."))
    day = int(match.group(day_group)) if day_group else None
    return _valid(year, month, day)
