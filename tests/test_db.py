"""Engines, migrations and concurrent writers on real SQLite and PostgreSQL."""

import threading

import pytest
from sqlalchemy import inspect, text

from gcm_guide import db, store
from gcm_guide.settings import Settings

from .conftest import load, make_workspace

TABLES = {
    "workspace",
    "guiding_answer",
    "stakeholder",
    "engagement_plan",
    "setup_answer",
    "setup_decision",
    "awareness_activity",
    "checklist_entry",
}


def test_a_new_database_is_created_at_the_latest_schema(database_url):
    engine = db.open_database(database_url)
    assert db.current_revision(engine) == db.head_revision()
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()


def test_opening_again_keeps_the_data(database_url):
    engine = db.open_database(database_url)
    workspace = make_workspace(engine)
    engine.dispose()
    engine = db.open_database(database_url)
    assert db.current_revision(engine) == db.head_revision()
    assert load(engine, workspace.id).workspace.name == "Kick-off 2027"
    engine.dispose()


def test_default_sqlite_file_is_created_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("GCM_DATA_DIR", str(tmp_path / "nested" / "folder"))
    url = Settings().resolved_database_url
    assert url == f"sqlite:///{tmp_path / 'nested' / 'folder' / 'gcm-guide.sqlite3'}"
    engine = db.open_database(url)
    assert (tmp_path / "nested" / "folder" / "gcm-guide.sqlite3").is_file()
    engine.dispose()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@host:5432/gcm", "postgresql+psycopg://u:p@host:5432/gcm"),
        ("postgresql://u:p@host/gcm", "postgresql+psycopg://u:p@host/gcm"),
        ("postgresql+psycopg://u@host/gcm", "postgresql+psycopg://u@host/gcm"),
        ("sqlite:////var/lib/gcm.sqlite3", "sqlite:////var/lib/gcm.sqlite3"),
    ],
)
def test_database_url_is_normalised(monkeypatch, given, expected):
    monkeypatch.setenv("DATABASE_URL", given)
    assert Settings().resolved_database_url == expected


def test_a_database_that_cannot_be_opened_gets_a_clear_message(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(db.DatabaseUnavailable, match="Could not open the database at sqlite:///"):
        db.open_database(f"sqlite:///{blocker / 'gcm.sqlite3'}")


def test_a_file_that_is_not_a_database_is_reported_and_left_alone(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"These are somebody's notes, not a database." * 100)
    with pytest.raises(db.DatabaseUnavailable, match="not a database"):
        db.open_database(f"sqlite:///{path}")
    assert path.read_bytes().startswith(b"These are somebody's notes")


def test_an_unreachable_server_is_reported_without_its_password():
    with pytest.raises(db.DatabaseUnavailable) as error:
        db.open_database("postgresql+psycopg://gcm:s3cret-pass@127.0.0.1:1/gcm")
    assert "127.0.0.1:1" in str(error.value)
    assert "s3cret-pass" not in str(error.value)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_engine):
    with sqlite_engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_concurrent_read_then_write_transactions_lose_nothing(engine):
    """8 threads each append 60 voices to one workspace's list: a read-then-write of the same row.

    With Python's sqlite3 default transaction handling this silently lost most updates (measured: 8 × 150
    increments ended at 154); write transactions that begin with BEGIN IMMEDIATE (and row locks on
    PostgreSQL) must keep all of them, with no "database is locked" error.
    """
    workspace = make_workspace(engine)
    threads, per_thread, errors = 8, 60, []

    def worker(number: int) -> None:
        try:
            for i in range(per_thread):
                db.run_write(engine, store.add_custom_voice, workspace_id=workspace.id, label=f"voice {number}-{i}")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []
    voices = load(engine, workspace.id).workspace.custom_voices
    assert len(voices) == threads * per_thread
    assert len(set(voices)) == threads * per_thread


def test_a_failed_write_leaves_nothing_behind(engine):
    workspace = make_workspace(engine)

    def half_then_fail(*, session):
        store.add_stakeholder(session=session, workspace_id=workspace.id, data={"name": "A", "group_id": "media"})
        store.add_stakeholder(session=session, workspace_id=workspace.id, data={"name": "", "group_id": "media"})

    with pytest.raises(Exception, match="empty"):
        db.run_write(engine, half_then_fail)
    assert load(engine, workspace.id).stakeholders == []


def test_the_migrations_build_exactly_the_schema_the_models_describe(engine):
    """A model changed without a migration (or a migration that differs from its model) shows up here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from gcm_guide import models  # noqa: F401 - the tables register themselves on SQLModel.metadata

    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []
