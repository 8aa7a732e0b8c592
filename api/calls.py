"""The audit of the API: one row per call (client, path, parameters, status, bytes) in
the app's own database, table `api_calls`.

Rows are written by one background thread, in batches: fifty clients polling at once
would otherwise queue on SQLite's single writer for every answer. A call is in the table
within a moment of its answer (`flush()` waits for it: tests, shutdown).
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading

import sqlalchemy as sa

import auth
from auth.audit import AuditLog

_LOG = logging.getLogger(__name__)
_METADATA = sa.MetaData()
CALLS = sa.Table(
    "api_calls", _METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("client", sa.String(64), nullable=True),         # None: no or an unknown token
    sa.Column("method", sa.String(8), nullable=False),
    sa.Column("path", sa.String(100), nullable=False),
    sa.Column("params", sa.String(500), nullable=True),
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("bytes", sa.Integer, nullable=False),
    sa.Column("ms", sa.Integer, nullable=False),
    sa.Index("ix_api_calls_client_at", "client", "at"),
    sa.Index("ix_api_calls_at", "at"),
)


def _clip(value: str | None, n: int) -> str | None:
    if value is None:
        return None
    return value if len(value) <= n else value[: n - 1] + "…"


def ensure(log: AuditLog) -> sa.Engine:
    engine = log.engine
    _METADATA.create_all(engine, checkfirst=True)
    return engine


class Recorder:
    """Queues call rows and writes them in batches from one thread."""

    def __init__(self, log: AuditLog):
        self.log = log
        self.queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def record(self, client: str | None, method: str, path: str, params: str, status: int, size: int,
               ms: int) -> None:
        self.queue.put({"at": auth.clock(), "client": _clip(client, 64), "method": method[:8],
                        "path": _clip(path, 100), "params": _clip(params, 500) or None, "status": status,
                        "bytes": size, "ms": ms})
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="ioc-api-audit", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        engine = ensure(self.log)
        while True:
            item = self.queue.get()
            batch, done = [], []
            while True:
                if isinstance(item, threading.Event):
                    done.append(item)
                else:
                    batch.append(item)
                try:
                    item = self.queue.get_nowait()
                except queue.Empty:
                    break
            if batch:
                try:
                    with engine.begin() as conn:
                        conn.execute(CALLS.insert(), batch)
                except Exception:                     # the app's database down: the calls are still answered
                    _LOG.exception("could not record %d API call(s)", len(batch))
            for event in done:
                event.set()

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until every call queued so far is written."""
        with self._lock:
            running = self._thread is not None and self._thread.is_alive()
        if not running:
            return
        event = threading.Event()
        self.queue.put(event)
        event.wait(timeout)


def recent(log: AuditLog, limit: int = 200) -> list[dict]:
    """The latest calls, newest first."""
    engine = ensure(log)
    q = sa.select(CALLS).order_by(CALLS.c.id.desc()).limit(max(0, min(int(limit), 10000)))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def last_calls(log: AuditLog) -> dict[str, dt.datetime]:
    """Each client's latest call."""
    engine = ensure(log)
    q = sa.select(CALLS.c.client, sa.func.max(CALLS.c.at)).where(CALLS.c.client.is_not(None)).group_by(CALLS.c.client)
    with engine.connect() as conn:
        return {r[0]: r[1] for r in conn.execute(q)}
