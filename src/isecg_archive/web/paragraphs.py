"""A page's text as a reader wants it on a screen: paragraphs, not the lines of the PDF.

Extracted text keeps the line ends of the page it came from; shown in a narrower column, each
becomes a short line with orphan words. Here the lines of a paragraph are joined, and what is
not a paragraph's middle keeps its own line: a blank line ends a paragraph, a list item (a
bullet, "1.", "a)") starts one, and a short line (a heading, a paragraph's last line, a slide's
line) ends one. A line is short when under 40 characters or under 70% of the page's long lines.
Spans index the text itself, so that the query's hits, found in it, are marked in place.
"""

from __future__ import annotations

import re

SHORT = 40  # characters: a line this short ends its paragraph
SHORTER_THAN = 0.7  # of the page's long lines (the 80th percentile of line lengths)
_ITEM = re.compile(r"\s*(?:[•◦▪▫‣∙●○■□➢►–—*-]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+\S")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of the text, in order; line ends inside a span are the
    joins (shown as spaces)."""
    lines = []  # (start, end) of each line, without its line end
    start = 0
    for line in text.split("\n"):
        lines.append((start, start + len(line)))
        start += len(line) + 1
    lengths = sorted(len(text[a:b].strip()) for a, b in lines if text[a:b].strip())
    if not lengths:
        return []
    long_line = lengths[min(len(lengths) - 1, int(len(lengths) * 0.8))]
    short = max(SHORT, SHORTER_THAN * long_line)
    spans: list[tuple[int, int]] = []
    open_span: tuple[int, int] | None = None
    previous = ""
    for a, b in lines:
        line = text[a:b]
        if not line.strip():
            if open_span:
                spans.append(open_span)
            open_span, previous = None, ""
            continue
        ends_previous = _ITEM.match(line) is not None or (
            len(previous.strip()) < short and not previous.rstrip().endswith("-")
        )
        if open_span is None or ends_previous:
            if open_span:
                spans.append(open_span)
            open_span = (a, b)
        else:
            open_span = (open_span[0], b)
        previous = line
    if open_span:
        spans.append(open_span)
    return spans
