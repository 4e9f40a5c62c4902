"""Storage: SQLAlchemy models, the engine with SQLite pragmas, migrations, backups, the lock."""
