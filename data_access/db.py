"""The one door to the source databases: lazily created engines, read-only sessions,
a statement time limit, bound parameters only, and errors that name the source."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from . import settings


class SourceError(Exception):
    """A source could not answer; `source` names it for the person reading the message.
    `kind` says what went wrong, for the words a page or a command line uses."""

    kind = "query"

    def __init__(self, source: str, message: str, detail: str | None = None):
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message
        self.detail = detail        # what a person can act on: the missing table, the limit


class SourceUnavailable(SourceError):
    """The database could not be reached (down, refused, bad credentials)."""

    kind = "unreachable"


class SourceMisconfigured(SourceUnavailable):
    """The source's URL cannot be read, or names a driver that is not installed."""

    kind = "config"


class QueryFailed(SourceError):
    """The database was reached but a query failed."""


class SchemaMismatch(QueryFailed):
    """The database was reached but lacks a table or a column of the reporting schema."""

    kind = "schema"


class QueryTimedOut(QueryFailed):
    """A query ran past the statement time limit (`query_timeout_seconds`)."""

    kind = "timeout"


_ENGINES: dict[tuple[str, bool], Engine] = {}
_ENGINES_LOCK = threading.Lock()


def _sqlite_deadline_guard(dbapi_conn, record_info: dict) -> None:
    # SQLite has no statement timeout; a progress handler that aborts past a deadline is
    # the documented way. The deadline is re-armed before each statement.
    state = {"deadline": float("inf")}

    def handler() -> int:
        return 1 if time.monotonic() > state["deadline"] else 0

    dbapi_conn.set_progress_handler(handler, 10000)
    record_info["ioc_deadline"] = state


