"""Benchmark: taking a snapshot of a large workspace, comparing two, and what a snapshot stores, on SQLite and
PostgreSQL. Writes its own section of docs/benchmarks.md (between the snapshots markers).

Usage: .venv/bin/python -m bench.snapshots [--sizes 1000,5000] [--repeats 5] [--backends sqlite,postgresql]

Target (issue 12): taking a snapshot of a 1,000-stakeholder workspace and comparing two each under 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import tempfile
from pathlib import Path

from bench.run import RESULTS, median_ms, postgres_url
from gcm_guide import db, snapshots, store
from gcm_guide.content import load_content
from gcm_guide.demo import add_demo_workspace

ROOT = Path(__file__).resolve().parent.parent

START, END = "<!-- snapshots:start -->", "<!-- snapshots:end -->"


def measure_backend(backend: str, sizes: list[int], repeats: int) -> dict[str, dict[int, float]]:
    if backend == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="gcm-bench-"))
        url, cleanup = f"sqlite:///{folder / 'bench.sqlite3'}", (lambda: None)
    else:
        url, cleanup = postgres_url()
    engine = db.open_database(url)
    content = load_content()
    results: dict[str, dict[int, float]] = {}
    try:
        for size in sizes:
            print(f"[{backend}] a workspace with {size} stakeholders…", flush=True)
            workspace = add_demo_workspace(engine, f"Bench {size}", size)
            names = iter(range(1_000))
            results.setdefault("take a snapshot", {})[size] = median_ms(
                lambda w=workspace, n=names: db.run_write(
                    engine, snapshots.take, workspace_id=w.id, name=f"Bench {next(n)}", content=content
                ),
                repeats,
            )
            first, *_, last = db.run_read(engine, snapshots.list_snapshots, workspace_id=workspace.id)
            # A year's change between the two: every tenth stakeholder renamed and moved, a few removed.
            data = db.run_read(engine, store.load_workspace_data, workspace_id=workspace.id)
            for index, person in enumerate(data.stakeholders[::10]):
                db.run_write(
                    engine,
                    store.update_stakeholder,
                    workspace_id=workspace.id,
                    stakeholder_id=person.id,
                    changes={"name": f"{person.name} (renamed)", "influence": index % 5 + 1, "interest": 5},
                )
            for person in data.stakeholders[1::50]:
                db.run_write(engine, store.delete_stakeholder, workspace_id=workspace.id, stakeholder_id=person.id)
            later = db.run_write(engine, snapshots.take, workspace_id=workspace.id, name="Later", content=content)

            def compare_two(w=workspace, a=first.id, b=later.id) -> object:
                then = db.run_read(engine, snapshots.load_snapshot_data, workspace_id=w.id, snapshot_id=a)
                now = db.run_read(engine, snapshots.load_snapshot_data, workspace_id=w.id, snapshot_id=b)
                return snapshots.compare(then, now, content)

            results.setdefault("compare two snapshots (read both, parse, compare)", {})[size] = median_ms(
                compare_two, repeats
            )
            then = db.run_read(engine, snapshots.load_snapshot_data, workspace_id=workspace.id, snapshot_id=first.id)
            now = db.run_read(engine, store.load_workspace_data, workspace_id=workspace.id)
            results.setdefault("compare only (both already loaded)", {})[size] = median_ms(
                lambda t=then, n=now: snapshots.compare(t, n, content), repeats
            )
            results.setdefault("list snapshots (timeline)", {})[size] = median_ms(
                lambda w=workspace: db.run_read(engine, snapshots.list_snapshots, workspace_id=w.id), repeats
            )
            payload = db.run_read(
                engine, snapshots.get_snapshot, workspace_id=workspace.id, snapshot_id=last.id
            ).payload
            stored = len(payload.encode("utf-8"))
            results.setdefault("stored per snapshot (KB)", {})[size] = stored / 1024
            results.setdefault("stored per stakeholder (bytes)", {})[size] = stored / size
            print(
                f"  take {results['take a snapshot'][size]:.0f} ms, compare "
                f"{results['compare two snapshots (read both, parse, compare)'][size]:.0f} ms, "
                f"{stored / size:.0f} bytes per stakeholder",
                flush=True,
            )
    finally:
        engine.dispose()
        cleanup()
    return results


def write_results(all_results: dict[str, dict[str, dict[int, float]]], sizes: list[int], repeats: int) -> None:
    lines = [
        START,
        "",
        "## Snapshots",
        "",
        f"Measured {dt.date.today().isoformat()} with `bench/snapshots.py` on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}. Medians of {repeats} "
        "runs, on the demo workspace (`gcm_guide.demo`: every stakeholder with a plan and long answers).",
        "",
        "Target: taking a snapshot of a 1,000-stakeholder workspace and comparing two each under 1 s. Comparing "
        "reads both snapshots and parses them; between the two, every tenth stakeholder was renamed and moved "
        "and every fiftieth removed.",
        "",
    ]
    for backend, results in all_results.items():
        lines += [
            f"### {backend}",
            "",
            "| measure | " + " | ".join(f"{s:,} stakeholders" for s in sizes) + " |",
            "|---|" + "---|" * len(sizes),
        ]
        for name, by_size in results.items():
            unit = "" if "(" in name and name.endswith(")") and ("KB" in name or "bytes" in name) else " ms"
            lines.append(f"| {name} | " + " | ".join(f"{by_size[s]:,.0f}{unit}" for s in sizes) + " |")
        lines.append("")
    lines += [
        "A snapshot stores the workspace in the backup format as compact JSON: its size grows in proportion to "
        "the register (the bytes per stakeholder stay flat), most of it the stakeholders' long answers and plans. "
        "PostgreSQL compresses such text itself (TOAST), so it takes less room on disk there than the figure "
        "above; SQLite keeps it as it is. A backup file carries every snapshot (written with indentation, so "
        "larger again).",
        "",
        "Reproduce: `.venv/bin/python -m bench.snapshots --sizes 1000,5000`.",
        "",
        END,
    ]
    text = RESULTS.read_text(encoding="utf-8")
    block = "\n".join(lines)
    if START in text:
        head, _, rest = text.partition(START)
        text = head + block + rest.partition(END)[2]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(f"wrote {RESULTS}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    all_results = {backend: measure_backend(backend, sizes, args.repeats) for backend in args.backends.split(",")}
    write_results(all_results, sizes, args.repeats)


if __name__ == "__main__":
    main()
