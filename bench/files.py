"""Real third-party files: how many are archived, searchable, and right on their checked facts.

Run on demand: `python bench/files.py` (or `make bench-extraction`). It ingests the whole of
../shared/benchmarks/files/ (116 PDF, Office, ODF and HTML files from public test suites:
encrypted, damaged, scanned, odd fonts, placeholder titles, text boxes, saved web pages) into a
temporary archive, as a librarian would: the folder first, then each file that needs a password
again with `--password` (the passwords are in the folder's MANIFEST.tsv). Then, for each file:

- archived: the archive holds its original and a record;
- searchable: a search for a phrase of its own text (from its checked facts when they hold,
  else a word of its text) finds it;
- right: every checked fact of MANIFEST.tsv that says something about the text, the pages, the
  title or the password holds for what the archive recorded (facts about the file's bytes,
  such as its encryption dictionary, are not about the archive and are skipped).

Titles are checked against the table below, which says for each file with a title fact which
title a reader would give it: the embedded title when it is real, else the heading the
manifest names. Running headers that the archive leaves out on purpose are checked absent.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from isecg_archive.collection import Collection
from isecg_archive.errors import QueryError
from isecg_archive.extract import ExtractOptions
from isecg_archive.pipeline.ingest import IngestOptions, ingest
from isecg_archive.search import SearchRequest
from isecg_archive.storage.records import Document

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = ROOT.parent / "shared" / "benchmarks" / "files"

# The title a reader would give each file that has a title fact: ("is", title), ("starts",
# its beginning) or ("not", a placeholder it must not be).
TITLES: dict[str, tuple[str, str]] = {
    "pdf/password-example.pdf": ("starts", "Backup4all"),
    "pdf/data-000001.pdf": ("is", "PDF clock CGI"),
    "pdf/test_4034.pdf": ("not", "Scanned Document"),
    "pdf/PDFBOX-3053-reduced.pdf": ("starts", "Traumatic Brain Injury"),
    "pdf/PDFBOX-3127-RAU4G6QMOVRYBISJU7R6MOVZCRFUO7P4-VFont.pdf": ("not", "Microsoft Word"),
    "pdf/scotus-transcript-p1.pdf": ("not", "10811.exe"),
    "pdf/cupertino_usd_4-6-16.pdf": ("not", "Microsoft Word"),
    "pdf/test_4363.pdf": ("starts", "Deal Roadshow"),
    "pdf/hello3.pdf": ("is", "Hello محمد World"),
    "pdf/2023 - LibreOffice Conference Bukarest - ODF and its Toolkit.pdf": (
        "is",
        "New ODF Toolkit from TDF (The Document Foundation)",
    ),
    "office/au.asn.aes.www_conferences_2011_presentations_Fri_20Room4Level4_20930_20Maloney.pptx": (
        "is",
        "How effective communication can help evaluation achieve influence",
    ),
    "office/alterman_security.pptx": (
        "is",
        "Government-University Identity Management Opportunities",
    ),
    "office/alterman_security.ppt": (
        "is",
        "Government-University Identity Management Opportunities",
    ),
    "office/templatePPTWithOnlyOneText.pptx": ("not", "PowerPoint 演示文稿"),
    "office/SampleShow.pptx": ("is", "SlideShow Sample"),
    "office/SampleShow.ppt": ("is", "SlideShow Sample"),
    "office/with_japanese.pptx": ("not", "Slide 1"),
    "office/ca.ubc.cs.people_~emhill_presentations_HowWeRefactor.pptx": ("is", "How We Refactor"),
    "office/ececapstonespring2012.pptx": ("is", "Music Sound Interpreter"),
    "office/Encrypted.pptx": ("not", "PowerPoint Presentation"),
    "office/41071.ppt": ("not", "Ingen lysbildetittel"),
    "office/54880_chinese.ppt": ("not", "スライド 1"),
    "office/57272_corrupted_usereditatom.ppt": ("is", "PROGETTO ACCESSORI"),
    "office/PPT95.ppt": ("is", "An XML Introduction"),
    "office/PageSpecificHeadFoot.docx": ("not", "ODD Page Header text"),
    "office/testComment.docx": ("is", "Test Doc"),
    "office/SampleDoc.doc": ("is", "Test Document"),
    "office/Bug45473.doc": ("starts", "יותר מחצי שנה אחרי"),
    "office/cn.orthodox.www_divenbog_APRIL_30-APRIL.DOC": ("is", "30 APRIL (V - 13)"),
    "office/fields.odt": ("not", "DOC_"),
    "office/metaTest.odt": ("is", "dctitle"),
    "office/table-within-textBox-within-frame.odt": ("is", "SOW - Statement of Work"),
    "office/example.odp": ("is", "Présentation d'un nouveau produit"),
    "office/2023 - LibreOffice Conference Bukarest - ODF and its Toolkit.odp": (
        "is",
        "New ODF Toolkit from TDF (The Document Foundation)",
    ),
    "html/blog.python.org.html": ("is", "Python 3.6.0 is now available!"),
    "html/github.blog.spiceland.html": ("is", "Leader spotlight: Erin Spiceland"),
    "html/boingboing.net.millenials.html": (
        "is",
        "Hating Millennials - the prejudice you're allowed to boast about",
    ),
    "html/lemire.me.json.html": ("is", "JSON parsing: simdjson vs. JSON for Modern C++"),
    "html/reuters.com.parasite.html": (
        "is",
        "'Parasite' scores historic upset at SAG awards, boosting Oscar chances",
    ),
    "html/wikimediafoundation.org.turkey.html": (
        "is",
        "Access to Wikipedia restored in Turkey after more than two and a half years",
    ),
    "html/chineselyrics4u.com.zhineng.html": (
        "is",
        "Zhi Neng Xiang Nian Ni - Jam Hsiao Jing Teng (只能想念你 - 蕭敬騰)",
    ),
}
# Text the archive leaves out on purpose (README, "Text true to the page"), checked absent:
# running headers and footers of files of several pages (named so in the manifest), field
# codes (Word shows a field's result, not its code), and text that names glyphs.
ON_PURPOSE = {
    ("pdf/federal-register-2020-17221.pdf", "Federal Register / Vol. 85, No. 152"),
    ("pdf/test_4180.pdf", "26/03/2024, 22:30"),
    ("office/FieldCodes.docx", "CREATEDATE"),
    ("office/test-fields.doc", "CREATEDATE"),
    ("pdf/type3font.pdf", "11 00 00 11"),
}


@dataclass
class Archived:
    """What the archive holds for one file: its record and its text, page by page."""

    document: Document
    pages: tuple[str, ...]
    first_needs: tuple[str, ...]  # what the record needed after the first, password-less ingest

    def text(self) -> str:
        return "\n".join(self.pages)


def normal(text: str) -> str:
    """Whitespace collapsed and compatibility forms folded (ligatures, presentation forms)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _contains(haystack: str, phrase: str) -> bool:
    return normal(phrase) in normal(haystack)


