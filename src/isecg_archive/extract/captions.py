"""A recording's captions (WebVTT or SRT) as its text: one page a minute, each with the second
it starts at, so that a hit leads to the moment it was said.

Both formats are blocks separated by blank lines, each a cue: an optional identifier, a timing
line `START --> END` (WebVTT writes `00:12:34.500`, or `12:34.500` under an hour; SRT
`00:12:34,500`), then its text. WebVTT also has a header, NOTE, STYLE and REGION blocks, cue
settings after the timing, and tags in the text (`<v Speaker>`, `<i>`, `<c.loud>`): the header
and those blocks are left out, the tags taken out, and a voice tag's speaker kept before the
line ("Speaker: ..."). A new page starts with the first cue of each minute.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".vtt", ".srt")
ARCHIVED = tuple(f".captions{suffix}" for suffix in SUFFIXES)  # beside an archived recording
PAGE_SECONDS = 60
MAX_BYTES = 20 * 1024 * 1024  # a day of speech is a few megabytes
_TIMING = re.compile(
    r"^\s*(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})\s*-->\s*(?:(\d+):)?(\d{1,2}):(\d{2})[.,]\d{1,3}"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]*>")


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    text: str


def find(recording: Path, given: Path | None = None) -> Path | None:
    """A recording's captions: those given (`ingest --captions`), else those kept with it,
    `NAME.captions.vtt` in the archive, or, where it is ingested from, `STEM.vtt` or
    `STEM.srt` beside it."""
    if given is not None:
        return given
    candidates = [recording.with_name(recording.name + suffix) for suffix in ARCHIVED]
    candidates += [recording.with_suffix(suffix) for suffix in SUFFIXES]
    return next((path for path in candidates if path.is_file()), None)


def kept_as(recording: Path, captions: Path) -> Path:
    """Where an archived recording's captions are kept: beside it, `NAME.captions.vtt`."""
    return recording.with_name(recording.name + ".captions" + captions.suffix.lower())


def read_cues(path: Path) -> list[Cue]:
    """The cues of a WebVTT or SRT file, in time order."""
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"the captions {path.name} are over {MAX_BYTES // 2**20} MB")
    raw = path.read_bytes().decode("utf-8-sig", errors="replace")
    cues = []
    for block in re.split(r"\n\s*\n", raw.replace("\r\n", "\n").replace("\r", "\n")):
        lines = block.strip("\n").split("\n")
        timed = next((n for n, line in enumerate(lines) if "-->" in line), None)
        if timed is None:  # the header, a NOTE, STYLE or REGION block
            continue
        match = _TIMING.match(lines[timed])
        if not match:
            continue
        hours, minutes, seconds, fraction = match.groups()[:4]
        start: float = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
        start += int(fraction.ljust(3, "0")) / 1000
        text = " ".join(_text(line) for line in lines[timed + 1 :] if line.strip())
        if text.strip():
            cues.append(Cue(start, " ".join(text.split())))
    cues.sort(key=lambda cue: cue.start)
    return cues


def _text(line: str) -> str:
    line = _VOICE.sub(lambda voice: f"{voice.group(1).strip()}: ", line)
    return html.unescape(_TAG.sub("", line))


def pages(cues: list[Cue]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The cues as pages, a minute each (those with no cue left out), and the second each
    page starts at: its first cue's."""
    texts: list[list[str]] = []
    starts: list[int] = []
    minute = -1
    for cue in cues:
        if int(cue.start // PAGE_SECONDS) != minute:
            minute = int(cue.start // PAGE_SECONDS)
            texts.append([])
            starts.append(int(cue.start))
        texts[-1].append(cue.text)
    return tuple("\n".join(lines) for lines in texts), tuple(starts)
