import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from isecg_archive.cli import cli

from conftest import FILES, GOOD_FILES, ROOT


def test_ingest_prints_a_summary_and_one_line_per_failure(run, inbox: Path):
    shutil.copy(FILES / "encrypted.pdf", inbox / "encrypted.pdf")
    shutil.copy(FILES / "random-bytes.pdf", inbox / "random-bytes.pdf")
    result = run("ingest", str(inbox), "--agency", "esa", "--topic", "Mars")
    assert result.exit_code == 1
    assert result.stderr == (
        f"note: {inbox / 'encrypted.pdf'}: not searchable: it has a password; ingest it again"
        " with --password\n"
        f"FAILED {inbox / 'random-bytes.pdf'}: not a PDF: the file has no PDF header; check what"
        " the file really is\n"
    )
    assert result.stdout.startswith("6 added, 0 updated, 0 unchanged, 1 failed (10 pages in ")
    again = run("ingest", str(inbox / "notes.txt"))
    assert again.stdout.startswith("0 added, 0 updated, 1 unchanged, 0 failed")
    assert (
        again.stderr == "note: " + str(inbox / "notes.txt") + ": same content as inbox/notes.txt\n"
    )


def test_ingest_json_and_librarian_metadata(run, archive_dir: Path):
    result = run(
        "ingest", str(FILES / "notes.txt"), "--json", "--agency", "CSA", "--agency", "NASA",
        "--type", "report", "--date", "2018-09", "--event", "Analogue Campaign",
        "--title", "Analogue campaign notes",
    )  # fmt: skip
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {k: data[k] for k in ("added", "updated", "unchanged", "failed", "pages")} == {
        "added": 1, "updated": 0, "unchanged": 0, "failed": 0, "pages": 1,
    }  # fmt: skip
    record = json.loads((archive_dir / "notes.txt.meta.json").read_text())
    assert record["title"] == "Analogue campaign notes"
    assert record["agencies"] == ["CSA", "NASA"]
    assert (record["date"], record["event"], record["type"]) == (
        "2018-09",
        "Analogue Campaign",
        "report",
    )
    assert record["manual"] == ["title", "date", "event", "type", "agencies"]


def test_ingest_rejects_bad_metadata_before_touching_anything(run, archive_dir: Path):
    result = run("ingest", str(FILES / "notes.txt"), "--agency", "ACME")
    assert result.exit_code == 2  # a bad option value is a usage error
    assert result.stderr.startswith("Error: unknown agency 'ACME'; known agencies: NASA, ESA,")
    bad_date = run("ingest", str(FILES / "notes.txt"), "--date", "Feb 2016")
    assert bad_date.exit_code == 2
    assert (
        "cannot read the date 'Feb 2016'; write it as YYYY, YYYY-MM or YYYY-MM-DD"
        in bad_date.stderr
    )
    assert not archive_dir.exists()


def test_search_table_json_and_csv(run, inbox: Path):
    run("ingest", str(inbox))
    table = run("search", "conveyor")
    assert table.exit_code == 0
    assert table.stdout.splitlines()[:4] == [
        "1 document matches 'conveyor' (page 1 of 1)",
        "",
        "  1. 2015-05-12  Regolith Handling Report",
        "     DLR, ESA · report · id 506b5215c6d3",
    ]
    assert table.stdout.splitlines()[4].startswith("     p. 3: Conveyor trials A sealed conveyor")

    data = json.loads(run("search", "conveyor", "--json").stdout)
    assert (data["total"], data["hits"][0]["id"], data["hits"][0]["snippets"][0]["page"]) == (
        1, "506b5215c6d3", 3,
    )  # fmt: skip

    rows = list(csv.reader(io.StringIO(run("search", "--csv", "--sort", "oldest").stdout)))
    assert rows[0] == [
        "rank", "id", "date", "title", "agencies", "topics", "type", "score", "page", "snippet",
        "matched",
    ]  # fmt: skip
    assert [row[2] for row in rows[1:]] == [
        "2015-05-12",
        "2018-09",
        "2019-10",
        "2021-03-03",
        "2022-11-03",
    ]


