"""Demo data: the embedded SQLite databases generated on first start, and `init_demo`
to fill any three databases (SQLite, PostgreSQL, MySQL/MariaDB) with the same data."""

from .generate import ensure_demo_data, init_demo

__all__ = ["ensure_demo_data", "init_demo"]
