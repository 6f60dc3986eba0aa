"""Benchmark: a newcomer's first `make run`, from a fresh clone with empty package caches to the first page
usable in Chromium (the home page's form to create a workspace on screen), and a second `make run` in the
same clone (packages installed, caches warm).

Usage: .venv/bin/python -m bench.first_run [--repeats 3] [--commit HEAD]

Each run clones the committed tree (`git clone` of this checkout at `--commit`) into a temporary folder,
points pip's and uv's caches at empty folders, starts `make run PORT=<free port>` with the system's
`python3`, and polls the server; once it answers, Chromium opens the page and waits for the form. It prints
the times, and the size of what was installed (`.venv/`), as a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, free_port

ROOT = Path(__file__).resolve().parent.parent


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def make_run_until_usable(clone: Path, environment: dict[str, str], log: Path) -> float:
    """Seconds from `make run` to the home page's create form on screen."""
    port = free_port()
    start = time.monotonic()
    with log.open("ab") as out:
        process = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=clone,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # make, pip and the server stop together
        )
    try:
        url = f"http://localhost:{port}"
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"make run stopped:\n{log.read_text(errors='replace')[-3000:]}")
            if time.monotonic() - start > 900:
                raise RuntimeError("make run did not serve a page within 15 minutes")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(url)
            page.get_by_test_id("stForm").first.wait_for(state="visible", timeout=120_000)
            elapsed = time.monotonic() - start
            browser.close()
        return elapsed
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--commit", default="HEAD")
    arguments = parser.parse_args()
    first, second, sizes = [], [], []
    for _ in range(arguments.repeats):
        work = Path(tempfile.mkdtemp(prefix="gcm-first-run-"))
        try:
            clone = work / "clone"
            subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
            subprocess.run(["git", "checkout", "--quiet", arguments.commit], cwd=clone, check=True)
            caches = {"PIP_CACHE_DIR": work / "pip-cache", "UV_CACHE_DIR": work / "uv-cache"}
            environment = {**os.environ, **{name: str(path) for name, path in caches.items()}}
            environment.pop("VIRTUAL_ENV", None)
            environment["GCM_DATA_DIR"] = str(work / "data")
            first.append(make_run_until_usable(clone, environment, work / "first.log"))
            sizes.append(folder_mb(clone / ".venv"))
            second.append(make_run_until_usable(clone, environment, work / "second.log"))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print("| run | median | runs |\n|---|---|---|")
    print(
        f"| first `make run`, empty caches | {statistics.median(first):.0f} s | "
        f"{', '.join(f'{t:.0f}' for t in first)} s |"
    )
    print(f"| second `make run` | {statistics.median(second):.1f} s | {', '.join(f'{t:.1f}' for t in second)} s |")
    print(f"\nInstalled (`.venv/`): {statistics.median(sizes):.0f} MB")


if __name__ == "__main__":
    main()