def test_search_filters_and_errors(run, inbox: Path):
    run("ingest", str(inbox))
    data = json.loads(run("search", "--agency", "nasa", "--since", "2019", "--json").stdout)
    assert [hit["title"] for hit in data["hits"]] == ["CSA joins lunar rover team"]
    too_long = run("search", "x " * 10_001)
    assert too_long.exit_code == 2
    assert too_long.stderr == (
        "Error: the query is 20001 characters long; shorten it to at most 20,000 characters\n"
    )
    both = run("search", "x", "--json", "--csv")
    assert both.exit_code == 2 and json.loads(both.stdout) == {
        "error": "choose one of --json and --csv", "status": 2,
    }  # fmt: skip
    reversed_range = run("search", "--since", "2020", "--until", "2019")
    assert reversed_range.stderr == (
        "Error: the start date (since 2020) is after the end date (until 2019); swap them\n"
    )


def test_facets(run, inbox: Path):
    run("ingest", str(inbox))
    data = json.loads(run("facets", "--json").stdout)
    assert data["total"] == 5
    assert {v["value"]: v["count"] for v in data["facets"]["type"]} == {
        "report": 3, "news": 1, "presentation": 1,
    }  # fmt: skip
    rows = list(csv.reader(io.StringIO(run("facets", "rover", "--csv").stdout)))
    assert rows == [
        ["facet", "value", "label", "count"],
        ["agency", "CSA", "CSA", "1"],
        ["agency", "NASA", "NASA", "1"],
        ["topic", "lunar-surface", "Moon and lunar surface", "1"],
        ["topic", "robotic-missions", "Robotic missions", "1"],
        ["type", "news", "news", "1"],
        ["year", "2022", "2022", "1"],
    ]


def test_show_remove_reindex_check(run, inbox: Path, archive_dir: Path):
    run("ingest", str(inbox))
    shown = run("show", "506b5215")
    assert shown.exit_code == 0
    lines = shown.stdout.splitlines()
    assert lines[:2] == ["id:             506b5215c6d3", "title:          Regolith Handling Report"]
    assert "--- page 3 of 4 ---" in lines
    assert json.loads(run("show", "506b5215c6d3", "--json").stdout)["pages"][2]["page"] == 3
    beyond = run("cite", "506b5215", "--page", "9")
    assert beyond.exit_code == 2
    assert beyond.stderr == (
        "Error: Invalid value for --page: 506b5215c6d3 has 4 pages; give 1 to 4"
        " (see `cli cite -h`)\n"  # CliRunner names the program after the group
    )

    assert run("check").stdout == "OK: 5 documents, every original present and indexed\n"
    assert run("reindex").stdout.startswith(
        "Indexed 5 documents (10 pages; 0 parsed, 5 from the text cache) in "
    )

    removed = run("remove", "506b5215c6d3")
    assert (
        removed.stdout
        == "Removed 506b5215c6d3 inbox/regolith-report.pdf (Regolith Handling Report)\n"
    )
    trashed = run("show", "506b5215c6d3")
    assert trashed.exit_code == 1
    assert trashed.stderr == (
        "Error: the document 506b5215c6d3 is in the trash; bring it back with"
        " `isecg-archive restore 506b5215c6d3`\n"
    )
    assert run("remove", "506b5215").stderr == (
        "Error: the document 506b5215c6d3 is in the trash; bring it back with"
        " `isecg-archive restore 506b5215`\n"
    )
    missing = run("show", "ffffff")
    assert missing.exit_code == 1
    assert missing.stderr == (
        "Error: the id 'ffffff' is not in the archive; find ids with `isecg-archive search`\n"
    )
    short = run("show", "36")
    assert short.exit_code == 1
    assert short.stderr == (
        "Error: the id '36' is too short; give at least 6 of its characters"
        " (`isecg-archive search` lists ids)\n"
    )

    (archive_dir / "inbox" / "notes.txt").unlink()
    broken = run("check", "--json")
    assert broken.exit_code == 1
    assert json.loads(broken.stdout) == {
        "documents": 4,
        "problems": [
            {
                "subject": "inbox/notes.txt",
                "message": "the original is missing; restore it or `isecg-archive remove` it",
            }
        ],
        "attention": [],
    }


