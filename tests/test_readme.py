"""Every command the README shows, run as a reader would type it: in a shell, on a copy of the
demo, each block of examples in order on its own copy. Each is checked for its exit status and
for what the README says it prints, so that the README cannot drift from the program.

A command added to the README must be added here too (the test says which), with what it
prints: that is the point. `serve` and `watch` run until stopped: they are started, checked
for their first line, and stopped with SIGTERM.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DEMO, FILES, ROOT

LPV = "365b83ff13ec"  # the Lunar Polar Volatiles Workshop 2016 summary
# What each command prints (exit status, then text that must be in its output: stdout and
# stderr together). The texts are the README's own claims, written out.
EXPECTED = {
    'isecg-archive ingest ~/inbox/lpv-workshop-2016 --event "Lunar Polar Volatiles Workshop"':
        (0, "1 added, 0 updated, 0 unchanged, 0 failed"),
    "isecg-archive ingest deck.pdf --agency JAXA --agency NASA --topic lunar-polar-volatiles"
    ' --type presentation --date 2016-02 --title "Prospecting the lunar poles"':
        (0, "1 added, 0 updated, 0 unchanged, 0 failed"),
    "isecg-archive watch ~/isecg-inbox --agency ESA": (0, "Watching "),
    "isecg-archive search '\"polar volatiles\"'": (0, "7 documents match '\"polar volatiles\"'"),
    "isecg-archive search 'gateway AND (logistics OR cargo)' --agency JAXA --since 2018"
    " --until 2023": (0, "2 documents match 'gateway AND (logistics OR cargo)'"),
    "isecg-archive search volatil* --topic lunar-polar-volatiles --sort newest --json":
        (0, '"sort": "newest",\n  "total": 5,'),
    "isecg-archive search --type white-paper --csv": (0, "rank,id,date,title,agencies,topics"),
    'isecg-archive facets "lunar surface" --since 2015': (0, "16 documents\n\nagency\n"),
    "isecg-archive facets --json": (0, '"total": 27,\n  "facets": {'),
    "isecg-archive facets --csv": (0, "facet,value,label,count\nagency,ESA,ESA,19\n"),
    f"isecg-archive show {LPV}": (0, f"id:             {LPV}\n"),
    "isecg-archive show 365b83 --json": (0, f'"document": {{\n    "id": "{LPV}",'),
    f"isecg-archive cite {LPV}": (0, "ISECG. (2016). Lunar Polar Volatiles Workshop 2016:"
                                     " Summary [Workshop summary]. "),
    f"isecg-archive cite {LPV} --format bibtex >> references.bib": (0, ""),
    f"isecg-archive cite {LPV} --format ris": (0, "TY  - RPRT\nID  - 365b83ff13ec\n"),
    f"isecg-archive cite {LPV} --page 3": (0, f"/documents/{LPV}#page=3\n"),
    "isecg-archive export -o catalogue.csv": (0, "Exported 27 documents to catalogue.csv"),
    'isecg-archive export "polar volatiles" --agency JAXA --format bibtex > jaxa.bib': (0, ""),
    "isecg-archive export --event lunar-polar-volatiles-workshop-2016 --format ris"
    " -o lpv-2016.ris": (0, "Exported 1 document to lpv-2016.ris"),
    "isecg-archive events": (0, "Lunar Polar Volatiles Virtual Workshop"),
    "isecg-archive events --json": (0, '"slug": "lunar-polar-volatiles-virtual-workshop-2020"'),
    'isecg-archive event add "ISECG Science Workshop" --date 2027-03-02/2027-03-04 --place online':
        (0, "ISECG Science Workshop 2027  [isecg-science-workshop-2027]"),
    'isecg-archive event edit lunar-polar-volatiles-workshop-2016 --moderator "Clive Neal" '
    "--organiser ISECG --link https://www.globalspaceexploration.org/":
        (0, "  moderator: Clive Neal"),
    "isecg-archive event show lunar-polar-volatiles-workshop-2016 --json":
        (0, '"moderator": "Clive Neal"'),
    "isecg-archive event agenda lunar-polar-volatiles-workshop-2016 --export agenda.csv": (0, ""),
    "isecg-archive catalogue export --events events.csv": (0, "Wrote 5 events to events.csv"),
    "isecg-archive catalogue import --events events.csv --dry-run":
        (0, "5 rows read; 0 events would change"),
    "isecg-archive event agenda lunar-polar-volatiles-workshop-2016 agenda.csv":
        (0, "Lunar Polar Volatiles Workshop 2016  [lunar-polar-volatiles-workshop-2016]"),
    f"isecg-archive remove {LPV}": (0, f"Removed {LPV} "),
    "isecg-archive reindex": (0, "Indexed 27 documents"),
    "isecg-archive serve": (0, "Serving "),
    "isecg-archive --archive /data/isecg serve --port 8080": (0, "Serving "),
    "isecg-archive serve --host 0.0.0.0 --allow-host archive.lab.example": (0, "Serving "),
    "isecg-archive check": (0, "OK: 27 documents, every original present and indexed"),
    "isecg-archive check --repair": (0, "OK: 27 documents"),
    f"isecg-archive edit {LPV} --agency NASA --agency JAXA --date 2016-04":
        (0, "agencies: ISRO, JAXA, NASA -> NASA, JAXA"),
    f"isecg-archive edit {LPV} 02cbac41f7a1 --add-organisation COSPAR --remove-agency ESA":
        (0, "organisations: (none) -> COSPAR"),
    "isecg-archive edit --where 'event:\"polar volatiles\" type:workshop-summary'"
    " --add-topic lunar-surface": (0, "Updated d0d8f68dba87"),
    f"isecg-archive edit {LPV} --clear event --detect topics --json": (0, '"status": "updated"'),
    f"isecg-archive history {LPV}": (0, "No change recorded for 365b83ff13ec"),
    "isecg-archive history --json": (0, '"history": []'),
    "isecg-archive catalogue export catalogue.csv": (0, "Wrote 27 documents to catalogue.csv"),
    "isecg-archive catalogue import catalogue.csv --dry-run":
        (0, "27 rows read; 0 documents would change"),
    "isecg-archive catalogue import catalogue.csv": (0, "27 rows read; 0 documents changed"),
    "isecg-archive trash": (0, "1 document; `isecg-archive restore ID` brings one back"),
    f"isecg-archive restore {LPV}": (0, f"Restored {LPV}"),
    "isecg-archive redetect --dry-run": (0, "0 documents would change"),
    "isecg-archive vocab": (0, "Acronyms (28), each finding its expansions and back"),
    "isecg-archive vocab --json": (0, '"key": "NASA",'),
}  # fmt: skip
RUNNING = ("serve", "watch")  # commands that run until stopped


def readme_blocks() -> list[list[str]]:
    """The isecg-archive commands of each ```sh block, continued lines joined, comments cut."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        lines = re.sub(r"\\\n\s*", "", block).splitlines()
        commands = [re.sub(r"\s+#.*$", "", line) for line in lines]
        blocks.append([c for c in commands if c.startswith("isecg-archive")])
    return [block for block in blocks if block]


def test_every_readme_command_is_checked_here():
    shown = [command for block in readme_blocks() for command in block]
    assert sorted(set(shown) - set(EXPECTED)) == [], "add these to EXPECTED, with their output"
    assert sorted(set(EXPECTED) - set(shown)) == [], "the README no longer shows these"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("block", readme_blocks(), ids=lambda block: block[0][14:50])
def test_the_readme_examples_run_as_shown(block: list[str], tmp_path: Path):
    archive = tmp_path / "archive"
    shutil.copytree(DEMO, archive)
    home, work = tmp_path / "home", tmp_path / "work"
    (home / "inbox" / "lpv-workshop-2016").mkdir(parents=True)
    (home / "isecg-inbox").mkdir()
    shutil.copy(FILES / "regolith-report.pdf", home / "inbox" / "lpv-workshop-2016")
    work.mkdir()
    shutil.copy(FILES / "gateway-logistics-slides.pdf", work / "deck.pdf")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "ISECG_ARCHIVE": str(archive),
    }
    env.pop("MAKELEVEL", None)
    subprocess.run(["isecg-archive", "reindex"], env=env, capture_output=True, check=True)
    for shown in block:
        code, said = EXPECTED[shown]
        command = shown.replace("/data/isecg", str(archive))
        if " serve" in command:  # on a free port: 8000 or 8080 may be taken on this machine
            port = str(_free_port())
            command = command.replace("--port 8080", f"--port {port}")
            command += "" if "--port" in command else f" --port {port}"
        if any(f" {name}" in command for name in RUNNING):
            output, status = _run_until_stopped(command, work, env)
        else:
            done = subprocess.run(
                ["bash", "-c", command], cwd=work, env=env, capture_output=True, text=True,
                timeout=300,
            )  # fmt: skip
            output, status = done.stdout + done.stderr, done.returncode
        assert status == code, (shown, output)
        assert said in output, (shown, output)


def _run_until_stopped(command: str, cwd: Path, env: dict[str, str]) -> tuple[str, int]:
    """Started, its first line read, stopped with SIGTERM; killed, whatever fails."""
    process = subprocess.Popen(
        ["bash", "-c", f"exec {command}"], cwd=cwd, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=60)
        return first + rest, process.returncode
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
