"""The real things, small: sample files, a temp archive with its index, the CLI runner."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from isecg_archive.cli import cli
from isecg_archive.collection import Collection
from isecg_archive.ingest import ingest

FILES = Path(__file__).parent / "files"
ROOT = Path(__file__).parent.parent
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
