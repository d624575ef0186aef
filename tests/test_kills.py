"""Commands killed outright (kill -9) in the middle of their work, and what the next one finds:
the lock free, every change of a batch made or none, the history equal to the archive, and a
crashed archive on a read-only mount still searchable."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import DEMO, command

PAUSING = Path(__file__).parent / "pausing"


def records(archive: Path) -> dict[str, str]:
    """Every record file under the archive (trash included), by path: its text."""
    return {
        path.relative_to(archive).as_posix(): path.read_text("utf-8")
        for path in sorted(archive.rglob("*.meta.json"))
    }


def history_actions(archive: Path) -> list[str]:
    path = archive / ".history.jsonl"
    if not path.exists():
        return []
    return [json.loads(line)["action"] for line in path.read_text("utf-8").splitlines()]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A copy of the demo archive, indexed."""
    archive = tmp_path / "archive"
    shutil.copytree(DEMO, archive)
    subprocess.run(command(archive, "reindex"), check=True, capture_output=True)
    return archive


def paused(args: list[str], where: str, flag: Path) -> subprocess.Popen[bytes]:
    """A command started to pause at `where` (tests/pausing), once it has paused there."""
    env = {**os.environ, "PYTHONPATH": str(PAUSING), "ISECG_PAUSE": where}
    env["ISECG_PAUSED"] = str(flag)
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not flag.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            out, err = process.communicate()
            pytest.fail(f"the command did not pause: {out.decode()} {err.decode()}")
        time.sleep(0.05)
    return process


@pytest.fixture
def reaped() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test starts, killed after it whatever happens."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate()


def edited_sheet(archive: Path, tmp_path: Path) -> Path:
    sheet = tmp_path / "catalogue.csv"
    subprocess.run(command(archive, "catalogue", "export", str(sheet)), check=True)
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["title"] += " (revised)"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return sheet


def test_a_killed_import_is_undone_whole_by_the_next_command(demo: Path, tmp_path: Path, reaped):
    sheet = edited_sheet(demo, tmp_path)
    before, actions = records(demo), history_actions(demo)
    process = paused(
        command(demo, "catalogue", "import", str(sheet)), "record:10", tmp_path / "paused"
    )
    reaped.append(process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert sum(text != before[path] for path, text in records(demo).items()) == 9  # half-done

    searched = subprocess.run(
        command(demo, "search", "revised", "--json"), capture_output=True, text=True
    )
    assert searched.returncode == 0, searched.stderr
    assert "stopped without finishing; repairing" in searched.stderr
    assert "repaired: undid the unfinished import of a stopped command" in searched.stderr
    assert json.loads(searched.stdout)["total"] == 0
    assert records(demo) == before
    assert history_actions(demo) == actions
    assert not (demo / ".journal.jsonl").exists()
    checked = subprocess.run(command(demo, "check"), capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_an_import_killed_once_committed_is_finished_with_its_history(
    demo: Path, tmp_path: Path, reaped
):
    sheet = edited_sheet(demo, tmp_path)
    actions = history_actions(demo)
    process = paused(command(demo, "catalogue", "import", str(sheet)), "history", tmp_path / "p")
    reaped.append(process)
    process.send_signal(signal.SIGKILL)
    process.wait()

    repaired = subprocess.run(command(demo, "check", "--repair"), capture_output=True, text=True)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "finished the import a stopped command had done" in repaired.stderr
    changed = [text for text in records(demo).values() if "(revised)" in text]
    assert len(changed) == 27
    assert history_actions(demo) == [*actions, *["import"] * 27]
    found = subprocess.run(command(demo, "search", "revised", "--json"), capture_output=True)
    assert json.loads(found.stdout)["total"] == 27


def test_a_killed_bulk_edit_and_a_killed_restore_are_undone(demo: Path, tmp_path: Path, reaped):
    before, actions = records(demo), history_actions(demo)
    edit = command(demo, "edit", "--where", "lunar", "--add-topic", "isru")
    process = paused(edit, "record:3", tmp_path / "edit")
    reaped.append(process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    subprocess.run(command(demo, "check", "--repair"), check=True, capture_output=True)
    assert records(demo) == before
    assert history_actions(demo) == actions

    removed = subprocess.run(command(demo, "remove", "d0d8f68dba87"), capture_output=True)
    assert removed.returncode == 0, removed.stderr
    in_trash, actions = records(demo), history_actions(demo)
    process = paused(command(demo, "restore", "d0d8f68dba87"), "record:1", tmp_path / "restore")
    reaped.append(process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    listed = subprocess.run(command(demo, "trash", "--json"), capture_output=True, text=True)
    assert "undid the unfinished restore" in listed.stderr
    assert [t["id"] for t in json.loads(listed.stdout)["trash"]] == ["d0d8f68dba87"]
    assert records(demo) == in_trash
    assert history_actions(demo) == actions
    restored = subprocess.run(command(demo, "restore", "d0d8f68dba87"), capture_output=True)
    assert restored.returncode == 0, restored.stderr
    assert history_actions(demo)[-1] == "restore"


def test_a_killed_reindex_leaves_no_writer_holding_the_lock(tmp_path: Path, reaped):
    sources = tmp_path / "sources"
    sources.mkdir()
    for n in range(150):  # enough for the index to be written by several processes
        (sources / f"note-{n}.txt").write_text(f"Note {n} on lunar water ice, sample {n * 7}.\n")
    archive = tmp_path / "archive"
    subprocess.run(command(archive, "ingest", str(sources)), check=True, capture_output=True)

    for _ in range(20):  # until the kill lands while the index writer's helpers are alive
        process = subprocess.Popen(
            command(archive, "reindex"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        reaped.append(process)
        helpers: list[int] = []
        while process.poll() is None and not helpers:
            helpers = children(process.pid)
        if helpers and process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()
            break
        process.wait()
    else:
        pytest.skip("the reindex never had helper processes to kill")
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in helpers), "a helper outlived the killed reindex"

    again = subprocess.run(
        command(archive, "--wait", "30", "reindex"), capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0, again.stderr
    assert "stopped without finishing; repairing" in again.stderr
    assert again.stdout.startswith("Indexed 150 documents")


def test_a_crashed_archive_mounted_read_only_is_searched(
    small_filesystem: Path, tmp_path: Path, reaped
):
    archive = small_filesystem / "archive"
    shutil.copytree(DEMO, archive)
    subprocess.run(command(archive, "reindex"), check=True, capture_output=True)
    process = paused(
        command(archive, "edit", "--where", "gateway", "--add-topic", "isru"),
        "record:2",
        tmp_path / "paused",
    )
    reaped.append(process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    subprocess.run(["mount", "-o", "remount,ro", str(small_filesystem)], check=True)

    found = subprocess.run(
        command(archive, "search", "gateway", "--json"), capture_output=True, text=True
    )
    assert found.returncode == 0, found.stderr
    assert "warning: the archive cannot be written here, so it was not repaired" in found.stderr
    assert json.loads(found.stdout)["total"] == 6
    checked = subprocess.run(command(archive, "check"), capture_output=True, text=True)
    assert "an unfinished edit was stopped half-way" in checked.stdout
