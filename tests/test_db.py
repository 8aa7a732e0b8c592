"""The source door: read-only sessions, a statement time limit, errors that name the source."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from data_access import db as dbmod
from data_access.db import (Database, QueryFailed, QueryTimedOut, SchemaMismatch, SourceMisconfigured,
                             SourceUnavailable)
from data_access.schema import units

LONG_QUERY = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000000) SELECT COUNT(*) FROM c",
    "postgresql": "SELECT COUNT(*) FROM generate_series(1, 100000) a, generate_series(1, 100000) b",
    # MariaDB caps recursive CTEs at 1,000 rounds: a cross join is the slow query there.
    "mysql": "SELECT COUNT(*) FROM information_schema.columns a, information_schema.columns b, information_schema.columns c",
}


def test_a_query_past_the_time_limit_is_stopped(rows, monkeypatch):
    monkeypatch.setenv("IOC_QUERY_TIMEOUT_SECONDS", "1")
    dbmod.dispose_all()
    source = Database("tasks", rows.url)
    started = time.monotonic()
    with pytest.raises(QueryTimedOut) as failure:
        source.execute(sa.text(LONG_QUERY[source.dialect]))
    assert time.monotonic() - started < 20
    assert (failure.value.source, failure.value.kind) == ("tasks", "timeout")
    assert failure.value.message == "a query took longer than 1 s"


@pytest.mark.parametrize("query, what", [
    ("SELECT COUNT(*) FROM no_such_table", ("table", "no_such_table")),
    ("SELECT no_such_column FROM units", ("column", "no_such_column")),
])
def test_a_missing_table_or_column_is_named(rows, query, what):
    rows.unit("A")
    with pytest.raises(SchemaMismatch) as failure:
        Database("procedures", rows.url).execute(sa.text(query))
    assert (failure.value.source, failure.value.kind) == ("procedures", "schema")
    assert failure.value.message == f"no {what[0]} {what[1]}" and failure.value.detail == what[1]


@pytest.mark.parametrize("url, message", [
    ("notaurl", "'notaurl' is not a database URL"),
    ("nosuchdriver://host/db", "Can't load plugin: sqlalchemy.dialects:nosuchdriver"),
])
def test_a_url_that_cannot_be_used_is_a_configuration_fault(url, message):
    with pytest.raises(SourceMisconfigured) as failure:
        Database("tasks", url).execute(sa.text("SELECT 1"))
    assert (failure.value.source, failure.value.kind, failure.value.message) == ("tasks", "config", message)
    assert isinstance(failure.value, SourceUnavailable)        # the command lines exit 3


def test_sources_are_read_only(rows):
    rows.unit("A")
    source = Database("procedures", rows.url)
    with pytest.raises(QueryFailed):
        source.execute(units.insert().values(code="B", name_vi="B"))
    assert source.scalar(sa.select(sa.func.count()).select_from(units)) == 1


def test_engines_are_created_lazily_and_once(rows):
    dbmod.dispose_all()
    source = Database("emulation", rows.url)
    assert source._engine is None                       # nothing opened by construction
    source.ping()
    assert Database("emulation", rows.url).engine is source.engine


def test_unit_codes_are_bound_not_spliced(rows, sources):
    rows.unit("A")
    evil = "x' OR '1'='1"
    stmt = sa.select(sa.func.count()).select_from(units).where(units.c.code == sa.literal(evil, sa.String))
    assert sources.procedures.scalar(stmt) == 0


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://postgres@127.0.0.1:1/test",
    "mysql+pymysql://root@127.0.0.1:1/test",
    "sqlite:////nonexistent/folder/none.sqlite",
])
def test_an_unreachable_source_is_named(url):
    with pytest.raises(SourceUnavailable) as failure:
        Database("emulation", url).ping()
    assert failure.value.source == "emulation"
    assert str(failure.value).startswith("emulation: ")


# --- one round trip per query -------------------------------------------------------

class _CountingProxy:
    """A TCP relay in front of a database server that counts round trips: a round trip
    begins each time the client speaks after the server has spoken (or first). It knows
    nothing of either protocol, so it counts what really crosses the wire. `cut()` drops
    every relayed connection, as a server restart does."""

    def __init__(self, host: str, port: int):
        import socket
        import threading

        self._target = (host, port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._last: dict[int, str] = {}
        self.round_trips = 0
        self.connections = 0
        self._sockets: list = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket
        import threading

        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._closed:
                client.close()
                return
            server = socket.create_connection(self._target)
            with self._lock:
                self.connections += 1
                conn_id = self.connections
                self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(conn_id, client, server, "c"), daemon=True).start()
            threading.Thread(target=self._pump, args=(conn_id, server, client, "s"), daemon=True).start()

    def _pump(self, conn_id: int, src, dst, side: str) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                with self._lock:  # counted before relaying: the reply cannot overtake it
                    if side == "c" and self._last.get(conn_id) != "c":
                        self.round_trips += 1
                    self._last[conn_id] = side
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.close()
                except OSError:
                    pass

    def cut(self) -> None:
        import socket

        with self._lock:
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self._sockets.clear()

    def close(self) -> None:
        import socket

        self._closed = True
        try:
            self._listener.shutdown(socket.SHUT_RDWR)   # wakes the blocked accept()
        except OSError:
            pass
        self._listener.close()
        self.cut()


def _server_only(rows) -> None:
    if sa.engine.make_url(rows.url).get_backend_name() == "sqlite":
        pytest.skip("SQLite runs in-process: no round trips")


@pytest.fixture
def proxied(rows):
    """(source through a counting proxy, the proxy) on PostgreSQL and MariaDB."""
    _server_only(rows)
    url = sa.engine.make_url(rows.url)
    default_port = 5432 if url.get_backend_name() == "postgresql" else 3306
    proxy = _CountingProxy(url.host or "127.0.0.1", url.port or default_port)
    relayed = url.set(host="127.0.0.1", port=proxy.port)
    source = Database("procedures", relayed.render_as_string(hide_password=False))
    yield source, proxy
    dbmod.dispose_all()
    proxy.close()


def _statements(engine: sa.Engine) -> list[str]:
    sent: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda _c, _cur, stmt, *_: sent.append(stmt))
    return sent


def test_a_query_is_one_round_trip(rows, proxied):
    rows.unit("A")
    source, proxy = proxied
    stmt = sa.select(sa.func.count()).select_from(units).where(units.c.code == sa.literal("A", sa.String))
    assert source.scalar(stmt) == 1                     # connects, warms the pool
    sent = _statements(source.engine)
    before = proxy.round_trips
    for _ in range(12):  # past psycopg's prepare threshold (5): no PREPARE round trip either
        assert source.scalar(stmt) == 1
    assert proxy.round_trips - before == 12
    assert len(sent) == 12
    assert not any(s.strip().upper().startswith(("BEGIN", "ROLLBACK", "SELECT 1")) for s in sent)
    assert proxy.connections == 1                       # no ping, no new connection


def test_the_session_is_autocommit_and_idle_after_a_query(rows):
    _server_only(rows)
    source = Database("procedures", rows.url)
    source.ping()
    with source.engine.connect() as conn:
        dbapi = conn.connection.dbapi_connection
        assert source.dialect in ("postgresql", "mysql")
        if source.dialect == "postgresql":
            import psycopg

            conn.exec_driver_sql("SELECT 1").all()
            assert dbapi.autocommit is True
            assert dbapi.info.transaction_status == psycopg.pq.TransactionStatus.IDLE   # no BEGIN sent
            assert conn.exec_driver_sql("SHOW default_transaction_read_only").scalar() == "on"
        else:
            assert dbapi.get_autocommit() is True
            assert conn.exec_driver_sql("SELECT @@in_transaction").scalar() == 0
            assert conn.exec_driver_sql("SELECT @@tx_read_only").scalar() == 1


def test_writes_are_refused_in_autocommit_too(rows):
    rows.unit("A")
    source = Database("procedures", rows.url)
    with pytest.raises(QueryFailed) as failure:
        source.execute(sa.text("UPDATE units SET name_vi = 'x'"))
    assert failure.value.source == "procedures"
    with pytest.raises(QueryFailed):
        source.execute(sa.text("DELETE FROM units"))
    assert source.scalar(sa.select(sa.func.count()).select_from(units).where(units.c.name_vi != "x")) == 1


def _backend_id(source: Database) -> int:
    query = "SELECT pg_backend_pid()" if source.dialect == "postgresql" else "SELECT CONNECTION_ID()"
    return source.scalar(sa.text(query))


def test_a_killed_connection_is_retried_once_on_a_fresh_one(rows):
    _server_only(rows)
    rows.unit("A")
    source = Database("tasks", rows.url)
    first = _backend_id(source)
    admin = sa.create_engine(rows.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if source.dialect == "postgresql":
            assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar()
        else:
            conn.exec_driver_sql(f"KILL CONNECTION {int(first)}")
    admin.dispose()
    time.sleep(0.2)
    assert source.scalar(sa.select(sa.func.count()).select_from(units)) == 1    # transparently
    assert _backend_id(source) != first


def test_a_restarted_server_that_stays_down_is_named(proxied):
    source, proxy = proxied
    source.ping()
    proxy.close()                                       # connections dropped, nothing listens
    with pytest.raises(SourceUnavailable) as failure:
        source.ping()
    assert failure.value.source == "procedures"
    assert proxy.connections == 1


def test_the_retry_happens_once(rows, monkeypatch):
    source = Database("emulation", rows.url)
    calls = []

    def dead(_statement, _limit):
        calls.append(1)
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"),
                                      connection_invalidated=True)

    monkeypatch.setattr(source, "_run", dead)
    with pytest.raises(SourceUnavailable) as failure:
        source.ping()
    assert len(calls) == 2
    assert str(failure.value).startswith("emulation: ")


def test_a_query_error_is_not_retried(rows, monkeypatch):
    source = Database("emulation", rows.url)
    calls = []
    real = source._run

    def counted(statement, limit):
        calls.append(1)
        return real(statement, limit)

    monkeypatch.setattr(source, "_run", counted)
    with pytest.raises(QueryFailed):
        source.execute(sa.text("SELECT no_such_column FROM units"))
    assert len(calls) == 1
