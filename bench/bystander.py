"""Benchmark: how long another person's save waits while the largest allowed restore or import runs.

One thread restores a backup of MAX_STAKEHOLDERS stakeholders (as a new workspace, in short steps) or imports
MAX_STAKEHOLDERS spreadsheet rows into a workspace; meanwhile a bystander saves a guiding-question answer in
another workspace every 100 ms, as autosave does. Reported: the bystander's save time (median, p95, max) and
how long the long write took, on SQLite and PostgreSQL. Target: p95 at most 1 s.

Usage: .venv/bin/python -m bench.bystander [--backends sqlite,postgresql] [--postgres-url URL]
The PostgreSQL run needs a server (TEST_DATABASE_URL, or --postgres-url); the database is created and dropped.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text

from gcm_guide import access, backup, db, long_writes, spreadsheet, store
from gcm_guide.models import MAX_STAKEHOLDERS

ROOT = Path(__file__).resolve().parent.parent

PASSCODE = "bench passcode 2027"
GROUPS = ["academia", "trade_unions", "private_sector", "civil_society_organizations", "local_communities"]


def _largest_backup(engine) -> backup.Backup:
    """A backup of a workspace holding MAX_STAKEHOLDERS stakeholders."""
    workspace = db.run_write(engine, store.create_workspace, data={"name": "Source of the backup"})
    rows = [{"name": f"Stakeholder {n:05d}", "group_id": GROUPS[n % len(GROUPS)]} for n in range(MAX_STAKEHOLDERS)]
    db.run_write(engine, store.add_stakeholders, workspace_id=workspace.id, rows=rows)
    data = db.run_read(engine, store.load_workspace_data, workspace_id=workspace.id)
    return backup.read_backup(backup.backup_bytes(data))


def _import_rows() -> list[spreadsheet.ImportRow]:
    return [
        spreadsheet.ImportRow(n + 2, {"name": f"Imported {n:05d}", "group_id": GROUPS[n % len(GROUPS)]})
        for n in range(MAX_STAKEHOLDERS)
    ]


def _while(engine, long_write: Callable[[], object], bystander_workspace: int) -> tuple[list[float], float]:
    """Run `long_write` in a thread; save answers every 100 ms until it ends. Save times (s) and its duration."""
    done = threading.Event()
    took: list[float] = []

    def run() -> None:
        start = time.perf_counter()
        try:
            long_write()
        finally:
            took.append(time.perf_counter() - start)
            done.set()

    worker = threading.Thread(target=run)
    worker.start()
    saves: list[float] = []
    count = 0
    while not done.is_set():
        count += 1
        start = time.perf_counter()
        db.run_write(
            engine,
            store.save_answer,
            workspace_id=bystander_workspace,
            question_id="policy_sectors",
            changes={"text": f"Health, labour and education (edit {count})"},
        )
        saves.append(time.perf_counter() - start)
        time.sleep(0.1)
    worker.join()
    return saves, took[0]


def _summary(saves: list[float]) -> tuple[float, float, float]:
    ordered = sorted(saves)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000, ordered[-1] * 1000


def measure(url: str) -> list[tuple[str, int, tuple[float, float, float], float]]:
    engine = db.open_database(url)
    try:
        bystander = db.run_write(engine, store.create_workspace, data={"name": "The bystander's workspace"})
        target = db.run_write(engine, store.create_workspace, data={"name": "Import target"})
        parsed = _largest_backup(engine)
        results = []
        saves, took = _while(
            engine,
            lambda: long_writes.restore_backup(engine, parsed, name="Restored", passcode=PASSCODE),
            bystander.id,
        )
        results.append(("restore", len(saves), _summary(saves), took))
        rows = _import_rows()
        saves, took = _while(
            engine,
            lambda: db.run_write(engine, spreadsheet.import_rows, workspace_id=target.id, rows=rows),
            bystander.id,
        )
        results.append(("import", len(saves), _summary(saves), took))
        return results
    finally:
        engine.dispose()


def _postgres_database(server_url: str) -> tuple[str, Callable[[], None]]:
    name = f"gcm_bench_{os.getpid()}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server_url.rsplit("/", 1)[0] + f"/{name}"

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=os.environ.get("TEST_DATABASE_URL", ""))
    arguments = parser.parse_args()
    access.hash_passcode(PASSCODE)
    print(f"| database | long write ({MAX_STAKEHOLDERS:,} stakeholders) | it took | saves | median | p95 | max |")
    print("|---|---|---|---|---|---|---|")
    for backend in arguments.backends.split(","):
        if backend == "sqlite":
            folder = tempfile.mkdtemp(prefix="gcm-bystander-")
            url, drop = f"sqlite:///{folder}/bench.sqlite3", (lambda: None)
        elif arguments.postgres_url:
            url, drop = _postgres_database(arguments.postgres_url)
        else:
            print("| postgresql | skipped: no --postgres-url or TEST_DATABASE_URL | | | | | |")
            continue
        try:
            for what, count, (median, p95, worst), took in measure(url):
                print(
                    f"| {backend} | {what} | {took:.1f} s | {count} | {median:.0f} ms | {p95:.0f} ms | {worst:.0f} ms |"
                )
        finally:
            drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
