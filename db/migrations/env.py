"""Alembic environment. The app and `manage.py init` hand in a live connection;
`alembic` on the command line (for autogenerate) builds one from DATABASE_URL."""

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables on SQLModel.metadata)

target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from config import get_settings
    from db.engine import make_engine

    with make_engine(get_settings().sqlalchemy_url).connect() as conn:
        _run(conn)
