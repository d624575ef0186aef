"""Text fit for every output: no control characters in a record, in XML, or on a terminal.

Titles and names come from people (the CLI, the catalogue sheet) and from files nobody here
wrote (PDF metadata, web pages). A NUL, BEL or ESC in them makes XML not well-formed, rings the
terminal's bell or recolours it. A person who types one is told (`control_character`); what a
file carries is taken out (`clean_field`); and whatever a record holds, XML and the terminal
get only what they can show (`xml_bytes`, `for_terminal`).
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

# C0 controls, DEL and C1 controls: no field of a record has a use for them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What XML 1.0 cannot hold at all, escaped or not (its Char production, inverted).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Shown to a terminal as their escapes (\x1b); new lines and tabs are layout.
_TERMINAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_character(text: str) -> str | None:
    """The first control character in a text, as U+XXXX, or None."""
    found = _CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def clean_field(text: str) -> str:
    """A field's text with control characters taken out (a tab or a line end becomes a
    space), and what XML cannot hold."""
    if _CONTROL.search(text) or _NOT_XML.search(text):
        text = re.sub(r"[\t\n\r]+", " ", text)
        text = _NOT_XML.sub("", _CONTROL.sub("", text))
    return text


def xml_text(text: str) -> str:
    """Text XML can hold: control characters other than tab and line ends taken out."""
    return _NOT_XML.sub("", _CONTROL.sub(_keep_layout, text))


def _keep_layout(match: re.Match[str]) -> str:
    return match.group() if match.group() in "\t\n\r" else ""


def xml_bytes(root: ET.Element) -> bytes:
    """The tree as UTF-8 XML that is well-formed whatever its texts held."""
    for element in root.iter():
        if element.text:
            element.text = xml_text(element.text)
        if element.tail:
            element.tail = xml_text(element.tail)
        for name, value in element.attrib.items():
            element.attrib[name] = xml_text(value)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def for_terminal(text: str) -> str:
    """Text a terminal shows as written: a control character becomes its escape (`\\x1b`)."""
    if not _TERMINAL.search(text):
        return text
    return _TERMINAL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def refuse_controls(name: str, value: object) -> None:
    """Refuse a value a person gave (a text, or a list of texts) that holds a control
    character: they meant something else, and should say what."""
    from isecg_archive.errors import MetadataError

    for text in value if isinstance(value, list | tuple) else (value,):
        if isinstance(text, str) and (code := control_character(text)):
            raise MetadataError(
                f"the {name.replace('_', ' ')} {text!r} holds a control character ({code});"
                " take it out and give the value again"
            )
