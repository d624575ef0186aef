"""Recordings (audio and video) archived like any original: duration and kind read by Debian's
ffprobe, found by their metadata, listed by `check` as needing a transcript, streamed with
range requests and played in the document page by the browser's own player; with captions
(WebVTT or SRT beside them), found by what is said, a hit leading to its second.

The recordings are made in the test by Debian's ffmpeg: a three-second WebM (VP9 picture, Opus
sound) and a two-second WAV tone.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from isecg_archive.extract import programs
from isecg_archive.web import create_app

from conftest import served

pytestmark = pytest.mark.skipif(
    not (shutil.which("ffmpeg") and programs.ffprobe()),
    reason="ffmpeg and ffprobe are not installed (Debian: ffmpeg)",
)


def record(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(exist_ok=True)
    video, sound = folder / "opening-talk.webm", folder / "closing-remarks.wav"
    ffmpeg = ["ffmpeg", "-v", "error", "-y"]
    subprocess.run(
        [*ffmpeg, "-f", "lavfi", "-i", "testsrc=duration=3:size=160x120:rate=10",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-shortest",
         "-metadata", "title=Opening of the ISECG Science Workshop", "-metadata",
         "artist=ISECG Secretariat", "-c:v", "libvpx-vp9", "-c:a", "libopus", str(video)],
        check=True, timeout=120,
    )  # fmt: skip
    subprocess.run(
        [*ffmpeg, "-f", "lavfi", "-i", "sine=frequency=220:duration=2", str(sound)],
        check=True, timeout=60,
    )  # fmt: skip
    return video, sound


@pytest.fixture
def recorded(run, tmp_path: Path) -> dict[str, dict]:
    video, sound = record(tmp_path / "recordings")
    added = run("ingest", str(video), str(sound))
    assert added.exit_code == 0, added.output
    hits = json.loads(run("search", "--json").stdout)["hits"]
    return {hit["file"]: json.loads(run("show", hit["id"], "--json").stdout)["document"]
            for hit in hits}  # fmt: skip


def test_a_recording_is_archived_with_its_duration_kind_and_embedded_metadata(recorded):
    video, sound = recorded["opening-talk.webm"], recorded["closing-remarks.wav"]
    assert (video["format"], video["media"], round(video["duration"], 1)) == ("webm", "video", 3.0)
    assert (sound["format"], sound["media"], round(sound["duration"], 1)) == ("wav", "audio", 2.0)
    assert video["title"] == "Opening of the ISECG Science Workshop"
    assert video["authors"] == ["ISECG Secretariat"]
    assert sound["title"] == "closing-remarks"  # a WAV without tags: its file name
    assert video["type"] == sound["type"] == "presentation"
    assert video["needs"] == sound["needs"] == ["transcript"]
    assert video["pages"] == 0


def test_a_recording_without_captions_is_found_by_its_metadata_and_listed_by_check(recorded, run):
    found = json.loads(run("search", "opening science workshop", "--json").stdout)["hits"]
    assert [hit["file"] for hit in found] == ["opening-talk.webm"]
    checked = run("check")
    assert checked.exit_code == 0
    advice = (
        "a recording with no captions, found by its metadata alone: it needs a transcript"
        " (captions) to be searched by what is said"
    )
    assert [line for line in checked.output.splitlines() if line.startswith("to do:")] == [
        f"to do: closing-remarks.wav: {advice}",
        f"to do: opening-talk.webm: {advice}",
    ]


def test_the_file_streams_with_range_requests_and_the_page_plays_it(recorded, archive_dir):
    video = recorded["opening-talk.webm"]
    size = (archive_dir / "opening-talk.webm").stat().st_size
    client = create_app({"ARCHIVE_DIR": archive_dir, "TESTING": True}).test_client()
    part = client.get(f"/documents/{video['id']}/file", headers={"Range": "bytes=100-299"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 100-299/{size}"
    assert part.headers["Content-Type"] == "video/webm"
    assert part.data == (archive_dir / "opening-talk.webm").read_bytes()[100:300]
    part.close()
    response = client.get(f"/documents/{video['id']}")
    assert "media-src 'self'" in response.headers["Content-Security-Policy"]
    page = BeautifulSoup(response.data, "html.parser")
    player = page.select_one(".player video")
    assert player["src"] == f"/documents/{video['id']}/file"
    assert "webm · video, 0:03 ·" in page.get_text(" ", strip=True).lower()
    sound = BeautifulSoup(
        client.get(f"/documents/{recorded['closing-remarks.wav']['id']}").data, "html.parser"
    )
    assert sound.select_one(".player audio") is not None


@pytest.mark.skipif(programs.chromium() is None, reason="Chromium is not installed (Debian)")
def test_chromium_plays_the_recording_from_the_page(recorded, archive_dir):
    sync_api = pytest.importorskip("playwright.sync_api")
    with served(create_app({"ARCHIVE_DIR": archive_dir})) as base:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=programs.chromium(), args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                page = browser.new_page()
                video = recorded["opening-talk.webm"]["id"]
                page.goto(f"{base}/documents/{video}")
                duration = page.eval_on_selector(
                    ".player video",
                    """video => new Promise((done, failed) => {
                        if (video.readyState >= 1) return done(video.duration);
                        video.onloadedmetadata = () => done(video.duration);
                        video.onerror = () => failed(String(video.error && video.error.code));
                    })""",
                )
                assert round(duration, 1) == 3.0
            finally:
                browser.close()


def test_without_ffprobe_a_recording_is_archived_with_a_warning(tmp_path, monkeypatch):
    from isecg_archive.extract import extract, recording

    _, sound = record(tmp_path / "recordings")
    monkeypatch.setattr(recording, "ffprobe", lambda: None)
    found = extract(sound)
    assert (found.format, found.duration, found.media, found.pages) == ("wav", None, None, ())
    assert found.warnings == (
        "ffprobe is not installed, so the recording's duration is unknown: install Debian's"
        " ffmpeg package and run `isecg-archive redetect`",
    )
    assert found.needs == ("transcript",)


VTT = """WEBVTT

