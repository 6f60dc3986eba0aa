"""Benchmark: the workshop console with a flooded queue (10,000 contributions waiting).

Measured on SQLite and PostgreSQL, medians of 7: the queue's count, one page of it (oldest first, newest
first, stakeholders only), accepting one proposal from the middle of the queue, accepting a page at once
("Accept all" on a page of 20), and the console page's whole script run (Streamlit's AppTest, as a click
triggers it). Target: Accept in under 1 s.

Usage: .venv/bin/python -m bench.console [--items 10000] [--backends sqlite,postgresql] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from gcm_guide import access, db, moderation, workshop
from gcm_guide.models import Contribution, Participant, utcnow

ROOT = Path(__file__).resolve().parent.parent

PASSCODE = "bench passcode 2027"
PARTICIPANTS = 100
GROUPS = ["academia", "trade_unions", "private_sector", "civil_society_organizations", "local_communities"]


def _flooded(engine: Any, items: int) -> tuple[int, str]:
    """A workspace with an open session whose queue holds `items` contributions from 100 participants:
    three proposals for every answer. Returns the workspace's id and public id."""
    workspace = db.run_write(
        engine, access.create_protected_workspace, data={"name": "Flooded console"}, passcode=PASSCODE
    )
    live = db.run_write(engine, workshop.open_session, workspace_id=workspace.id)

    def fill(*, session: Any) -> None:
        now = utcnow()
        session.execute(
            insert(Participant),
            [
                {
                    "session_id": live.id,
                    "display_name": f"Participant {n}",
                    "token_hash": f"{n:064d}",
                    "client": "",
                    "joined_at": now,
                }
                for n in range(PARTICIPANTS)
            ],
        )
        ids = [p.id for p in session.exec(select(Participant).where(Participant.session_id == live.id)).all()]
        rows = []
        for n in range(items):
            if n % 4 == 3:
                rows.append({"kind": "answer", "question_id": "policy_sectors", "payload": {"text": f"Answer {n}"}})
            else:
                rows.append(
                    {"kind": "stakeholder", "payload": {"name": f"Proposal {n:05d}", "group_id": GROUPS[n % 5]}}
                )
            rows[-1] |= {
                "session_id": live.id,
                "participant_id": ids[n % len(ids)],
                "status": "pending",
                "created_at": now,
            }
        session.execute(insert(Contribution), rows)

    db.run_write(engine, fill)
    return workspace.id, workspace.public_id


def _median_ms(run: Callable[[], object], repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(url: str, items: int) -> list[tuple[str, float]]:
    os.environ["DATABASE_URL"] = url
    engine = db.open_database(url)
    try:
        workspace_id, public_id = _flooded(engine, items)
        results = [
            (
                "count the queue",
                _median_ms(lambda: db.run_read(engine, moderation.queue_size, workspace_id=workspace_id)),
            ),
            (
                "a page of 20, oldest first",
                _median_ms(lambda: db.run_read(engine, moderation.queue, workspace_id=workspace_id, limit=20)),
            ),
            (
                "a page of 20, newest first",
                _median_ms(
                    lambda: db.run_read(
                        engine, moderation.queue, workspace_id=workspace_id, newest_first=True, limit=20
                    )
                ),
            ),
            (
                "a page of 20 stakeholders, the 250th page",
                _median_ms(
                    lambda: db.run_read(
                        engine, moderation.queue, workspace_id=workspace_id, kind="stakeholder", limit=20, offset=5000
                    )
                ),
            ),
        ]
        middle = db.run_read(engine, moderation.queue, workspace_id=workspace_id, kind="stakeholder", offset=items // 2)
        proposals = iter(middle)
        results.append(
            (
                "accept one proposal",
                _median_ms(
                    lambda: db.run_write(
                        engine,
                        moderation.accept,
                        workspace_id=workspace_id,
                        contribution_id=next(proposals).contribution.id,
                    )
                ),
            )
        )
        pages = iter(range(7))

        def accept_page() -> None:
            next(pages)
            page = db.run_read(engine, moderation.queue, workspace_id=workspace_id, limit=moderation.PAGE)
            db.run_write(
                engine,
                moderation.accept_many,
                workspace_id=workspace_id,
                contribution_ids=[item.contribution.id for item in page],
            )

        results.append(("accept a page of 20 at once", _median_ms(accept_page)))

        def console() -> None:
            app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            app.query_params["ws"] = public_id
            app.session_state["_owner_grants"] = {public_id}
            app.run()
            app.switch_page("pages/workshop.py").run()
            assert not app.exception, app.exception

        results.append(("the console page's script run (AppTest)", _median_ms(console, repeats=5)))
        return results
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=os.environ.get("TEST_DATABASE_URL", ""))
    arguments = parser.parse_args()
    rows: dict[str, dict[str, float]] = {}
    for backend in arguments.backends.split(","):
        if backend == "sqlite":
            url, drop = f"sqlite:///{tempfile.mkdtemp(prefix='gcm-console-')}/bench.sqlite3", (lambda: None)
        elif arguments.postgres_url:
            name = f"gcm_console_{os.getpid()}"
            admin = create_engine(arguments.postgres_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            url = arguments.postgres_url.rsplit("/", 1)[0] + f"/{name}"

            def drop(admin: Any = admin, name: str = name) -> None:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
        else:
            continue
        try:
            for label, ms in measure(url, arguments.items):
                rows.setdefault(label, {})[backend] = ms
        finally:
            drop()
    backends = [b for b in arguments.backends.split(",") if any(b in r for r in rows.values())]
    print(f"| {arguments.items:,} contributions waiting | " + " | ".join(backends) + " |")
    print("|---|" + "---|" * len(backends))
    for label, by_backend in rows.items():
        print(f"| {label} | " + " | ".join(f"{by_backend[b]:.0f} ms" for b in backends) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
