"""Recordings: audio and video files (a workshop's recording), archived like any original.

Their duration, whether they hold a picture, and their embedded title, artist and date are
read by ffprobe (Debian's ffmpeg package), which reads a file's headers, never the whole of
it. A recording's text is its captions (`captions`: WebVTT or SRT beside it), a page a minute;
one without them is found by its metadata, and its record says it needs a transcript (`check`
lists it). Without ffprobe a recording is still archived, its duration unknown, with a warning
saying what to install.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

from isecg_archive.extract import Extraction, ExtractOptions, captions, date_from_iso_prefix
from isecg_archive.extract.programs import ffprobe

FORMAT = "recording"
EXTENSIONS = (".mp4", ".m4a", ".webm", ".mp3", ".ogg", ".oga", ".ogv", ".opus", ".wav")
VERSION = "1"
STREAMED = True  # read in part, never whole: not held to the size limit of documents
PROBE_SECONDS = 60  # a file whose headers take longer to read is not a recording we can use
NO_FFPROBE = (
    "ffprobe is not installed, so the recording's duration is unknown: install Debian's"
    " ffmpeg package and run `isecg-archive redetect`"
)


def variant(path: Path, options: ExtractOptions) -> str:
    """What besides the file's bytes its text comes from: its captions' (for the text cache)."""
    found = captions.find(path, options.captions)
    if found is None:
        return "no-captions"
    return hashlib.sha256(found.read_bytes()).hexdigest()[:16]


def extract(path: Path, options: ExtractOptions) -> Extraction:
    kind = path.suffix.lower().lstrip(".")
    found = captions.find(path, options.captions)
    pages, timings = captions.pages(captions.read_cues(found)) if found else ((), ())
    needs = () if pages else ("transcript",)
    program = ffprobe()
    if program is None:
        return Extraction(kind, pages, needs=needs, warnings=(NO_FFPROBE,), timings=timings)
    probed = _probe(program, path)
    streams = probed.get("streams") or []
    if not any(s.get("codec_type") in ("audio", "video") for s in streams):
        raise ValueError("ffprobe finds no sound or picture in it")
    container = probed.get("format") or {}
    tags = {str(k).lower(): str(v) for k, v in (container.get("tags") or {}).items()}
    duration = _seconds(container.get("duration"))
    pictures = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    return Extraction(
        kind,
        pages,
        title=tags.get("title") or None,
        authors=tuple(filter(None, [tags.get("artist") or tags.get("author")])),
        date=date_from_iso_prefix(tags.get("date") or tags.get("creation_time")),
        needs=needs,
        duration=duration,
        media="video" if pictures else "audio",
        timings=timings,
    )


def _probe(program: str, path: Path) -> dict[str, Any]:
    try:
        done = subprocess.run(
            [program, "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
             "--", str(path)],
            capture_output=True, timeout=PROBE_SECONDS, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise ValueError(f"ffprobe took over {PROBE_SECONDS} s to read its headers") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ValueError(said[-1] if said else f"ffprobe stopped with status {done.returncode}")
    probed: dict[str, Any] = json.loads(done.stdout or b"{}")
    return probed


def _seconds(value: Any) -> float | None:
    try:
        seconds = round(float(value), 3)
    except (TypeError, ValueError):
        return None
    return seconds if seconds > 0 else None
