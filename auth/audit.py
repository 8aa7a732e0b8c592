"""The app's own small database (never a source database): the audit log, and the
tables of sign-in it shares an engine with.

- `audit` (id, at, username, event, detail): append-only;
- `sessions`: the sign-in sessions (`auth.sessions`);
- `sign_in_failures`: one row per failed sign-in (username, address, time), the input
  of throttling and lockout (`auth.lockout`), kept for a day; the audit log records the
  first failure of a burst and each lock, so failures cannot grow it without bound.

Timestamps are the ministry's naive local time, real even when the data's clock is
frozen (`auth.clock()`).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

import auth
from data_access.db import create_engine

EVENTS = ("login_ok", "login_failed", "lockout", "logout", "export", "scope_ignored", "denied", "session_expired",
          "session_ended",
          # an alert e-mail sent, or refused for good (alerts/store.py)
          "alert_sent", "alert_failed")

_METADATA = sa.MetaData()
AUDIT = sa.Table(
    "audit", _METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("username", sa.String(64), nullable=True),
    sa.Column("event", sa.String(32), nullable=False),
    sa.Column("detail", sa.String(500), nullable=True),
    sa.Index("ix_audit_user_event_at", "username", "event", "at"),
    sa.Index("ix_audit_at", "at"),
)
SESSIONS = sa.Table(
    "sessions", _METADATA,
    sa.Column("id", sa.String(64), primary_key=True),          # SHA-256 of the cookie's token
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("last_seen_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False),
    sa.Column("ended_at", sa.DateTime, nullable=True),
    sa.Column("end_reason", sa.String(32), nullable=True),
    sa.Column("address", sa.String(64), nullable=True),
    sa.Column("agent", sa.String(200), nullable=True),
    sa.Column("credential", sa.String(16), nullable=True),     # the password's fingerprint at sign-in
    sa.Column("ticket", sa.String(64), nullable=True),         # SHA-256 of the one-time ticket
    sa.Column("ticket_until", sa.DateTime, nullable=True),
    sa.Index("ix_sessions_user_open", "username", "ended_at"),
    sa.Index("ix_sessions_ticket", "ticket"),
)
FAILURES = sa.Table(
    "sign_in_failures", _METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("address", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    # Set on the failure that locked: this address out of the account, or everyone.
    sa.Column("locked_until", sa.DateTime, nullable=True),
    sa.Column("everywhere", sa.Boolean, nullable=False, default=False),
    sa.Index("ix_failures_user_address_at", "username", "address", "at"),
    sa.Index("ix_failures_address_at", "address", "at"),
    sa.Index("ix_failures_at", "at"),
)


def _private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only (it holds who signed in when,
    and from where): SQLite would create it with the process's umask, usually 0644."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass
    for suffix in ("", "-journal", "-wal"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists() and candidate.stat().st_mode & 0o077:
            candidate.chmod(0o600)


def _clip(value: str | None, n: int) -> str | None:
    if value is None:
        return None
    value = str(value)
    return value if len(value) <= n else value[: n - 1] + "…"


class AuditLog:
    """Records sign-in and data events; the table is created on first use if missing."""

    def __init__(self, url: str):
        self.url = url
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                parsed = make_url(self.url)
                if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
                    _private_file(Path(parsed.database).expanduser().resolve())
                engine = create_engine(self.url, read_only=False)
                _METADATA.create_all(engine, checkfirst=True)
                self._engine = engine
            return self._engine

    def dispose(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    def record(self, event: str, username: str | None, detail: str | None = None,
               at: dt.datetime | None = None) -> None:
        if event not in EVENTS:
            raise ValueError(f"unknown audit event {event!r}: one of {', '.join(EVENTS)}")
        at = (at if at is not None else auth.clock()).replace(microsecond=0)
        with self.engine.begin() as conn:
            conn.execute(AUDIT.insert().values(
                at=at, username=_clip(username, 64), event=event, detail=_clip(detail, 500)))

    def recent(self, limit: int = 200) -> list[dict]:
        """The latest events, newest first: dicts with at, username, event, detail."""
        limit = max(0, min(int(limit), 10000))
        q = (sa.select(AUDIT.c.at, AUDIT.c.username, AUDIT.c.event, AUDIT.c.detail)
             .order_by(AUDIT.c.at.desc(), AUDIT.c.id.desc()).limit(limit))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def failures(self, username: str, since: dt.datetime) -> list[dt.datetime]:
        """Times of 'login_failed' events of `username` at or after `since`, oldest first."""
        q = (sa.select(AUDIT.c.at)
             .where(AUDIT.c.username == _clip(username, 64), AUDIT.c.event == "login_failed", AUDIT.c.at >= since)
             .order_by(AUDIT.c.at, AUDIT.c.id))
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(q)]

    def last_event(self, username: str | None, event: str) -> dt.datetime | None:
        """Time of the latest `event` of `username`, or None."""
        cond = AUDIT.c.username.is_(None) if username is None else AUDIT.c.username == _clip(username, 64)
        q = sa.select(sa.func.max(AUDIT.c.at)).where(cond, AUDIT.c.event == event)
        with self.engine.connect() as conn:
            return conn.execute(q).scalar()


_SHARED: dict[str, AuditLog] = {}
_SHARED_LOCK = threading.Lock()


def shared(url: str) -> AuditLog:
    """One AuditLog (one engine) per URL for the whole process: pages, HTTP routes and
    background work share it."""
    with _SHARED_LOCK:
        if url not in _SHARED:
            _SHARED[url] = AuditLog(url)
        return _SHARED[url]
