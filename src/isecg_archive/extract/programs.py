"""The optional programs extraction uses, each found by what it can do, not by its name alone.

LibreOffice is one `soffice` command whatever parts of it are installed: Debian splits it into
Writer, Impress and Calc packages, and with Calc alone `soffice` exists but converts no .doc.
A part is there when its library sits beside the program (Writer: libswlo.so, Impress:
libsdlo.so, Calc: libsclo.so). Where the layout is not one we know (no part's library beside
the program, as in some builds of other systems), every part is taken to be there. The tests
skip by the same functions, and the messages name the package that brings what is missing.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Part:
    name: str  # as a person calls it
    library: str  # the file beside `soffice` that only this part installs
    debian: str  # the package that installs it


WRITER = Part("LibreOffice Writer", "libswlo.so", "libreoffice-writer-nogui")
IMPRESS = Part("LibreOffice Impress", "libsdlo.so", "libreoffice-impress-nogui")
CALC = Part("LibreOffice Calc", "libsclo.so", "libreoffice-calc-nogui")
PARTS = (WRITER, IMPRESS, CALC)


def soffice() -> str | None:
    """The LibreOffice program, whichever parts of it are installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice(part: Part) -> str | None:
    """The LibreOffice program when `part` of it is installed, else None."""
    program = soffice()
    if program is None:
        return None
    folder = Path(program).resolve().parent
    known = [p for p in PARTS if (folder / p.library).exists()]
    return program if part in known or not known else None


def tesseract() -> str | None:
    return shutil.which("tesseract")


def ffprobe() -> str | None:
    """What reads a recording's duration and streams (Debian: ffmpeg)."""
    return shutil.which("ffprobe")


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")