def _page(archived: Archived, number: int) -> str:
    return archived.pages[number - 1] if 0 < number <= len(archived.pages) else ""


Check = Callable[[Archived], bool]


def check_for(path: str, fact: str) -> Check | None:
    """How to check one fact of the manifest on what the archive holds; None when it says
    nothing about the archive (a property of the file's bytes)."""
    if fact.startswith("empty password opens it"):
        return lambda a: "password" not in a.first_needs
    if fact.startswith("an empty password does not open it"):
        return lambda a: "password" in a.first_needs
    if re.match(r"password '.*?' (opens|decrypts|verifies)", fact):
        return lambda a: "password" not in a.document.needs
    if m := re.match(r"(?:after decryption: .*?)?(\d+) (?:pages|slides|slide\(s\))", fact):
        count = int(m.group(1))
        return lambda a: a.document.pages == count
    if m := re.search(r"after decryption: core title .*?, (\d+) slide\(s\)", fact):
        count = int(m.group(1))
        return lambda a: a.document.pages == count
    if m := re.match(r"p(\d+): no extractable text", fact):
        number = int(m.group(1))
        return lambda a: number in a.document.ocr_pages or "ocr" in a.document.needs
    if m := re.match(r"(?:p(\d+): )?line break '(.*?)' / '(.*?)' \(word '(.*?)'\)", fact):
        number, head, tail, word = m.groups()

        def joined(a: Archived) -> bool:
            text = _page(a, int(number)) if number else a.text()
            return word in text and not re.search(re.escape(head) + r"\s*" + tail, text)

        return joined
    if m := re.search(r"'(.*)'$", fact):
        phrase = m.group(1)
        if any(path == p and phrase.startswith(left) for p, left in ON_PURPOSE):
            return lambda a: not _contains(a.text(), phrase)
    if m := re.match(r"p(\d+): '(.*)'$", fact):
        number, phrase = int(m.group(1)), m.group(2)
        return lambda a: _contains(_page(a, number), phrase)
    if m := re.match(
        r"(?:speaker notes of )?slide (\d+)(?:, inside a group shape)?: '(.*)'$", fact
    ):
        number, phrase = int(m.group(1)), m.group(2)
        return lambda a: _contains(_page(a, number), phrase)
    absent = (
        r"deleted \(w:delText\): '(.*)'$",
        r"boilerplate \(must not be in the main text\): '(.*)'$",
    )
    for pattern in absent:
        if m := re.match(pattern, fact):
            phrase = m.group(1)
            return lambda a: not _contains(a.text(), phrase)
    if m := re.match(r"deleted text '(.*?)' kept inside", fact):
        word = m.group(1)
        return lambda a: not re.search(rf"\b{re.escape(word)}\b", a.text())
    present = (
        r"(?:decrypted )?text (?:contains|starts) '(.*)'$",
        r"(?:document|footnotes|endnotes|header|footer|comments) \([\w.]+\): '(.*)'$",
        r"(?:content|styles)\.xml: '(.*)'$",
        r"main text: '(.*)'$",
        r"PDFBox reference text \(.*?\): '(.*)'$",
        r"password '.*?' decrypts content\.xml; text starts '(.*)'$",
        r"'(.*)'$",
    )
    for pattern in present:
        if m := re.match(pattern, fact):
            phrase = m.group(1)
            return lambda a: _contains(a.text(), phrase)
    if m := re.match(r"form field '.*?' = '(.*)'$", fact):
        value = m.group(1)
        return lambda a: _contains(a.text(), value)
    title_fact = (
        r"(?:PDF Info Title|core title|SummaryInformation title|meta\.xml dc:title|<title>)"
    )
    if re.match(title_fact, fact) or fact.startswith("title decodes to"):
        kind, expected = TITLES.get(path, ("is", _quoted(fact)))
        return lambda a: _title_is(a.document.title, kind, expected)
    return None


