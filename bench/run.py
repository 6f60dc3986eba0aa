"""Benchmark: page reruns, PDF, exports and imports, and the workshop's round trip, on SQLite and PostgreSQL,
for 100 / 1,000 / 5,000 stakeholders. Writes docs/benchmarks.md.

Usage: .venv/bin/python -m bench.run [--sizes 100,1000,5000] [--repeats 7] [--backends sqlite,postgresql]

Page reruns are measured server-side with Streamlit's AppTest (the same script run a browser triggers,
without the network), against a bare one-page Streamlit app measured the same way, so each page's cost
is also given as a ratio to the framework's own floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import streamlit
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest, app_test, local_script_runner

from gcm_guide import backup, db, exports, moderation, participants, report, restore, store, workshop
from gcm_guide.content import load_content
from gcm_guide.demo import add_demo_workspace
from gcm_guide.navigation import PAGES

ROOT = Path(__file__).resolve().parent.parent

# A running server compiles each script once and keeps its bytecode for every later run; AppTest compiles
# the scripts again on every run. One shared cache makes the measured run what a server does after a click.
_SCRIPT_CACHE = ScriptCache()
app_test.ScriptCache = local_script_runner.ScriptCache = lambda: _SCRIPT_CACHE  # type: ignore[misc]

APP = str(ROOT / "app.py")
BARE_APP = str(ROOT / "bench" / "bare_app.py")
RESULTS = ROOT / "docs" / "benchmarks.md"
NOTES_MARKER = "<!-- notes: written by hand, kept by bench/run.py -->"


def median_ms(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def page_rerun_ms(
    page_file: str | None, public_id: str | None, repeats: int, change: Callable[[], object] | None = None
) -> float:
    """Median time of a rerun of one page (after a first, warming run). With `change`, each timed rerun
    follows a change to the workspace (made outside the timing), so nothing cached can be reused."""
    at = AppTest.from_file(BARE_APP if page_file is None else APP, default_timeout=120)
    if public_id:
        at.query_params["ws"] = public_id
        at.session_state["_owner_grants"] = {public_id}
    at.run()
    if page_file is not None:
        at.switch_page(page_file).run()
    if at.exception:
        raise RuntimeError(f"{page_file}: {at.exception}")
    if change is None:
        return median_ms(at.run, repeats)
    times = []
    for _ in range(repeats):
        change()
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def postgres_url() -> tuple[str, Callable[[], None]]:
    from tests.conftest import free_port, new_postgres_database

    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        url, drop = new_postgres_database(configured)
        return url, drop
    folder = Path(tempfile.mkdtemp(prefix="gcm-bench-pg-"))
    folder.chmod(0o755)
    server = subprocess.run(
        [str(ROOT / "scripts" / "start-postgres.sh"), str(folder / "data"), str(free_port())],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    url, drop = new_postgres_database(server)

    def stop() -> None:
        drop()
        pg_ctl = next(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        runner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*runner, str(pg_ctl), "-D", str(folder / "data"), "-m", "immediate", "stop"], capture_output=True
        )

    return url, stop


def measure_backend(backend: str, sizes: list[int], repeats: int) -> dict[str, dict[int, float]]:
    results: dict[str, dict[int, float]] = {}
    if backend == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="gcm-bench-"))
        url, cleanup = f"sqlite:///{folder / 'bench.sqlite3'}", (lambda: None)
    else:
        url, cleanup = postgres_url()
    os.environ["DATABASE_URL"] = url
    engine = db.open_database(url)
    content = load_content()
    try:
        for size in sizes:
            print(f"[{backend}] building a workspace with {size} stakeholders…", flush=True)
            start = time.perf_counter()
            workspace = add_demo_workspace(engine, f"Bench {size}", size)
            results.setdefault("seed (s)", {})[size] = (time.perf_counter() - start) * 1000
            edits = iter(range(10_000))
            first = db.run_read(engine, store.load_workspace_data, workspace_id=workspace.id).stakeholders[0]

            def change(w: object = workspace, edits: object = edits, person_id: int = first.id) -> None:
                # An edit most pages show: one stakeholder's influence score (register, grid, quadrants,
                # suggested leads), so their charts and tables are drawn again, not taken from a cache.
                db.run_write(
                    engine,
                    store.update_stakeholder,
                    workspace_id=w.id,
                    stakeholder_id=person_id,
                    changes={"influence": next(edits) % 5 + 1},
                )

            for spec in PAGES:
                if not spec.needs_workspace:
                    continue
                ms = page_rerun_ms(spec.file, workspace.public_id, repeats)
                after = page_rerun_ms(spec.file, workspace.public_id, repeats, change=change)
                results.setdefault(f"page: {spec.id}", {})[size] = ms
                results.setdefault(f"page: {spec.id}, after an edit", {})[size] = after
                print(f"  {spec.id}: {ms:.0f} ms, after an edit {after:.0f} ms", flush=True)
            data = db.run_read(engine, store.load_workspace_data, workspace_id=workspace.id)
            results.setdefault("load workspace", {})[size] = median_ms(
                lambda w=workspace: db.run_read(engine, store.load_workspace_data, workspace_id=w.id), repeats
            )
            results.setdefault("PDF report", {})[size] = median_ms(lambda d=data: report.report_pdf(d, content), 3)
            results.setdefault("Excel workbook", {})[size] = median_ms(
                lambda d=data: exports.workbook_bytes(d, content), 3
            )
            raw = backup.backup_bytes(data)
            results.setdefault("backup export", {})[size] = median_ms(lambda d=data: backup.backup_bytes(d), 3)
            parsed = backup.read_backup(raw)
            names = iter([f"Restored {size} {n}" for n in range(10)])
            results.setdefault("backup import (restore)", {})[size] = median_ms(
                lambda p=parsed, n=names: db.run_write(engine, restore.restore_workspace, backup=p, name=next(n)), 3
            )
            results.setdefault("participant → presenter data", {})[size] = workshop_round_trip(engine, workspace)
            print(f"  PDF {results['PDF report'][size]:.0f} ms", flush=True)
    finally:
        engine.dispose()
        cleanup()
    return results


def workshop_round_trip(engine: object, workspace: object, repeats: int = 5) -> float:
    """A participant's proposal, accepted by the facilitator, until the presenter's next read shows it
    (the presenter view re-reads every 3 s, which bounds what a person sees; this is the work itself).
    Median of `repeats` proposals in one session."""
    live = db.run_write(engine, workshop.open_session, workspace_id=workspace.id)
    credential = db.run_write(engine, participants.join, code=live.code, data={"display_name": "Bench"})
    times = []
    for _ in range(repeats):
        name = f"Proposal {time.time_ns()}"
        start = time.perf_counter()
        proposal = db.run_write(
            engine, participants.propose_stakeholder, credential=credential, data={"name": name, "group_id": "media"}
        )
        db.run_write(engine, moderation.accept, workspace_id=workspace.id, contribution_id=proposal.id)
        data = db.run_read(engine, store.load_workspace_data, workspace_id=workspace.id)
        assert any(s.name == name for s in data.stakeholders)
        times.append((time.perf_counter() - start) * 1000)
    db.run_write(engine, workshop.close_session, workspace_id=workspace.id)
    return statistics.median(times)


def write_results(
    all_results: dict[str, dict[str, dict[int, float]]], bare_ms: float, sizes: list[int], repeats: int
) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Measured {dt.date.today().isoformat()} with `bench/run.py` on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, Streamlit {streamlit.__version__}, "
        f"{platform.platform()}. Medians of {repeats} runs (3 for the PDF, exports and imports).",
        "",
        "Page reruns are server-side script runs (Streamlit's AppTest), i.e. the time a page takes to run on "
        "the server after each click, before the browser draws it. `page: X` reruns a page whose workspace has "
        "not changed (the loaded workspace and the figures come from their caches); `after an edit` reruns it "
        "right after one stakeholder's influence score changed, so the workspace is loaded again and every "
        "table and chart showing that score is built again. A bare "
        f"one-page Streamlit app (title and one line of text) measured the same way takes **{bare_ms:.1f} ms**; "
        "`×bare` is each page's time divided by that floor.",
        "",
        "Targets: every page rerun under 150 ms median at 1,000 stakeholders and within 2× of the bare app at "
        "100 (see the notes below the tables); PDF under 2 s at 1,000 stakeholders; cost growing no worse than "
        "linearly.",
        "",
        "Like a running server, the runs share one cache of compiled scripts (AppTest alone would compile every "
        "script again on every run, which a server does not).",
        "",
    ]
    for backend, results in all_results.items():
        lines += [
            f"## {backend}",
            "",
            "| measure | " + " | ".join(f"{s:,} stakeholders" for s in sizes) + " |",
            "|---|" + "---|" * len(sizes),
        ]
        for name, by_size in results.items():
            cells = []
            for size in sizes:
                value = by_size.get(size)
                if value is None:
                    cells.append("–")
                elif name.startswith("page:"):
                    cells.append(f"{value:.0f} ms (×{value / bare_ms:.1f} bare)")
                elif name == "seed (s)":
                    cells.append(f"{value / 1000:.1f} s")
                else:
                    cells.append(f"{value:.0f} ms")
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines.append("")
    # The reading of the numbers below the marker is written by hand; a new run keeps it.
    notes = RESULTS.read_text(encoding="utf-8").partition(NOTES_MARKER)[2] if RESULTS.exists() else ""
    lines += [NOTES_MARKER + (notes or "\n")]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {RESULTS}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    bare_ms = page_rerun_ms(None, None, args.repeats * 3)
    print(f"bare app: {bare_ms:.1f} ms")
    all_results = {backend: measure_backend(backend, sizes, args.repeats) for backend in args.backends.split(",")}
    write_results(all_results, bare_ms, sizes, args.repeats)


if __name__ == "__main__":
    main()
