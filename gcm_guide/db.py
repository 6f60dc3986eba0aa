"""Engines, transactions and schema migrations for SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session

from gcm_guide.errors import Unavailable

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Arbitrary constant key for the PostgreSQL advisory lock that serialises migrations across replicas.
_MIGRATION_LOCK_KEY = 727_001

T = TypeVar("T")


class DatabaseUnavailable(Exception):
    """The configured database cannot be opened or upgraded. The message is safe to show to users."""


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is reported, not raised again
        return "(unreadable database URL)"


# How long a save waits for another writer before it is refused with "try again" (the text stays on screen).
# Long writes are cut into short steps (gcm_guide.long_writes), so a save normally waits milliseconds.
WAIT_SECONDS = 10


def make_engine(url: str) -> Engine:
    """An engine for `url`; for SQLite, one that serialises writers without losing updates.

    A `timeout` in the URL's query (seconds, e.g. "?timeout=0.5") changes how long a write waits for
    another one before giving up."""
    parsed = make_url(url)
    timeout = parsed.query.get("timeout", str(WAIT_SECONDS))
    if not isinstance(timeout, str):  # the URL gives it more than once
        raise TypeError(f"timeout appears {len(timeout)} times in the database URL")
    wait = float(timeout)
    parsed = parsed.difference_update_query(["timeout"])
    if parsed.get_backend_name() != "sqlite":
        # A row lock held longer than that by another transaction ends the wait with an error, as on SQLite.
        return create_engine(
            parsed,
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=10,
            connect_args={"options": f"-c lock_timeout={int(wait * 1000)}"},
        )

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": wait})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from Python's sqlite3 module: with its default handling a
        # read-then-write transaction can silently lose an update to a concurrent writer.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(wait * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock when they start, so they queue on busy_timeout instead of
        # failing (or losing work) when they upgrade a read lock; readers stay concurrent under WAL.
        if connection.get_execution_options().get("gcm_write"):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading; objects stay usable after it closes."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose work commits together or not at all."""
    with Session(engine.execution_options(gcm_write=True), expire_on_commit=False) as session, session.begin():
        yield session


def _is_transient(exc: DBAPIError) -> bool:
    # PostgreSQL serialization failures and deadlocks, and a concurrent insert of the same unique key,
    # succeed when the transaction is simply run again.
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return isinstance(exc, IntegrityError) or code in {"40001", "40P01"}


# The database could not serve the request just now: busy beyond the wait (SQLite's "database is locked"),
# the server unreachable or the connection lost, no connection free in the pool.
_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)


def run_write(engine: Engine, work: Callable[..., T], /, *, attempts: int = 3, **kwargs: Any) -> T:
    """Run `work(session=..., **kwargs)` in one write transaction, retrying transient conflicts.

    Raises Unavailable (nothing written) when the database cannot take the write just now."""
    for attempt in range(1, attempts + 1):
        try:
            with write_session(engine) as session:
                return work(session=session, **kwargs)
        except (IntegrityError, OperationalError) as exc:
            if attempt < attempts and _is_transient(exc):
                time.sleep(0.05 * attempt)
                continue
            if isinstance(exc, IntegrityError):
                raise
            raise Unavailable(str(exc.orig if exc.orig is not None else exc)) from exc
        except (InterfaceError, PoolTimeout) as exc:
            raise Unavailable(str(exc)) from exc
    raise AssertionError("unreachable")


def run_read(engine: Engine, work: Callable[..., T], /, **kwargs: Any) -> T:
    """Run `work(session=..., **kwargs)` in a read session; Unavailable if the database cannot answer."""
    try:
        with read_session(engine) as session:
            return work(session=session, **kwargs)
    except _UNAVAILABLE as exc:
        raise Unavailable(str(getattr(exc, "orig", None) or exc)) from exc


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision`, keeping all data."""
    config = alembic_config()
    with engine.execution_options(gcm_write=True).begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several replicas may start together: one migrates, the others wait and find nothing to do.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def open_database(url: str) -> Engine:
    """Make the engine for `url` and bring its schema up to date; raise DatabaseUnavailable if that fails."""
    try:
        engine = make_engine(url)
        migrate(engine)
    except (OSError, SQLAlchemyError, ValueError) as exc:
        detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
        raise DatabaseUnavailable(f"Could not open the database at {safe_url(url)}: {detail}") from exc
    return engine
