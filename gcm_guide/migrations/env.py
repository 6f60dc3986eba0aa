"""Alembic environment: migrations run on the connection the app hands over (gcm_guide.db.migrate),
or, from the command line, on the database configured by DATABASE_URL."""

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

from gcm_guide import models  # noqa: F401 - registers the tables on SQLModel.metadata
from gcm_guide.db import make_engine
from gcm_guide.settings import get_settings

target_metadata = SQLModel.metadata


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    engine = make_engine(get_settings().resolved_database_url)
    with engine.execution_options(gcm_write=True).begin() as new_connection:
        run_on(new_connection)
