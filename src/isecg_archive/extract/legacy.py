"""Legacy Word and PowerPoint files (.doc, .ppt): converted by LibreOffice, then read.

A .doc becomes a PDF, so that its pages are the pages a reader sees; a .ppt becomes a PPTX,
so that its slides keep their titles and speaker notes (a PDF export drops the notes). A
password-protected file is decrypted first with --password (see `protected`).
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from isecg_archive.errors import ExtractionError, UnsupportedFormat
from isecg_archive.extract import Extraction, ExtractOptions
from isecg_archive.extract import pdf as pdf_extractor
from isecg_archive.extract import pptx as pptx_extractor
from isecg_archive.extract.programs import IMPRESS, WRITER, libreoffice
from isecg_archive.extract.protected import decrypt_legacy, locked

FORMAT = "legacy-office"
EXTENSIONS = (".doc", ".ppt")
VERSION = 2
CONVERT_SECONDS = 180
_TARGET = {".doc": "pdf", ".ppt": "pptx"}
_PART = {".doc": WRITER, ".ppt": IMPRESS}  # the part of LibreOffice that reads each
_SAVE_AS = {".doc": "PDF or DOCX", ".ppt": "PDF or PPTX"}


def extract(path: Path, options: ExtractOptions) -> Extraction:
    kind = path.suffix.lower().lstrip(".")
    part = _PART[path.suffix.lower()]
    program = libreoffice(part)
    if program is None:
        raise UnsupportedFormat(
            f"{path.suffix.lower()} files are read by {part.name}, which is not installed:"
            f" install it (Debian: {part.debian}), or save the file as"
            f" {_SAVE_AS[path.suffix.lower()]}, and ingest it again"
        )
    plain = decrypt_legacy(path, kind, options)
    if isinstance(plain, Extraction):
        return plain
    target = _TARGET[path.suffix.lower()]
    with tempfile.TemporaryDirectory() as work:
        source = path
        if plain is not None:
            source = Path(work, f"decrypted{path.suffix.lower()}")
            source.write_bytes(plain)
        try:
            converted = _convert(program, source, target, Path(work))
        except ExtractionError:
            if plain is None:
                raise
            return locked(
                kind,
                "not searchable: it has a password, and LibreOffice cannot read it even"
                " decrypted: save it without the password, or as PDF, and ingest that",
            )
        if target == "pdf":
            result = pdf_extractor.extract(converted, ExtractOptions(ocr=options.ocr))
        else:
            result = pptx_extractor.read(converted)
    # The converted file's embedded date is the conversion's, not the document's.
    return replace(result, format=kind, date=None)


def _convert(program: str, source: Path, target: str, work: Path) -> Path:
    # A private profile: conversions running side by side must not share one.
    profile = (work / "profile").as_uri()
    out = work / "out"
    command = [
        program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
        "--convert-to", target, "--outdir", str(out), str(source),
    ]  # fmt: skip
    try:
        subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise ExtractionError(
            f"LibreOffice took over {CONVERT_SECONDS} s to convert it; save it as PDF and"
            " ingest that"
        ) from None
    converted = out / f"{source.stem}.{target}"
    if not converted.exists():
        raise ExtractionError(
            "LibreOffice could not convert it; open it in an office application, save it"
            " as PDF and ingest that"
        )
    return converted
