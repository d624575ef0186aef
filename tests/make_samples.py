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

from pdfwriter import _canvas as pdf_canvas  # noqa: E402
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


def office_samples() -> None:
    """PPTX, DOCX, their OpenDocument and legacy twins (via LibreOffice), a scan, a zip bomb."""
    import shutil
    import subprocess
    import tempfile
    import zipfile
    from datetime import datetime

    from docx import Document
    from PIL import Image, ImageDraw, ImageFont
    from pptx import Presentation
    from pptx.util import Inches
    from reportlab.lib.pagesizes import A4

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    title_slide = deck.slides.add_slide(deck.slide_layouts[0])
    title_slide.shapes.title.text = "Lunar Dust Mitigation"
    title_slide.placeholders[1].text = "ESA · 14 June 2022"
    body = deck.slides.add_slide(deck.slide_layouts[1])
    body.shapes.title.text = "Electrostatic cleaning"
    body.placeholders[1].text = "Dust clings to seals and optics\nElectrodes lift charged grains"
    body.notes_slide.notes_text_frame.text = "Mention the ESTEC vacuum chamber results."
    table_slide = deck.slides.add_slide(deck.slide_layouts[5])
    table_slide.shapes.title.text = "Test results"
    rows = [("Surface", "Dust removed"), ("Glass", "92%"), ("Solar cell", "87%")]
    table = table_slide.shapes.add_table(3, 2, Inches(1), Inches(2), Inches(6), Inches(2)).table
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    group = table_slide.shapes.add_group_shape()
    box = group.shapes.add_textbox(Inches(8), Inches(2), Inches(4), Inches(1))
    box.text_frame.text = "Grouped caption: tested at ESTEC"
    deck.core_properties.title = "Lunar Dust Mitigation"
    deck.core_properties.author = "ESA"
    deck.core_properties.created = datetime(2022, 6, 14)
    deck.save(FILES / "dust-mitigation.pptx")

    report = Document()
    report.sections[0].header.paragraphs[0].text = "ISECG Technology Working Group"
    report.sections[0].footer.paragraphs[0].text = "Draft for review"
    report.add_heading("Cryogenic Propellant Storage", level=1)
    report.add_paragraph("NASA and JAXA compared boil-off losses of liquid oxygen in orbit.")
    grid = report.add_table(rows=2, cols=2)
    grid.cell(0, 0).text, grid.cell(0, 1).text = "Tank", "Boil-off per day"
    grid.cell(1, 0).text, grid.cell(1, 1).text = "Passive", "0.3%"
    report.add_page_break()
    report.add_heading("Recommendations", level=1)
    report.add_paragraph("Active cooling should be demonstrated on the Gateway.")
    report.core_properties.title = "Cryogenic Propellant Storage"
    report.core_properties.author = "NASA; JAXA"
    report.core_properties.created = datetime(2023, 9, 1)
    report.save(FILES / "cryogenic-storage.docx")

    soffice = shutil.which("soffice")
    if soffice:
        with tempfile.TemporaryDirectory() as work:
            for source, kind in (
                ("cryogenic-storage.docx", "odt"),
                ("dust-mitigation.pptx", "odp"),
                ("cryogenic-storage.docx", "doc"),
                ("dust-mitigation.pptx", "ppt"),
            ):
                subprocess.run(
                    [soffice, f"-env:UserInstallation=file://{work}/profile", "--headless",
                     "--convert-to", kind, "--outdir", work, str(FILES / source)],
                    check=True, capture_output=True,
                )  # fmt: skip
                converted = Path(work) / (Path(source).stem + f".{kind}")
                shutil.move(converted, FILES / converted.name)
            subprocess.run(
                [soffice, f"-env:UserInstallation=file://{work}/profile", "--headless",
                 "--convert-to", "pdf", "--outdir", work, str(FILES / "dust-mitigation.pptx")],
                check=True, capture_output=True,
            )  # fmt: skip
            shutil.move(Path(work) / "dust-mitigation.pdf", FILES / "dust-mitigation.pdf")

    # A scanned page: the text is only pixels.
    import reportlab

    font_path = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    font = ImageFont.truetype(str(font_path), 44)
    image = Image.new("L", (1654, 1000), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(
        ["Scanned Archive Memo", "Regolith sintering trials", "succeeded at ESTEC in 1998."]
    ):
        draw.text((120, 120 + n * 90), line, fill=0, font=font)
    with tempfile.TemporaryDirectory() as work:
        png = Path(work) / "scan.png"
        image.save(png)
        canvas = pdf_canvas(FILES / "scanned-memo.pdf", A4, "", "ISECG", "1998-11-20")
        canvas.drawImage(str(png), 40, 400, width=515, height=311)
        canvas.showPage()
        canvas.save()

    # A zip bomb wearing a .docx name: 200 MB of zeros in a few hundred kB.
    with zipfile.ZipFile(FILES / "zip-bomb.docx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(200):
                member.write(block)


if __name__ == "__main__":
    office_samples() if "--office" in sys.argv else main()
