"""Pure domain logic: standard library only — no Qt, no SQLAlchemy, no I/O."""
