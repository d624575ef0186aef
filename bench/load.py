"""The viewer under hostile requests and under 32 clients at once, over loopback.

    python bench/load.py [--documents 10000] [--workdir DIR] [--clients 32] [--requests 640]
                         [--only hostile|load] [--workers N]

Builds (once, cached in bench/.cache/) an archive of N short text documents whose words are
many and mostly distinct (a common vocabulary, and twenty words of its own in each document,
the lexicon wildcards and "did you mean" must walk), starts `isecg-archive serve` on a free
loopback port, and prints:
- the hostile mix: `*`, `?*`, `*a*`, a 100 KB query, 20,000 parameters, `page=10**9`,
  misspellings, queries of 4 and 20 leading-wildcard patterns, and eight costly requests at
  once (20,000 parameters; 20 patterns; the costliest 4 patterns the budget allows) while a
  plain search is sent beside them: each request's status and seconds (a request not answered
  in --timeout seconds is "timeout");
- 32 clients (threads), each sending the viewer's usual searches one after another until
  --requests have been answered: requests per second, p50 / p95 / max;
- the server's peak resident memory (VmHWM, of all its processes) after each part.

`--workers N` and `--threads N` are given to `serve`; without them, `serve`'s defaults.

The server is whatever `python -m isecg_archive` imports: run the bench with another
PYTHONPATH to measure another version on the same archive (give each its own --index-name).
"""

from __future__ import annotations

import argparse
import random
import shutil
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
USUAL = [
    "/?q=lunar",
    "/?q=%22water+ice%22",
    "/?q=gateway+logistics",
    "/?q=mars&agency=NASA",
    "/?q=volatil*&sort=newest",
    "/?q=lunar&since=2016&until=2024",
    "/?q=what+do+the+agencies+plan+for+the+lunar+south+pole%3F",
    "/",
]
MISSPELLINGS = ["gatway", "lunnar", "volatils", "explortion", "regolth"]
# Leading-wildcard patterns, each a walk through every word of the archive.
FOUR_PATTERNS = urllib.parse.quote("*qua* *zel* *mor* *tin*")
TWENTY_PATTERNS = urllib.parse.quote(" ".join(f"*{a}{b}" for a in "aeiou" for b in "lnrs"))