NOTE written by hand for the test

1
00:00:01.000 --> 00:00:04.000 align:start
<v Jane Doe>Welcome to the <i>ISECG</i> science workshop.

2
00:01:05.500 --> 00:01:09.000
We turn to permanently shadowed craters &amp; their ice.

00:12:34.000 --> 00:12:40.000
The regolith sampling plan closes the session.
"""
SRT = """1
00:00:00,500 --> 00:00:02,000
Closing remarks on the
lunar gateway.

2
00:02:10,250 --> 00:02:12,000
Thank you all.
"""


def test_captions_are_the_recording_s_text_a_page_a_minute_each_hit_at_its_second(
    run, tmp_path, archive_dir
):
    video, sound = record(tmp_path / "inbox")
    video.with_suffix(".vtt").write_text(VTT, encoding="utf-8")
    sound.with_suffix(".srt").write_text(SRT, encoding="utf-8")
    added = run("ingest", str(tmp_path / "inbox"))
    assert added.output.startswith("2 added, 0 updated, 0 unchanged, 0 failed"), added.output
    kept = sorted(
        p.relative_to(archive_dir).as_posix()
        for p in archive_dir.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )
    assert kept == [
        "inbox/closing-remarks.wav",
        "inbox/closing-remarks.wav.captions.srt",
        "inbox/closing-remarks.wav.meta.json",
        "inbox/opening-talk.webm",
        "inbox/opening-talk.webm.captions.vtt",
        "inbox/opening-talk.webm.meta.json",
    ]
    hits = json.loads(run("search", "shadowed craters", "--json").stdout)["hits"]
    assert [hit["file"] for hit in hits] == ["inbox/opening-talk.webm"]
    (snippet,) = hits[0]["snippets"]
    assert (snippet["page"], snippet["seconds"]) == (2, 65)
    talk = json.loads(run("show", hits[0]["id"], "--json").stdout)
    assert talk["document"]["timings"] == [1, 65, 754]
    assert talk["document"]["needs"] == []
    assert [page["text"] for page in talk["pages"]] == [
        "Jane Doe: Welcome to the ISECG science workshop.",
        "We turn to permanently shadowed craters & their ice.",
        "The regolith sampling plan closes the session.",
    ]
    closing = json.loads(run("search", "gateway", "--json").stdout)["hits"]
    assert [(h["file"], h["snippets"][0]["seconds"]) for h in closing] == [
        ("inbox/closing-remarks.wav", 0)
    ]
    assert "to do:" not in run("check").output

    client = create_app({"ARCHIVE_DIR": archive_dir, "TESTING": True}).test_client()
    results = BeautifulSoup(client.get("/?q=regolith+sampling").data, "html.parser")
    link = results.select_one(".snippet a.page")
    assert (link["href"], link.get_text()) == (f"/documents/{hits[0]['id']}/file#t=754", "12:34")
    page = BeautifulSoup(client.get(f"/documents/{hits[0]['id']}?t=754").data, "html.parser")
    assert page.select_one("#player video")["src"] == f"/documents/{hits[0]['id']}/file#t=754"
    headings = [h2.get_text(" ", strip=True) for h2 in page.select("section.page h2")]
    assert headings == [
        "From 0:01 play from here",
        "From 1:05 play from here",
        "From 12:34 play from here",
    ]

    # The captions stay with the recording: a reindex reads them again from the archive, a
    # removal takes them to the trash and a restore brings them back.
    assert run("reindex", "--no-cache").exit_code == 0
    again = json.loads(run("search", "shadowed craters", "--json").stdout)["hits"]
    assert again[0]["snippets"][0]["seconds"] == 65
    assert run("remove", hits[0]["id"]).exit_code == 0
    assert not (archive_dir / "inbox" / "opening-talk.webm.captions.vtt").exists()
    assert run("restore", hits[0]["id"]).exit_code == 0
    assert (archive_dir / "inbox" / "opening-talk.webm.captions.vtt").read_text("utf-8") == VTT
    assert (
        json.loads(run("search", "regolith", "--json").stdout)["hits"][0]["snippets"][0]["seconds"]
        == 754
    )


def test_captions_given_with_the_recording_and_what_is_refused(run, tmp_path, archive_dir):
    video, sound = record(tmp_path / "inbox")
    given = tmp_path / "transcript.srt"
    given.write_text(SRT, encoding="utf-8")
    notes = tmp_path / "notes.txt"
    notes.write_text("Notes\n\nNot captions.\n", encoding="utf-8")
    refused = {
        "text": run("ingest", str(video), "--captions", str(notes)),
        "two files": run("ingest", str(video), str(sound), "--captions", str(given)),
        "not a recording": run("ingest", str(notes), "--captions", str(given)),
    }
    # (click's own errors end with where to read the options: " (see `isecg-archive ingest -h`)")
    said = {
        name: (r.exit_code, r.stderr.split(" (see `")[0].strip()) for name, r in refused.items()
    }
    assert said == {
        "text": (
            2,
            "Error: Invalid value for --captions: give WebVTT (.vtt) or SRT (.srt) captions",
        ),
        "two files": (
            2,
            "Error: --captions is for a single file, and 2 files were given; ingest that file"
            " by itself",
        ),
        "not a recording": (
            2,
            "Error: Invalid value for --captions: captions are for a recording (.mp4, .m4a,"
            " .webm, .mp3, .ogg, .oga, .ogv, .opus, .wav), and notes.txt is not one",
        ),
    }
    assert not archive_dir.exists() or not any(archive_dir.glob("*.webm"))
    added = run("ingest", str(video), "--captions", str(given))
    assert added.exit_code == 0, added.output
    assert (archive_dir / "opening-talk.webm.captions.srt").read_text("utf-8") == SRT
    (hit,) = json.loads(run("search", "gateway", "--json").stdout)["hits"]
    assert (hit["file"], hit["snippets"][0]["seconds"]) == ("opening-talk.webm", 0)
