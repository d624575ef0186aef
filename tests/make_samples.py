"""Write the sample files in tests/files/ (committed; run again only to change them).

python tests/make_samples.py
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from pypdf import PdfReader, PdfWriter

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
sys.path.insert(0, str(HERE.parent / "demo"))

from pdfwriter import write_report, write_slides  # noqa: E402

REPORT_PAGES = [
    "Regolith Handling Report\nPrepared for the ISECG Technology Working Group\n12 May 2015\n\n"
    "This report by ESA and DLR describes tests of regolith handling equipment for the "
    "lunar surface. ESA ran the excavation trials; DLR ran the conveyor trials.",
    "Excavation trials\n\nBucket wheels and drills were run in a vacuum chamber with lunar "
    "regolith simulant. Wear on seals was the main failure.",
    "Conveyor trials\n\nA sealed conveyor moved basaltic glass beads without jamming for two "
    "hundred hours. Electrostatic dust removal kept the optics clear.",
    "Conclusions\n\nBoth ESA and DLR recommend a demonstration on the Moon before any "
    "production plant is designed.",
]

SLIDES = [
    "Gateway Logistics\nJAXA · 3 March 2021",
    "Cargo flights\n- Two flights a year\n- Pressurised and unpressurised cargo",
    "Docking\n- Common docking standard\n- Automated rendezvous",
]


def main() -> None:
    FILES.mkdir(exist_ok=True)
    write_report(
        FILES / "regolith-report.pdf",
        REPORT_PAGES,
        "Regolith Handling Report",
        "ISECG",
        "2015-05-12",
    )
    write_slides(
        FILES / "gateway-logistics-slides.pdf", SLIDES, "Gateway Logistics", "JAXA", "2021-03-03"
    )

    reader = PdfReader(FILES / "regolith-report.pdf")
    for name, user, owner in (
        ("encrypted.pdf", "secret", "owner"),
        ("owner-only.pdf", "", "owner"),
    ):
        writer = PdfWriter(clone_from=reader)
        writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
        with (FILES / name).open("wb") as handle:
            writer.write(handle)

    whole = (FILES / "regolith-report.pdf").read_bytes()
    (FILES / "broken.pdf").write_bytes(whole[:40] + b"\n% cut here\n" + whole[-60:])
    (FILES / "random-bytes.pdf").write_bytes(random.Random(7).randbytes(4096))
    (FILES / "empty.txt").write_bytes(b"")
    (FILES / "table.xyz").write_text("agency,year\nNASA,2019\n", encoding="utf-8")
    (FILES / "Überblick Mondmission 2019.md").write_text(
        "# Überblick über die Mondmission\n\nDas Deutsche Zentrum für Luft- und Raumfahrt (DLR) "
        "beschreibt die Mondmission. Das DLR plant Instrumente für die Mondoberfläche.\n\n"
        "Veröffentlicht im Oktober 2019.\n",
        encoding="utf-8",
    )
    (FILES / "news.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>CSA joins lunar rover team"
        "</title><meta name='date' content='2022-11-03'><style>p{color:red}</style></head><body>"
        "<nav>Menu</nav><h1>CSA joins lunar rover team</h1><p>The Canadian Space Agency (CSA) "
        "will design a utility rover for the lunar surface with NASA.</p><script>var hidden = "
        "'do not index me';</script><p>Canadian industry will build the rover arm.</p></body>"
        "</html>\n",
        encoding="utf-8",
    )
    (FILES / "notes.txt").write_text(
        "Mars Analogue Campaign Notes\n\nCrew health notes from an isolation study supported by "
        "ESA and NASA, September 2018. The crew practised autonomous medical care.\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
