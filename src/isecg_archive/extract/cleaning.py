"""Page text as its author wrote it, whatever the file did to it.

Readers hand over what the file encodes, not what a reader of the page sees: control
characters where a font has no text map, private-use codes for Wingdings bullets, ligatures
and presentation forms, words split at the end of a line, the running header and the page
number on every page. `clean_text` mends the characters of one page; `clean_pages` mends a
document's pages together, because running lines and hyphenation are told apart only by
looking at all of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

BULLET = "\u2022"

# Control characters stand for glyphs without a text map: a space keeps the words apart.
# U+007F and the C1 codes are what WinAnsi and Windows-1252 text becomes when a reader takes
# the code for the character (the PDF reference maps WinAnsi's unused codes to a bullet).
_CONTROLS = {code: " " for code in (*range(0x00, 0x20), *range(0x80, 0xA0))}
_CONTROLS.update({ord("\n"): "\n", ord("\t"): "\t", ord("\r"): "\n", 0x0B: "\n", 0x0C: "\n"})
for _code in range(0x80, 0xA0):
    try:
        _CONTROLS[_code] = bytes([_code]).decode("cp1252")
    except UnicodeDecodeError:
        pass
# Invisible characters that only get in a word's way.
_CONTROLS.update({0x00AD: "", 0x200B: "", 0xFEFF: "", 0x2060: ""})
# Spaces of every width are one space.
_CONTROLS.update({code: " " for code in (0x00A0, *range(0x2000, 0x200B), 0x202F, 0x205F)})

SURROGATES = re.compile("[\ud800-\udfff]")  # halves of UTF-16 pairs, alone
# Ligatures, Arabic presentation forms and mathematical letters: forms of ordinary letters
# that only a font needs (NFKC folds them; the rest of the text is left as it is).
_COMPATIBILITY = re.compile(
    "[\ufb00-\ufb06\ufb13-\ufb17\ufb50-\ufdff\ufe70-\ufefe\U0001d400-\U0001d7ff]+"
)
# A bullet drawn with a symbol font, a geometric shape, or a private-use code (Wingdings,
# Symbol) at the start of a line, before the item's text.
_BULLETS = (
    "\u007f\u00b7\u2022\u2023\u2043\u204c\u204d\u2219\u25a0\u25a1\u25aa\u25ab\u25b6\u25ba"
    "\u25c6\u25c7\u25cb\u25cf\u25e6\u2605\u2610\u2611\u2713\u2714\u2756\u27a2\u27a4\u29bf"
    "\ue000-\uf8ff"
)
_LINE_BULLET = re.compile(rf"^([ \t]*)[{_BULLETS}]+(?=[ \t]|$)", re.MULTILINE)
_STRAY_DEL = re.compile("\u007f")
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """One page's characters mended, its spaces and blank lines collapsed."""
    plain = text.isascii()  # most pages: no surrogates, ligatures or symbol bullets to look for
    if not plain:
        text = SURROGATES.sub("", text)
    text = text.replace("\r\n", "\n").translate(_CONTROLS)
    if not plain:
        text = _COMPATIBILITY.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    if not plain or "\x7f" in text:
        text = _LINE_BULLET.sub(rf"\g<1>{BULLET}", text)
        text = _STRAY_DEL.sub(" ", text)
    # Runs of spaces never span lines: collapsed in the whole page at once.
    lines = [line.strip() for line in _SPACES.sub(" ", text).split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def clean_pages(
    pages: Sequence[str], running: bool = True, hyphens: bool = True
) -> tuple[str, ...]:
    """A document's pages mended together: characters, then running headers and footers
    (running=True), then words hyphenated across line breaks (hyphens=True)."""
    cleaned = [clean_text(page) for page in pages]
    if running:
        cleaned = drop_running_lines(cleaned)
    if hyphens:
        cleaned = join_hyphenated(cleaned)
    return tuple(cleaned)


# Running lines -------------------------------------------------------------------------

_EDGE = 3  # lines at the top and at the bottom of a page where running lines are
_DIGITS = re.compile(r"\d+")
_ROMAN = re.compile(r"^[ivxlcdm]+$")


def _key(line: str) -> str:
    """A line as it repeats from page to page: numbers (page numbers, dates) may change."""
    key = _DIGITS.sub("#", " ".join(line.lower().split()))
    return "#" if _ROMAN.match(key) else key


def drop_running_lines(pages: list[str]) -> list[str]:
    """Leave out the lines that repeat at the top or the bottom of many pages.

    A line at a page's edge is running when the same line, with any numbers in it, is at the
    same edge of other pages: a page number, "Page 3 of 12", a journal's header with its
    page, a deck's footer. At the top, where slides have their titles, a line must be on half
    the pages, so that titles slides share ("Results", "Phase 2") are kept; at the bottom, a
    line with a number (a page number, a dated footer) is evidence enough on three pages (two
    in a document of two). Pages are counted once however often they repeat whole, and a page
    of one line is no evidence and keeps its line: that line is its content ("Potato 7").
    """
    if len(pages) < 2:
        return pages
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    edges: list[tuple[list[str], list[int], list[int], int]] = []
    for page in pages:
        lines = page.split("\n")
        numbers = [n for n, line in enumerate(lines) if line.strip()]
        edges.append((lines, numbers[:_EDGE], numbers[-_EDGE:], len(numbers)))
    for lines, top, bottom, filled in dict(zip(pages, edges, strict=True)).values():
        if filled > 1:
            tops.update({_key(lines[n]) for n in top})
            bottoms.update({_key(lines[n]) for n in bottom})
    distinct = len(set(pages))
    least = 2 if distinct == 2 else 3

    top_keys = {key for key, count in tops.items() if count >= least and count * 2 >= distinct}
    bottom_keys = {
        key
        for key, count in bottoms.items()
        if count >= least and ("#" in key or count * 2 >= distinct)
    }
    if not top_keys and not bottom_keys:
        return pages
    kept_pages = []
    for page, (lines, top, bottom, filled) in zip(pages, edges, strict=True):
        drop = {n for n in top if _key(lines[n]) in top_keys}
        drop |= {n for n in bottom if _key(lines[n]) in bottom_keys}
        if not drop or filled == 1:
            kept_pages.append(page)
            continue
        kept = "\n".join(line for n, line in enumerate(lines) if n not in drop)
        kept_pages.append(_BLANK_LINES.sub("\n\n", kept).strip())
    return kept_pages


# Hyphenated line breaks ------------------------------------------------------------------

# A word's head, its hyphen at the end of a line, and its tail with what sticks to it (".").
_BROKEN = re.compile(r"([^\W\d_]+)[-\u2010]\n([^\W\d_]+)(\S*)([ \t]*\n)?")
_WORDS = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")
# Words written with a hyphen whatever the line: "self-sufficient", "non-nuclear".
_HYPHENATED_PREFIXES = frozenset(
    "all anti co cross ex half inter intra low high long multi near non over post pre pro quasi"
    " re self semi short sub super trans ultra under well".split()
)


def join_hyphenated(pages: list[str]) -> list[str]:
    """Rejoin words broken across a line break: "partici-/pants" is "participants", while
    "near-/Earth" stays "near-Earth".

    A capital after the break, or a word the document writes with its hyphen elsewhere, or a
    prefix that takes one ("self-", "non-"), keeps the hyphen; otherwise the hyphen was the
    typesetter's. The rest of the line stays where it was, so lines keep their places.
    """
    if not any("-\n" in page or "\u2010\n" in page for page in pages):
        return pages
    words = Counter(word.lower() for page in pages for word in _WORDS.findall(page))

    def join(match: re.Match[str]) -> str:
        head, tail, stuck, _ = match.groups()
        written_with_hyphen = words[f"{head}-{tail}".lower()] and not words[(head + tail).lower()]
        keep = (
            not tail[0].islower()
            or bool(written_with_hyphen)
            or head.lower() in _HYPHENATED_PREFIXES
        )
        return f"{head}-{tail}{stuck}\n" if keep else f"{head}{tail}{stuck}\n"

    joined = []
    for page in pages:
        page = _BROKEN.sub(join, page)
        # The line the word's end left may now begin with a space or be empty.
        joined.append(re.sub(r"\n[ \t]+", "\n", page).replace("\n\n\n", "\n\n").strip())
    return joined
