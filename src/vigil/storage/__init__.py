"""The system of record: one SQLAlchemy Core schema for SQLite and PostgreSQL."""