def test_commands_on_a_missing_archive_say_what_to_do(run, archive_dir: Path):
    result = run("search", "moon")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no archive at {archive_dir}; pass --archive DIR, set $ISECG_ARCHIVE, or ingest"
        " some files first\n"
    )


def test_an_empty_archive_answers_with_nothing_found(run, archive_dir: Path):
    archive_dir.mkdir()
    assert run("search", "moon").output == "0 documents match 'moon' (page 1 of 1)\n"
    result = run("search", "--since", "2010", "--agency", "NASA", "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)["total"] == 0
    assert run("facets").output.startswith("0 documents\n")


def test_every_command_has_help_with_an_example():
    from click.testing import CliRunner

    for name in cli.commands:
        result = CliRunner().invoke(cli, [name, "-h"])
        assert result.exit_code == 0, name
        assert "Example:" in result.stdout, name


def test_real_subprocess_on_a_temp_archive(tmp_path: Path, inbox: Path):
    env = {**os.environ, "ISECG_ARCHIVE": str(tmp_path / "library")}
    command = [sys.executable, "-m", "isecg_archive"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, *args], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path
        )

    ingested = run("ingest", str(inbox))
    assert ingested.returncode == 0, ingested.stderr
    assert ingested.stdout.startswith(f"{len(GOOD_FILES)} added, 0 updated")
    # The index is a link to its generation in force, swapped in one rename by a rebuild.
    assert (tmp_path / "library-index" / "whoosh").readlink() == Path("whoosh.1")
    assert (tmp_path / "library-index" / "whoosh" / "SCHEMA_VERSION").exists()
    found = json.loads(run("search", '"basaltic glass"', "--json").stdout)
    assert found["hits"][0]["snippets"][0]["page"] == 3
    assert run("check").returncode == 0
    # The index is disposable: delete it and search rebuilds it from the archive.
    shutil.rmtree(tmp_path / "library-index")
    assert json.loads(run("facets", "--json").stdout)["total"] == len(GOOD_FILES)
    assert run("reindex").stdout.startswith("Indexed 5 documents (10 pages; 0 parsed, 5 from")
    assert sorted(p.name for p in (tmp_path / "library-index").glob("whoosh*")) == [
        "whoosh",
        "whoosh.1",  # the generation the reindex replaced, for searches still reading it
        "whoosh.2",
    ]
    assert json.loads(run("show", "506b5215c6d3", "--json").stdout)["document"]["pages"] == 4
    assert run("remove", "506b5215c6d3").returncode == 0
    assert run("check").stdout == "OK: 4 documents, every original present and indexed\n"


def test_ingesting_the_archive_folder_itself_skips_its_records(run, inbox: Path, archive_dir):
    run("ingest", str(inbox))
    again = run("ingest", str(archive_dir))
    assert again.exit_code == 0
    assert again.stdout.startswith("0 added, 0 updated, 5 unchanged, 0 failed")


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"isecg-archive {name}" in readme, name


def test_serve_binds_to_this_machine_by_default(run, inbox: Path, monkeypatch):
    from isecg_archive.cli import serving

    run("ingest", str(inbox))
    served = {}

    def run_viewer(config, bind, workers, threads, ready, stopped):
        served.update(bind=bind, workers=workers, threads=threads, hosts=config["ALLOWED_HOSTS"])
        ready()
        stopped()

    monkeypatch.setattr(serving, "run_viewer", run_viewer)
    result = run("serve")
    assert result.exit_code == 0
    assert result.stdout.endswith("at http://127.0.0.1:8000/ (Ctrl-C to stop)\nStopped serving.\n")
    cores = os.cpu_count() or 1
    assert served == {"bind": "127.0.0.1:8000", "workers": cores, "threads": 8,
                      "hosts": ["127.0.0.1"]}  # fmt: skip


