"""API clients: the machines (the Government operations centre, a locality's system)
that read the HTTP feed under `/api/v1/` (`api.routes`), each with a bearer token.

The token is printed once, when the client is added or rotated; the app's own database
(`auth.audit`) keeps only its SHA-256, so a copy of the database opens nothing. A client's
scope is `ministry` (every figure) or `unit:CODE` (that unit's figures, whatever it asks).
A client is refused once revoked, or after its expiry date (the last day it may call).
Time is passed in (`auth.clock()`, real even when the data's clock is frozen).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from .audit import AuditLog

TOKEN_PREFIX = "ioc_"
MINISTRY = "ministry"
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_UNIT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")

_METADATA = sa.MetaData()
CLIENTS = sa.Table(
    "api_clients", _METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("scope", sa.String(40), nullable=False),              # "ministry" or "unit:CODE"
    sa.Column("token_hash", sa.String(64), nullable=False),         # SHA-256 of the bearer token
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("rotated_at", sa.DateTime, nullable=True),
    sa.Column("expires_on", sa.Date, nullable=True),                # the last day the token is accepted
    sa.Column("revoked_at", sa.DateTime, nullable=True),
    sa.Index("ix_api_clients_token", "token_hash", unique=True),
)


class ClientError(ValueError):
    """A bad client name, scope or date, or a client that does not exist (one line)."""


@dataclass(frozen=True)
class Client:
    name: str
    scope: str
    created_at: dt.datetime
    rotated_at: dt.datetime | None
    expires_on: dt.date | None
    revoked_at: dt.datetime | None

    @property
    def unit(self) -> str | None:
        """The unit a unit-scoped client is limited to; None for the whole ministry."""
        return self.scope.split(":", 1)[1] if self.scope.startswith("unit:") else None

    def refusal(self, today: dt.date) -> str | None:
        """Why the token may not be used today, or None."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_on is not None and today > self.expires_on:
            return "expired"
        return None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def validate_name(name: str) -> str:
    value = (name or "").strip().lower()
    if not _NAME.fullmatch(value):
        raise ClientError(f"bad client name {name!r}: letters, digits, '.', '_' or '-', at most 64")
    return value


def validate_scope(scope: str) -> str:
    value = (scope or "").strip()
    if value == MINISTRY:
        return value
    if value.startswith("unit:") and _UNIT.fullmatch(value[5:]):
        return value
    raise ClientError(f"bad scope {scope!r}: 'ministry' or 'unit:CODE'")


def _client(row) -> Client:
    return Client(row.name, row.scope, row.created_at, row.rotated_at, row.expires_on, row.revoked_at)


class ClientStore:
    """The `api_clients` table of the app's database (created on first use)."""

    def __init__(self, log: AuditLog):
        self.log = log
        self._ready = False

    @property
    def engine(self) -> sa.Engine:
        engine = self.log.engine
        if not self._ready:
            _METADATA.create_all(engine, checkfirst=True)
            self._ready = True
        return engine

    def add(self, name: str, scope: str, expires_on: dt.date | None, at: dt.datetime) -> tuple[Client, str]:
        """A new client and its token (shown once: only its digest is kept)."""
        name, scope = validate_name(name), validate_scope(scope)
        token = new_token()
        with self.engine.begin() as conn:
            if conn.execute(sa.select(CLIENTS.c.id).where(CLIENTS.c.name == name)).first() is not None:
                raise ClientError(f"client already exists: {name}")
            conn.execute(CLIENTS.insert().values(name=name, scope=scope, token_hash=digest(token),
                                                 created_at=at, expires_on=expires_on))
        return self.get(name), token

    def get(self, name: str) -> Client | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(CLIENTS).where(CLIENTS.c.name == validate_name(name))).first()
        return _client(row) if row is not None else None

    def list(self) -> list[Client]:
        with self.engine.connect() as conn:
            return [_client(r) for r in conn.execute(sa.select(CLIENTS).order_by(CLIENTS.c.name))]

    def revoke(self, name: str, at: dt.datetime) -> Client:
        name = validate_name(name)
        with self.engine.begin() as conn:
            done = conn.execute(CLIENTS.update().where(CLIENTS.c.name == name, CLIENTS.c.revoked_at.is_(None))
                                .values(revoked_at=at))
        client = self.get(name)
        if client is None:
            raise ClientError(f"no such client: {name}")
        if not done.rowcount:
            raise ClientError(f"client already revoked: {name}")
        return client

    def rotate(self, name: str, at: dt.datetime) -> tuple[Client, str]:
        """A new token for the client; the old one stops working at once."""
        name = validate_name(name)
        client = self.get(name)
        if client is None:
            raise ClientError(f"no such client: {name}")
        if client.revoked_at is not None:
            raise ClientError(f"client is revoked: {name} (add a new one)")
        token = new_token()
        with self.engine.begin() as conn:
            conn.execute(CLIENTS.update().where(CLIENTS.c.name == name)
                         .values(token_hash=digest(token), rotated_at=at))
        return self.get(name), token

    def by_token(self, token: str) -> Client | None:
        """The client whose token this is (revoked or expired ones too: the caller says why)."""
        if not token or len(token) > 200:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(CLIENTS).where(CLIENTS.c.token_hash == digest(token))).first()
        return _client(row) if row is not None else None
