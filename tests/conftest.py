"""The real things, small: sample files, a temp archive with its index, the CLI runner."""

from __future__ import annotations

import atexit
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from isecg_archive.cli import cli
from isecg_archive.collection import Collection
from isecg_archive.extract import programs
from isecg_archive.pipeline.ingest import ingest

# Optional programs, found by what a test needs of them (as the archive finds them).
needs_writer = pytest.mark.skipif(
    programs.libreoffice(programs.WRITER) is None,
    reason="LibreOffice Writer is not installed (Debian: libreoffice-writer-nogui)",
)
needs_impress = pytest.mark.skipif(
    programs.libreoffice(programs.IMPRESS) is None,
    reason="LibreOffice Impress is not installed (Debian: libreoffice-impress-nogui)",
)
needs_calc = pytest.mark.skipif(
    programs.libreoffice(programs.CALC) is None,
    reason="LibreOffice Calc is not installed (Debian: libreoffice-calc-nogui)",
)
needs_tesseract = pytest.mark.skipif(
    programs.tesseract() is None,
    reason="Tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-eng)",
)
needs_chromium = pytest.mark.skipif(
    programs.chromium() is None, reason="Chromium is not installed (Debian: chromium)"
)

FILES = Path(__file__).parent / "files"
ROOT = Path(__file__).parent.parent


def _pristine_demo() -> Path:
    """The demo archive as committed, in a folder of the suite's own: tests never read or write
    the working `archive/`, which a person may have curated by trying the README's examples.
    Outside a git checkout (a source tarball), a copy of `archive/` as it is."""
    where = Path(tempfile.mkdtemp(prefix="isecg-demo-"))
    atexit.register(shutil.rmtree, where, True)
    git = shutil.which("git")
    if git and (ROOT / ".git").exists():
        tree = subprocess.run(
            [git, "-C", str(ROOT), "archive", "--format=tar", "HEAD", "archive"],
            capture_output=True,
            check=False,
        )
        if tree.returncode == 0:
            subprocess.run(["tar", "-x", "-C", str(where)], input=tree.stdout, check=True)
            return where / "archive"
    shutil.copytree(ROOT / "archive", where / "archive")
    return where / "archive"


DEMO = _pristine_demo()  # read-only by convention: a test that changes an archive copies DEMO
GOOD_FILES = (
    "regolith-report.pdf",
    "gateway-logistics-slides.pdf",
    "news.html",
    "notes.txt",
    "Überblick Mondmission 2019.md",
)


@pytest.fixture
def archive_dir(tmp_path: Path) -> Path:
    return tmp_path / "archive"


@pytest.fixture
def collection(archive_dir: Path) -> Collection:
    return Collection(archive_dir)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A folder holding copies of the good sample files."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in GOOD_FILES:
        shutil.copy(FILES / name, folder / name)
    return folder


@pytest.fixture
def filled(collection: Collection, inbox: Path) -> Collection:
    report = ingest(collection, [inbox])
    assert report.count("added") == len(GOOD_FILES)
    return collection


@pytest.fixture
def run(archive_dir: Path) -> Callable[..., Result]:
    """Invoke the CLI on the temp archive."""
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, ["--archive", str(archive_dir), *args], catch_exceptions=False)

    return invoke


@pytest.fixture
def app(filled: Collection):
    from isecg_archive.web import create_app

    return create_app({"ARCHIVE_DIR": filled.archive.root, "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


def command(archive: Path, *args: str) -> list[str]:
    """The command line of a real `isecg-archive` process on `archive`."""
    return [sys.executable, "-m", "isecg_archive", "--archive", str(archive), *args]


@pytest.fixture
def small_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of its own, which a test can fill or make read-only (needs the right to mount)."""
    mount = tmp_path / "mount"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a file system here: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@contextmanager
def served(app: object, threads: int = 4) -> Iterator[str]:
    """A web app over HTTP: waitress on a free port of 127.0.0.1, in a thread, stopped after."""
    from waitress import wasyncore
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        # Closing the sockets from this thread races the server's select(), which then fails
        # on a closed descriptor: the loop's own thread closes them, which also ends the loop.
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        thread.join(timeout=10)
        server.task_dispatcher.shutdown()


def ingest_talk(run: Callable[..., Result], folder: Path, event_date: str) -> str:
    """The gateway logistics slides ingested through the CLI as a presentation of the Lunar
    Polar Volatiles Workshop held on `event_date`: the id of the one document."""
    folder.mkdir()
    shutil.copy(FILES / "gateway-logistics-slides.pdf", folder)
    event = ("--event", "Lunar Polar Volatiles Workshop", "--event-date", event_date)
    result = run("ingest", str(folder), "--type", "presentation", *event)
    assert result.exit_code == 0, result.output
    (hit,) = json.loads(run("search", "--json").stdout)["hits"]
    return str(hit["id"])