def test_serve_with_two_workers_answers_refuses_a_foreign_host_and_stops_cleanly(
    run, inbox: Path, archive_dir: Path
):
    import socket
    import urllib.error
    import urllib.request

    run("ingest", str(inbox))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "MAKELEVEL"}
    server = subprocess.Popen(
        [sys.executable, "-m", "isecg_archive", "--archive", str(archive_dir), "serve",
         "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert first == f"Serving {archive_dir} at http://127.0.0.1:{port}/ (Ctrl-C to stop)\n"
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
        workers = []
        for _ in range(100):  # the workers start after the line is written
            workers = children.read_text().split()
            if len(workers) == 2:
                break
            time.sleep(0.1)
        assert len(workers) == 2
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(base + "/?q=regolith", timeout=30) as page:
            assert page.status == 200
            assert b"Regolith Handling Report" in page.read()
        foreign = urllib.request.Request(base + "/", headers={"Host": "evil.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(foreign, timeout=30)
        assert refused.value.code == 400
        refused.value.close()
        server.terminate()  # SIGTERM, as systemd stops a service
        out, err = server.communicate(timeout=60)
        assert server.returncode == 0, err
        assert out == "Stopped serving.\n" and err == ""
        for pid in workers:
            assert not Path(f"/proc/{pid}").exists(), f"worker {pid} left running"
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()


def test_serve_refuses_bad_options_and_a_busy_port_in_one_line(run, inbox: Path, archive_dir):
    import socket

    run("ingest", str(inbox))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        expected = {
            ("--port", "-5"): (2, "Error: Invalid value for '--port': -5 is not in the range"
                               " 1<=x<=65535. (see `isecg-archive serve -h`)"),
            ("--port", "99999"): (2, "Error: Invalid value for '--port': 99999 is not in the"
                                  " range 1<=x<=65535. (see `isecg-archive serve -h`)"),
            ("--threads", "0"): (2, "Error: Invalid value for '--threads': 0 is not in the"
                                 " range x>=1. (see `isecg-archive serve -h`)"),
            ("--host", "999.1.1.1"): (2, "Error: Invalid value for --host: '999.1.1.1' is"
                                      " neither an address of this machine nor a name it can"
                                      " look up"),
            ("--port", str(busy)): (1, f"Error: port {busy} on 127.0.0.1 is in use by another"
                                    " program; choose another (--port 8080), or stop that"
                                    " program"),
            # Started by `make run`, whose variables choose the port.
            ("--port", str(busy), "MAKELEVEL"): (1, f"Error: port {busy} on 127.0.0.1 is in"
                                                 " use by another program; choose another"
                                                 " (make run PORT=8080), or stop that program"),
        }  # fmt: skip
        for options, (code, message) in expected.items():
            env = {k: v for k, v in os.environ.items() if k != "MAKELEVEL"}  # as under make
            if options[-1] == "MAKELEVEL":
                options, env = options[:-1], {**env, "MAKELEVEL": "1"}
            served = subprocess.run(
                [sys.executable, "-m", "isecg_archive", "--archive", str(archive_dir), "serve",
                 *options],
                capture_output=True, text=True, timeout=60, env=env,
            )  # fmt: skip
            assert served.returncode == code, (options, served.stderr)
            assert served.stderr.startswith(message), (options, served.stderr)
            assert served.stderr.count("\n") == 1, (options, served.stderr)
            assert served.stdout == "", options


def test_edit_where_matching_nothing_changes_nothing_and_says_so(run, inbox: Path, archive_dir):
    run("ingest", str(inbox))
    records = {p: p.read_bytes() for p in archive_dir.rglob("*.meta.json")}
    result = run("edit", "--where", "title:nothing-like-this", "--add-topic", "mars")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no document matches 'title:nothing-like-this'; nothing was changed\n"
    )
    assert {p: p.read_bytes() for p in archive_dir.rglob("*.meta.json")} == records


def test_unknown_event_author_and_body_filters_say_so(run, inbox: Path):
    run("ingest", str(inbox))
    for option, value, what, listed in (
        ("--event", "nosuch", "event", "`isecg-archive events` lists the events by their slugs"),
        ("--author", "Nobody Here", "author",
         "`isecg-archive facets` lists them, as the records write them"),
        ("--organisation", "XYZ", "related body", "`isecg-archive facets` lists them"),
    ):  # fmt: skip
        for command in ("search", "export"):
            result = run(command, option, value)
            assert result.exit_code == 2, (command, option)
            assert result.stderr == (
                f"Error: unknown {what} {value!r}: no document has it; {listed}\n"
            ), (command, option)