def _quoted(fact: str) -> str:
    return fact[fact.index("'") + 1 : fact.rindex("'")]


def _title_is(title: str, kind: str, expected: str) -> bool:
    title, expected = normal(title), normal(expected)
    if kind == "not":
        return expected.lower() not in title.lower()
    if kind == "starts":
        return title.startswith(expected)
    return title == expected


def facts(row: dict[str, str]) -> list[tuple[str, Check]]:
    found = []
    # Where poppler's text and PDFBox's differ, either is right (the manifest's README).
    reference = re.search(r"PDFBox reference text \(.*?\): '(.*?)'(?:;|$)", row["expected"])
    for fact in row["expected"].split("; "):
        fact = fact.strip()
        check = check_for(row["path"], fact)
        if check is not None and reference and re.match(r"p\d+: '", fact):
            alternative = check_for(row["path"], f"'{reference.group(1)}'")
            assert alternative is not None
            check = _either(check, alternative)
        if check is not None:
            found.append((fact, check))
    return found


def _either(one: Check, other: Check) -> Check:
    return lambda a: one(a) or other(a)


def first_password(row: dict[str, str]) -> str | None:
    match = re.search(r"password '(.*?)' (?:opens|decrypts|verifies)", row["expected"])
    return match.group(1) if match else None


def _findable(collection: Collection, archived: Archived, phrases: list[str]) -> bool:
    words = Counter(re.findall(r"[^\W\d_]{5,}", archived.text()))
    queries = [f'"{p}"' for p in phrases if '"' not in p and _contains(archived.text(), p)]
    queries += [word for word, _ in words.most_common(3)]
    for query in queries[:4]:
        try:
            result = collection.search(SearchRequest(query=query, per_page=100))
        except QueryError:  # only stop words
            continue
        for hit in result.hits:
            ids = {hit.document.id, *(v.id for v in hit.versions)}
            if archived.document.id in ids:
                return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=Path, default=DEFAULT_FILES, help="the benchmark folder")
    parser.add_argument("--verbose", action="store_true", help="a line for every file")
    args = parser.parse_args()
    manifest = args.files / "MANIFEST.tsv"
    if not manifest.exists():
        sys.exit(f"no MANIFEST.tsv in {args.files}: give --files DIR")
    with manifest.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    with tempfile.TemporaryDirectory() as tmp:
        collection = Collection(Path(tmp) / "archive")
        started = time.monotonic()
        report = ingest(collection, [args.files])
        failed = {Path(o.path): o.message for o in report.outcomes if o.status == "failed"}
        first = {d.sha256: d.needs for d in collection.archive.records()}
        for row in rows:
            password = first_password(row)
            path = args.files / row["path"]
            if password and "password" in first.get(row["sha256"], ()):
                options = IngestOptions(extract=ExtractOptions(password=password))
                ingest(collection, [path], options=options)
        seconds = time.monotonic() - started
        records = {d.sha256: d for d in collection.archive.records()}
        archived = searchable = right = checked_files = 0
        facts_right = facts_total = 0
        lines = []
        for row in rows:
            document = records.get(row["sha256"])
            checks = facts(row)
            if document is None:
                why = failed.get(args.files / row["path"], "not in the archive")
                lines.append(f"  {row['path']}: not archived: {why}")
                if checks:
                    checked_files += 1
                    facts_total += len(checks)
                continue
            archived += 1
            held = Archived(document, collection.extraction(document).pages, first[row["sha256"]])
            phrases = re.findall(r"'([^']{2,})'", row["expected"])
            found = _findable(collection, held, phrases)
            searchable += found
            wrong = [fact for fact, check in checks if not check(held)]
            if checks:
                checked_files += 1
                facts_total += len(checks)
                facts_right += len(checks) - len(wrong)
                right += not wrong
            if wrong or not found or args.verbose:
                status = "searchable" if found else "NOT searchable"
                shown = "; ".join(wrong) if wrong else "all facts hold"
                lines.append(f"  {row['path']}: {status}; {shown} (title {document.title!r})")
    print(f"third-party files, {len(rows)} ({args.files}), ingested in {seconds:.1f} s:")
    print(f"  archived: {archived} of {len(rows)}")
    print(f"  searchable: {searchable} of {len(rows)}")
    print(
        f"  right on every checked fact: {right} of {checked_files} files with facts about the"
        f" archive ({facts_right} of {facts_total} facts)"
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
