"""Write the text PDFs of the demo collection and the tests: portrait reports and slide decks.

Each page of text becomes exactly one PDF page, so tests know which page holds which words.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

SLIDE_SIZE = (960.0, 540.0)  # 16:9, landscape


def _canvas(path: Path, size: tuple[float, float], title: str, author: str, created: str) -> Canvas:
    canvas = Canvas(str(path), pagesize=size, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    stamp = "D:" + created.replace("-", "") + "000000Z"
    canvas.setDateFormatter(lambda *_: stamp)
    return canvas


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words, line = paragraph.split(), ""
        for word in words:
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
    return lines


def write_report(path: Path, pages: list[str], title: str, author: str, created: str) -> None:
    """A4 portrait pages; the first line of the first page is set as a heading."""
    canvas = _canvas(path, A4, title, author, created)
    width, height = A4
    for number, text in enumerate(pages, start=1):
        y = height - 72
        for index, line in enumerate(_wrap(text, 88)):
            heading = index == 0
            canvas.setFont("Helvetica-Bold" if heading else "Helvetica", 15 if heading else 10.5)
            canvas.drawString(64, y, line)
            y -= 24 if heading else 14.5
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(width - 64, 40, f"{number}")
        canvas.showPage()
    canvas.save()


def write_slides(path: Path, slides: list[str], title: str, author: str, created: str) -> None:
    """Landscape slides: a large title line, then bullets."""
    canvas = _canvas(path, SLIDE_SIZE, title, author, created)
    width, height = SLIDE_SIZE
    for text in slides:
        heading, *rest = text.split("\n")
        canvas.setFillColorRGB(0.05, 0.18, 0.35)
        canvas.rect(0, height - 110, width, 110, stroke=0, fill=1)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.setFont("Helvetica-Bold", 30)
        canvas.drawString(48, height - 70, heading)
        canvas.setFillColorRGB(0.1, 0.1, 0.1)
        y = height - 170
        for line in rest:
            bullet = line.startswith("- ")
            canvas.setFont("Helvetica", 22 if bullet else 20)
            canvas.drawString(72 if bullet else 48, y, ("•  " + line[2:]) if bullet else line)
            y -= 44
        canvas.showPage()
    canvas.save()
