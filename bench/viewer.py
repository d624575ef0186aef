"""Time to serve a search page with facets, over HTTP, on the demo collection.

    make bench      (or: python bench/viewer.py [--requests N])

Starts `isecg-archive serve` on a free loopback port against a temp copy of the index, sends a
fixed mix of searches one after another, and prints each page's median and maximum, then the
median, 95th percentile and maximum of all.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHS = [
    "/",
    "/?q=lunar",
    "/?q=%22polar+volatiles%22",
    "/?q=gateway+AND+logistics",
    "/?q=mars&agency=NASA",
    "/?q=volatil*&sort=newest",
    "/?q=lunar&agency=JAXA&topic=lunar-polar-volatiles&since=2016&until=2024",
    "/?q=gatway",  # a misspelling: the did-you-mean path
    "/?type=presentation&page=1",
    "/?q=crew+health",
    "/?q=what+do+the+agencies+plan+for+the+lunar+south+pole%3F",  # a question, typed as such
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as index:
        command = [
            sys.executable, "-m", "isecg_archive", "--archive", str(ROOT / "archive"),
            "--index", index, "serve", "--port", str(port),
        ]  # fmt: skip
        server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            started = time.monotonic()
            while True:
                try:
                    urllib.request.urlopen(base + "/", timeout=2).read()
                    break
                except OSError:
                    if time.monotonic() - started > 60:
                        raise SystemExit("the server did not start within 60 s") from None
                    time.sleep(0.1)
            startup = time.monotonic() - started
            for path in PATHS:  # warm up once
                urllib.request.urlopen(base + path, timeout=10).read()
            times = []
            by_path: dict[str, list[float]] = {path: [] for path in PATHS}
            for n in range(args.requests):
                path = PATHS[n % len(PATHS)]
                begin = time.perf_counter()
                with urllib.request.urlopen(base + path, timeout=10) as response:
                    response.read()
                times.append((time.perf_counter() - begin) * 1000)
                by_path[path].append(times[-1])
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"{'median ms':>9}  {'max ms':>7}  page")
    for path, spent in by_path.items():
        print(f"{statistics.median(spent):9.1f}  {max(spent):7.1f}  {path}")
    times.sort()
    figures = {
        "requests": len(times),
        "startup_to_first_page_s": round(startup, 2),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "max_ms": round(times[-1], 1),
    }
    for name, value in figures.items():
        print(f"{name:<24} {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
