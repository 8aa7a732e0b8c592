"""Reachability, row counts and freshness of the three sources, for the Data status page.

Per source: a ping (is it reachable, how long it took), then for each table of
`schema.METADATA[source]` one `COUNT(*)` and the newest value of its freshness column(s)
(`FRESHNESS`): aggregate SQL only, every value bound, all through `Database.execute`.

A source that cannot be reached is reported (`reachable=False`, its error named), never
raised. A table or view that is missing or unreadable gives `rows=None`; a table whose
freshness column cannot be read keeps its count and gives `newest=None`.

On SQLite timestamps are text in whatever form the source system wrote them, so the
newest is read through `Sql.ts_text` (normalised, unparseable text ignored) and parsed.
To keep the timestamp indexes usable, the raw maximum of the values that start with a
digit is looked up first (an index lookup); only the rows on or after its day are then
normalised. Should that day not be a date, every row is normalised.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import sqlalchemy as sa

from . import schema
from .db import Database, SourceError, Sources, SourceUnavailable
from .sqlfn import Sql

# The columns that say how recent a table's data is; the later of them counts.
FRESHNESS: dict[str, tuple[str, ...]] = {
    "dossiers": ("received_at", "finished_at"),
    "tasks": ("updated_at",),
    "task_updates": ("reported_at",),
    "evaluations": ("evaluated_at",),
    "awards": ("decided_on",),
}


@dataclass(frozen=True)
class TableStatus:
    table: str
    rows: int | None                 # None: the table is missing or unreadable
    newest: dt.datetime | None       # newest value of the freshness column(s); None: none/empty
    newest_column: str | None        # the column `newest` came from (the first freshness column
                                     # when there is no value); None: the table has none


@dataclass(frozen=True)
class SourceStatus:
    source: str                      # "procedures" | "tasks" | "emulation"
    reachable: bool
    error: str | None                # why it is unreachable
    dialect: str | None              # "sqlite", "postgresql", "mysql" or "mariadb"
    checked_at: dt.datetime
    seconds: float                   # time the ping took
    tables: tuple[TableStatus, ...]  # empty when unreachable

    @property
    def newest(self) -> dt.datetime | None:
        """The newest record over all the source's tables."""
        values = [t.newest for t in self.tables if t.newest is not None]
        return max(values) if values else None


def _as_datetime(value) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    text = str(value).strip()
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _sqlite_newest(db: Database, table: sa.Table, column: sa.Column) -> dt.datetime | None:
    sql = Sql("sqlite")
    raw = sa.type_coerce(column, sa.String)
    # Index lookup: the largest raw value that starts with a digit (a year).
    top = db.scalar(sa.select(sa.func.max(raw)).select_from(table).where(raw < sa.literal(":", sa.String)))
    if top is None:
        return None
    newest_text = sa.func.max(sql.ts_text(column))
    try:
        day = dt.date.fromisoformat(str(top)[:10]).isoformat()
    except ValueError:
        day = None
    found = None
    if day is not None:
        found = db.scalar(sa.select(newest_text).select_from(table).where(raw >= sa.literal(day, sa.String)))
    if found is None:
        found = db.scalar(sa.select(newest_text).select_from(table))
    return _as_datetime(found)


def _newest(db: Database, table: sa.Table, columns: tuple[str, ...]) -> tuple[dt.datetime | None, str | None]:
    """The later of the columns' newest values, and which column gave it."""
    if db.dialect == "sqlite":
        values = [(_sqlite_newest(db, table, table.c[name]), name) for name in columns]
    else:
        row = db.execute(sa.select(*(sa.func.max(table.c[name]) for name in columns)).select_from(table), limit=1)
        values = [(_as_datetime(v), name) for v, name in zip(row[0], columns)] if row else []
    values = [(v, name) for v, name in values if v is not None]
    if not values:
        return None, columns[0]
    return max(values, key=lambda pair: pair[0])


def table_status(db: Database, table: sa.Table) -> TableStatus:
    """Row count and newest record of one table; `SourceUnavailable` propagates."""
    columns = FRESHNESS.get(table.name, ())
    try:
        rows = db.scalar(sa.select(sa.func.count()).select_from(table))
    except SourceUnavailable:
        raise
    except SourceError:
        return TableStatus(table.name, None, None, columns[0] if columns else None)
    if not columns:
        return TableStatus(table.name, int(rows or 0), None, None)
    try:
        newest, column = _newest(db, table, columns)
    except SourceUnavailable:
        raise
    except SourceError:
        newest, column = None, columns[0]
    return TableStatus(table.name, int(rows or 0), newest, column)


def _dialect(db: Database) -> str | None:
    try:
        name = db.dialect
    except Exception:  # an unparseable URL
        return None
    if name == "mysql":
        engine = db._engine
        if engine is not None and getattr(engine.dialect, "is_mariadb", False):
            return "mariadb"
    return name


def source_status(db: Database, now: dt.datetime) -> SourceStatus:
    """Reachability, ping time and every table's count and newest record of one source."""
    started = time.perf_counter()
    try:
        db.ping()
    except SourceError as exc:
        return SourceStatus(db.name, False, exc.message, _dialect(db), now, time.perf_counter() - started, ())
    seconds = time.perf_counter() - started
    tables = []
    try:
        for table in schema.METADATA[db.name].tables.values():
            found = table_status(db, table)
            if found.rows is None and schema.optional(table):
                continue                      # a source may leave it out: not a fault
            tables.append(found)
    except SourceUnavailable as exc:
        return SourceStatus(db.name, False, exc.message, _dialect(db), now, seconds, ())
    return SourceStatus(db.name, True, None, _dialect(db), now, seconds, tuple(tables))


def all_status(sources: Sources, now: dt.datetime) -> list[SourceStatus]:
    """`source_status` of the three sources, in the order procedures, tasks, emulation."""
    return [source_status(db, now) for db in sources]
