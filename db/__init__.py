"""Storage: engine, SQLModel tables and Alembic migrations."""
