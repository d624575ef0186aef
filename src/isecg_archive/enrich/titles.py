"""A document's title: its embedded title when that is a real one, else the heading its
structure marks (a title slide, a Title paragraph, the largest text of a PDF's first page),
else its first substantial line, else its file name.

Embedded titles are often what a tool or a template left there: "PowerPoint Presentation",
"Slide 1", "Microsoft Word - draft3.doc", "10811.exe", "DOC_". Those are placeholders, in
several languages, and are passed over. Lines that recur across a collection (a site's
tagline, its navigation) are boilerplate and never a title.
"""

from __future__ import annotations

import re
from collections.abc import Container
from pathlib import PurePath

_MAX_TITLE = 200

# Default titles of office suites and scanners, lower case, in the languages we meet.
_DEFAULTS = frozenset(
    {
        "presentation", "powerpoint presentation", "powerpoint-präsentation",
        "présentation powerpoint", "presentazione standard di powerpoint",
        "presentazione di powerpoint", "presentación de powerpoint",
        "apresentação do powerpoint", "powerpoint-presentatie", "powerpoint 演示文稿",
        "powerpoint 簡報", "powerpoint プレゼンテーション", "ingen lysbildetittel",
        "no slide title", "click to add title", "title", "titel", "titre", "document",
        "word document", "untitled", "untitled document", "scanned document", "slide",
        "new document", "new microsoft word document", "document1", "presentation1",
    }
)  # fmt: skip
_NUMBERED_SLIDE = re.compile(
    r"^(slide|folie|diapositiva|diapositive|dia|lysbilde|bild|スライド|幻灯片|投影片|슬라이드)"
    r"\s*\d+$"
)
_TOOL_PREFIX = re.compile(r"^(microsoft (word|powerpoint|excel)|untitled)\b", re.IGNORECASE)
_FILE_NAME = re.compile(
    r"\.(docx?|pptx?|xlsx?|pdf|rtf|txt|html?|exe|indd|qxd|qxp|tmp|e?ps|tex|dvi|pages|key|od[tp]"
    r"|wpd|pub|vsdx?|dwg)$",
    re.IGNORECASE,
)
_COMPATIBILITY_MODE = re.compile(
    r"\s*\[(compatibility mode|kompatibilitätsmodus|mode de compatibilité|modalità"
    r" compatibilità)\]\s*$",
    re.IGNORECASE,
)
# A line that goes on in the next one: "EMTG Tutorial:", "Lunar Surface Operations and".
_CONTINUED = re.compile(r"([:\-\u2013\u2014,&/]|\b(and|or|of|for|the|on|in|to|with|a|an))$")


def is_placeholder(title: str) -> bool:
    """Whether an embedded title is what a tool or template left, not the document's title."""
    lowered = " ".join(title.lower().split())
    if not lowered or lowered in _DEFAULTS or _NUMBERED_SLIDE.match(lowered):
        return True
    if _TOOL_PREFIX.match(lowered) or _FILE_NAME.search(lowered):
        return True
    # One token with an underscore is an identifier ("DOC_", "final_v2"), not a title.
    return " " not in lowered and "_" in lowered


def embedded_title(title: str | None) -> str | None:
    """An embedded title made presentable, or None when it is a placeholder."""
    if not title:
        return None
    title = _COMPATIBILITY_MODE.sub("", " ".join(title.split()))
    return None if is_placeholder(title) else title[:_MAX_TITLE]


def line_key(line: str) -> str:
    """A line as it is compared across documents: lower case, single spaces."""
    return " ".join(line.lower().split())


def _title_like(line: str) -> bool:
    return 8 <= len(line) <= 160 and sum(ch.isalpha() for ch in line) > len(line) / 2


# A site's navigation as a saved page's text gives it: three short items or more on one line,
# between bars, middle dots or bullets ("Home | About | Missions | News").
_ITEM = r"[^|\u00b7\u2022]{1,30}"
_NAVIGATION = re.compile(rf"^{_ITEM}(?:\s[|\u00b7\u2022]\s{_ITEM}){{2,}}$")


def after_chrome(first_page: str) -> str:
    """The first page from its article on: when its first block of lines (up to the first
    blank line) opens with a site's navigation, that block is the site's chrome (navigation,
    tagline, "subscribe" line), however few captures of the site share it, and the text after
    it is the article's."""
    parts = re.split(r"\n[ \t]*\n", first_page.lstrip("\n"), maxsplit=1)
    if len(parts) == 2 and parts[1].strip():
        head = [line.strip() for line in parts[0].splitlines() if line.strip()]
        if head and _NAVIGATION.match(head[0]):
            return parts[1]
    return first_page


def detect_title(
    embedded: str | None,
    first_page: str,
    file_name: str,
    heading: str | None = None,
    boilerplate: Container[str] = frozenset(),
) -> str:
    if title := embedded_title(embedded):
        return title
    if heading:
        heading = " ".join(heading.split())
        if _title_like(heading[:160]) and line_key(heading) not in boilerplate:
            return heading[:_MAX_TITLE]
    lines = [line.strip(" #*-\t\u2022") for line in after_chrome(first_page).splitlines()[:12]]
    lines = [line for line in lines if line and line_key(line) not in boilerplate]
    for n, line in enumerate(lines[:5]):
        if _title_like(line):
            if n + 1 < len(lines) and _CONTINUED.search(line) and len(line) < 80:
                line = f"{line} {lines[n + 1]}"
            return line[:_MAX_TITLE]
    stem = PurePath(file_name).stem
    return re.sub(r"[_\s]+", " ", stem).strip() or file_name