def collection(count: int) -> Path:
    """N text files, cached: a shared vocabulary and 20 distinct random words in each."""
    folder = CACHE / f"load-sources-{count}"
    if (folder / ".done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(count)
    common = "lunar gateway logistics mars water ice volatiles exploration regolith south pole"
    shared = common.split() + [
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 8))) for _ in range(5000)
    ]
    agencies = ["NASA", "ESA", "JAXA", "CSA", "DLR", "CNES", "ISRO", "ASI", "KARI", "UKSA"]
    for n in range(count):
        own = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(6, 10))) for _ in "x" * 20]
        words = rng.choices(shared, k=180) + own
        rng.shuffle(words)
        year = rng.randint(2010, 2026)
        title = f"Study {n} of {' '.join(rng.sample(common.split(), k=2))}"
        text = f"{title}\n\n{year}. Prepared by {rng.choice(agencies)}.\n\n{' '.join(words)}\n"
        (folder / f"doc-{n:05d}.txt").write_text(text, encoding="utf-8")
    (folder / ".done").write_text("")
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str, timeout: float) -> tuple[str, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = str(response.status)
    except urllib.error.HTTPError as error:
        error.read()
        status = str(error.code)
    except (TimeoutError, urllib.error.URLError, ConnectionError):
        status = "timeout"
    return status, time.perf_counter() - started


def peak_mib(pid: int) -> float:
    """The peak resident memory of a process and of its children (a server's workers)."""
    total = 0.0
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for child in children.read_text().split() if children.exists() else []:
        total += peak_mib(int(child))
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return total + int(line.split()[1]) / 1024
    return float("nan")


def hostile(base: str, timeout: float) -> list[tuple[str, str, float]]:
    many = "&".join(f"p{n}=x" for n in range(20_000))
    long_query = urllib.parse.quote("lunar " * 17_000)  # 100 KB
    mix = [
        ("q=*", "/?q=*"),
        ("q=?*", "/?q=%3F*"),
        ("q=*a*", "/?q=*a*"),
        ("api q=*a*", "/api/search?q=*a*"),
        ("100 KB query", f"/?q={long_query}"),
        ("20,000 parameters", f"/?q=lunar&{many}"),
        ("page=10**9", "/?q=lunar&page=1000000000"),
        *((f"misspelt {word}", f"/?q={word}") for word in MISSPELLINGS),
        ("4 leading-wildcard patterns", f"/?q={FOUR_PATTERNS}"),
        ("20 leading-wildcard patterns", f"/?q={TWENTY_PATTERNS}"),
    ]
    rows = []
    for name, path in mix:
        status, seconds = fetch(base + path, timeout)
        rows.append((name, status, seconds))
    # Eight costly requests at once, and a plain search sent while they run.
    for name, path in (
        ("20,000 parameters", f"/?q=lunar&{many}"),
        ("20 patterns", f"/api/search?q={TWENTY_PATTERNS}"),
        ("4 patterns", f"/api/search?q={FOUR_PATTERNS}"),
    ):
        with ThreadPoolExecutor(9) as pool:
            heavy = [pool.submit(fetch, base + path, timeout) for _ in range(8)]
            time.sleep(0.2)
            plain = pool.submit(fetch, f"{base}/api/search?q=gateway", timeout)
            answers = [future.result() for future in heavy]
            rows.append((f"plain search beside 8 x {name}", *plain.result()))
        slowest = max(answers, key=lambda answer: answer[1])
        statuses = "/".join(sorted({status for status, _ in answers}))
        rows.append((f"slowest of the 8 x {name} ({statuses})", *slowest))
    return rows


def load(base: str, clients: int, requests: int, timeout: float) -> dict[str, float]:
    paths = [base + USUAL[n % len(USUAL)] for n in range(requests)]
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        answers = list(pool.map(lambda url: fetch(url, timeout), paths))
    elapsed = time.perf_counter() - started
    times = sorted(seconds * 1000 for _, seconds in answers)
    failed = sum(status != "200" for status, _ in answers)
    return {
        "requests/s": requests / elapsed,
        "p50 ms": statistics.median(times),
        "p95 ms": times[int(len(times) * 0.95) - 1],
        "max ms": times[-1],
        "not 200": failed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, help="keep the archive here between runs")
    parser.add_argument("--index-name", default="index", help="the index folder in the workdir")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=640)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument(
        "--only",
        choices=["hostile", "load"],
        help="run one part (a slow hostile mix can"
        " leave the server busy for the load that follows it)",
    )
    parser.add_argument("--workers", type=int, help="serve with this many processes")
    parser.add_argument("--threads", type=int, help="serve with this many threads a process")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="isecg-load-"))
    archive, index = workdir / "archive", workdir / args.index_name
    command = [sys.executable, "-m", "isecg_archive", "--archive", str(archive)]
    command += ["--index", str(index)]
    try:
        ensure_archive(command, archive, args.documents)
        options = ["--workers", str(args.workers)] if args.workers else []
        options += ["--threads", str(args.threads)] if args.threads else []
        with serving(command, "/?q=lunar", args.timeout, options) as (base, server):  # warm
            print(f"server up, peak memory so far {peak_mib(server.pid):.0f} MiB\n")
            if args.only != "load":
                print("| hostile request | status | seconds |\n| --- | --- | ---: |")
                for name, status, seconds in hostile(base, args.timeout):
                    print(f"| {name} | {status} | {seconds:.2f} |", flush=True)
                print(
                    f"\nserver peak memory after the hostile mix: {peak_mib(server.pid):.0f} MiB\n"
                )
            if args.only == "hostile":
                return
            figures = load(base, args.clients, args.requests, args.timeout)
            print(f"{args.clients} clients, {args.requests} requests of the usual searches:")
            print(" · ".join(f"{key} {value:.1f}" for key, value in figures.items()))
            print(f"server peak memory after the load: {peak_mib(server.pid):.0f} MiB")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def ensure_archive(command: list[str], archive: Path, documents: int) -> None:
    """The archive of `documents` generated texts, ingested by `command` unless it is there."""
    if not archive.exists():
        sources = collection(documents)
        print(f"ingesting {documents:,} documents into {archive}...", flush=True)
        subprocess.run([*command, "ingest", str(sources)], check=True, stdout=subprocess.DEVNULL)


@contextmanager
def serving(
    command: list[str], probe: str, timeout: float, options: list[str]
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`serve` on a free loopback port, once `probe` answers 200; stopped after the block."""
    port = free_port()
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while fetch(base + probe, timeout)[0] != "200":
            if server.poll() is not None:
                sys.exit("the server stopped")
            time.sleep(0.5)
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