def create_engine(url: str, *, read_only: bool = True, timeout_s: int | None = None) -> Engine:
    """A new engine for `url`; read-only sessions unless writing demo data.

    Read-only engines on PostgreSQL and MariaDB/MySQL run in autocommit: a query is one
    round trip, with no BEGIN before it, no ROLLBACK after it and no ping at checkout.
    Read-only stays enforced by the session (`default_transaction_read_only`,
    `SET SESSION TRANSACTION READ ONLY`), which covers autocommit statements too. A pooled
    connection found dead (server restarted) is replaced by `Database.execute`, which
    retries once. Writing engines (demo data, the audit log) keep transactions and the
    ping: their callers do not retry."""
    timeout_s = timeout_s if timeout_s is not None else settings.get("query_timeout_seconds")
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    driver = parsed.get_driver_name()
    kwargs: dict[str, Any] = {}
    connect_args: dict[str, Any] = {}
    if read_only and backend in ("postgresql", "mysql", "mariadb"):
        kwargs["isolation_level"] = "AUTOCOMMIT"
        # The DBAPI rollback at close / check-in would be a round trip on PyMySQL even in
        # autocommit; with nothing to roll back it is skipped.
        kwargs["skip_autocommit_rollback"] = True
    if not read_only:
        kwargs["pool_pre_ping"] = True
    if backend == "postgresql":
        options = [f"-c statement_timeout={int(timeout_s * 1000)}"]
        if read_only:
            options.append("-c default_transaction_read_only=on")
        connect_args["options"] = " ".join(options)
        connect_args["connect_timeout"] = 5
        if driver == "psycopg":
            # psycopg prepares a statement on its 5th run: one extra round trip, and
            # PostgreSQL may then switch to a generic plan, chosen without the period's
            # bounds. Every query stays one Parse/Bind/Execute/Sync exchange.
            connect_args["prepare_threshold"] = None
    elif backend in ("mysql", "mariadb"):
        connect_args["connect_timeout"] = 5
        if read_only and driver == "pymysql":
            connect_args["autocommit"] = True  # set in the handshake's own round trip
    elif backend == "sqlite":
        connect_args["timeout"] = 15
        if parsed.database and parsed.database != ":memory:":
            connect_args["check_same_thread"] = False
            if read_only:
                # mode=ro: a missing file is "unreachable", not a new empty database.
                path = Path(parsed.database).resolve()
                kwargs["creator"] = lambda: sqlite3.connect(
                    f"file:{path}?mode=ro", uri=True, timeout=15, check_same_thread=False
                )
    engine = sa.create_engine(parsed, connect_args=connect_args, **kwargs)

    if backend == "sqlite":
        @sa.event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, record):
            _sqlite_deadline_guard(dbapi_conn, record.info)
            if read_only:
                dbapi_conn.execute("PRAGMA query_only = ON")

        @sa.event.listens_for(engine, "before_cursor_execute")
        def _sqlite_arm(conn, _cursor, _stmt, _params, _context, _many):
            state = conn.connection.info.get("ioc_deadline")
            if state is not None:
                state["deadline"] = time.monotonic() + timeout_s

    elif backend in ("mysql", "mariadb"):
        @sa.event.listens_for(engine, "connect")
        def _mysql_connect(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            try:
                server = dbapi_conn.get_server_info() if hasattr(dbapi_conn, "get_server_info") else ""
                if "MariaDB" in str(server):
                    limit = f"max_statement_time = {float(timeout_s)}"
                else:
                    limit = f"max_execution_time = {int(timeout_s * 1000)}"
                # Timestamps are naive local time: keep the server from shifting them.
                cur.execute(f"SET SESSION {limit}, time_zone = '+00:00'")
                if read_only:
                    cur.execute("SET SESSION TRANSACTION READ ONLY")
            finally:
                cur.close()
    return engine


def engine_for(url: str, *, read_only: bool = True) -> Engine:
    """The shared engine for `url`, created on first use and kept for the process."""
    key = (url, read_only)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = create_engine(url, read_only=read_only)
            _ENGINES[key] = engine
        return engine


def dispose_all() -> None:
    """Forget every engine (tests repoint sources between cases)."""
    with _ENGINES_LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()


@dataclass
class Database:
    """One named source. `execute` is the only way queries reach it."""

    name: str
    url: str
    read_only: bool = True
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._parsed()
            try:
                self._engine = engine_for(self.url, read_only=self.read_only)
            except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
                raise SourceMisconfigured(self.name, _short(exc), _redacted(self.url)) from exc
        return self._engine

    def _parsed(self) -> sa.URL:
        try:
            return make_url(self.url)
        except sa.exc.ArgumentError as exc:
            raise SourceMisconfigured(self.name, f"{_redacted(self.url)!r} is not a database URL",
                                      _redacted(self.url)) from exc

    @property
    def dialect(self) -> str:
        """`sqlite`, `postgresql` or `mysql` (MariaDB included)."""
        name = self._parsed().get_backend_name()
        return "mysql" if name == "mariadb" else name

    def execute(self, statement: sa.Executable, limit: int | None = None) -> list[sa.Row]:
        """Run a Core statement (every value bound) and return at most `row_limit` rows.

        One round trip on PostgreSQL and MariaDB (autocommit, no ping). When the pooled
        connection turns out to be dead (server restarted, backend killed) the pool is
        invalidated and a read is run once more on a fresh connection; a second failure
        is `SourceUnavailable`."""
        cap = settings.get("row_limit")
        limit = cap if limit is None else min(limit, cap)
        attempts = 2 if self.read_only else 1
        for attempt in range(1, attempts + 1):
            try:
                return self._run(statement, limit)
            except sa.exc.DBAPIError as exc:
                if exc.connection_invalidated and attempt < attempts:
                    continue
                raise self._failure(exc) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _run(self, statement: sa.Executable, limit: int) -> list[sa.Row]:
        engine = self.engine                 # a URL that cannot be read says so, first
        try:
            conn = engine.connect()
        except sa.exc.DBAPIError as exc:
            raise SourceUnavailable(self.name, _short(exc)) from exc
        except Exception as exc:  # bad URL, missing driver, unreadable file
            raise SourceUnavailable(self.name, _short(exc)) from exc
        with conn:
            result = conn.execute(statement)
            if not result.returns_rows:
                return []
            return list(result.fetchmany(limit))

    def _failure(self, exc: sa.exc.DBAPIError) -> SourceError:
        text = str(getattr(exc, "orig", None) or exc)
        if _timed_out(exc, text):
            limit = settings.get("query_timeout_seconds")
            return QueryTimedOut(self.name, f"a query took longer than {limit} s", str(limit))
        missing = _missing_object(text)
        if missing is not None:
            return SchemaMismatch(self.name, f"no {missing[0]} {missing[1]}", missing[1])
        if isinstance(exc, sa.exc.OperationalError) and _is_connection_error(exc):
            return SourceUnavailable(self.name, _short(exc))
        if exc.connection_invalidated:
            return SourceUnavailable(self.name, _short(exc))
        return QueryFailed(self.name, _short(exc))

    def scalar(self, statement: sa.Executable) -> Any:
        rows = self.execute(statement, limit=1)
        return rows[0][0] if rows else None

    def ping(self) -> None:
        self.execute(sa.select(sa.literal(1)))


# How each engine says a statement hit its time limit: PostgreSQL's statement_timeout,
# MariaDB's max_statement_time, SQLite's progress handler (the door's own deadline).
_TIMEOUT_WORDS = ("canceling statement due to statement timeout", "max_statement_time exceeded",
                  "query execution was interrupted", "interrupted")
# How each engine names a missing table or column (PostgreSQL, MariaDB, SQLite).
_MISSING = (
    (re.compile(r'relation "([^"]+)" does not exist'), "table"),
    (re.compile(r'column "?([\w.]+)"? does not exist'), "column"),
    (re.compile(r"Table '(?:[^'.]+\.)?([^']+)' doesn't exist"), "table"),
    (re.compile(r"Unknown column '([^']+)'"), "column"),
    (re.compile(r"no such table: ([\w.]+)"), "table"),
    (re.compile(r"no such column: ([\w.]+)"), "column"),
)


def _timed_out(exc: sa.exc.DBAPIError, text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in _TIMEOUT_WORDS) and not _is_connection_error(exc)


def _missing_object(text: str) -> tuple[str, str] | None:
    """("table" or "column", its name) when the engine says one does not exist."""
    for pattern, what in _MISSING:
        found = pattern.search(text)
        if found:
            return what, found.group(1)
    return None


def _redacted(url: str) -> str:
    """A URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url.split("@")[-1] if "@" in url else url


def _is_connection_error(exc: sa.exc.DBAPIError) -> bool:
    return bool(exc.connection_invalidated) or "connect" in str(exc.orig).lower()


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


@dataclass
class Sources:
    """The three databases, found as the app and the command line find them."""

    procedures: Database
    tasks: Database
    emulation: Database

    @classmethod
    def from_settings(cls) -> "Sources":
        return cls(**{name: Database(name, settings.source_url(name)) for name in settings.SOURCE_NAMES})

    @classmethod
    def single(cls, url: str, read_only: bool = True) -> "Sources":
        """All three sources in one database (tests, small installations)."""
        return cls(**{name: Database(name, url, read_only) for name in settings.SOURCE_NAMES})

    def __iter__(self):
        return iter((self.procedures, self.tasks, self.emulation))
