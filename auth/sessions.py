"""Sign-in sessions kept on the server, in the app's own database.

The browser's cookie holds a random token and its HMAC under the cookie key; the
table keeps only the token's SHA-256 (`id`), so a copy of the database opens nothing.
A session is valid while it is not ended, not past `expires_at` and used within the idle
limit; sign-out, an administrator, and a change to the account (disabled, removed,
password reset) end it at once: every page run checks the row.

The cookie itself is set by the server (`auth.cookie_route`), HttpOnly, in exchange
for a one-time ticket the signed-in page loads: page scripts never see the token. The
token is derived from the ticket under the cookie key, so neither is stored.
Time is passed in (`auth.clock()`, real even when the data's clock is frozen), so tests
inject it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from .audit import SESSIONS, AuditLog

TICKET_SECONDS = 60
# The row's last use is written at most this often: a page run that only reads costs
# no write, and idleness is measured to the minute.
TOUCH_SECONDS = 60
END_REASONS = ("logout", "expired", "idle", "ended_by_admin", "account_disabled", "account_removed",
               "password_reset")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _signature(token: str, key: str) -> str:
    return hmac.new(key.encode("utf-8"), token.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def session_id(token: str) -> str:
    """The id a session is kept under: the digest of its cookie's token."""
    return _digest(token)


def _token_of_ticket(ticket: str, key: str) -> str:
    return hmac.new(key.encode("utf-8"), b"session:" + ticket.encode("utf-8"), hashlib.sha256).hexdigest()


def cookie_value(token: str, key: str) -> str:
    return f"{token}.{_signature(token, key)}"


def token_of(value: str | None, key: str) -> str | None:
    """The session token a cookie value carries when this instance signed it, else None."""
    if not value or len(value) > 200 or value.count(".") != 1:
        return None
    token, signature = value.split(".")
    return token if token and hmac.compare_digest(signature, _signature(token, key)) else None


@dataclass(frozen=True)
class Session:
    id: str
    username: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime
    address: str | None
    agent: str | None
    credential: str | None = None


class Refused(Exception):
    """The session may not be used: `reason` is one of 'unknown', 'ended', 'expired', 'idle'."""

    def __init__(self, reason: str, username: str | None = None):
        super().__init__(reason)
        self.reason, self.username = reason, username


def _clip(value: str | None, n: int) -> str | None:
    return None if value is None else str(value)[:n]


class SessionStore:
    def __init__(self, log: AuditLog):
        self.log = log

    @property
    def engine(self):
        return self.log.engine

    def open(self, username: str, now: dt.datetime, lifetime: dt.timedelta, key: str, *,
             address: str | None = None, agent: str | None = None, credential: str | None = None
             ) -> tuple[str, str]:
        """A new session of `username`: (its id, a one-time ticket the browser exchanges
        for the session's cookie within TICKET_SECONDS)."""
        ticket = secrets.token_urlsafe(32)
        sid = _digest(_token_of_ticket(ticket, key))
        with self.engine.begin() as conn:
            conn.execute(SESSIONS.insert().values(
                id=sid, username=_clip(username, 64), created_at=now, last_seen_at=now, expires_at=now + lifetime,
                address=_clip(address, 64), agent=_clip(agent, 200), credential=credential, ticket=_digest(ticket),
                ticket_until=now + dt.timedelta(seconds=TICKET_SECONDS)))
        return sid, ticket

    def redeem(self, ticket: str, now: dt.datetime, key: str) -> tuple[str, dt.datetime] | None:
        """(token, expiry) of the live session `ticket` was issued for, once; else None."""
        if not ticket or len(ticket) > 100:
            return None
        token = _token_of_ticket(ticket, key)
        with self.engine.begin() as conn:
            # Conditional on the ticket still being there: two redemptions cannot both win.
            used = conn.execute(SESSIONS.update().where(
                SESSIONS.c.id == _digest(token), SESSIONS.c.ticket == _digest(ticket),
                SESSIONS.c.ticket_until >= now, SESSIONS.c.ended_at.is_(None)).values(ticket=None, ticket_until=None))
            if used.rowcount != 1:
                return None
            expires = conn.execute(sa.select(SESSIONS.c.expires_at).where(SESSIONS.c.id == _digest(token))).scalar()
        return token, expires

    def redeemed(self, sid: str) -> bool:
        """True once the browser has exchanged the session's ticket for its cookie."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(SESSIONS.c.ticket).where(SESSIONS.c.id == sid)).scalar() is None

    def check(self, sid: str, now: dt.datetime, idle: dt.timedelta) -> Session:
        """The live session `sid`, its last use brought up to `now`; raises Refused.

        A session found past its expiry or idle limit is ended with that reason."""
        with self.engine.begin() as conn:
            row = conn.execute(sa.select(SESSIONS).where(SESSIONS.c.id == sid)).first()
            if row is None:
                raise Refused("unknown")
            if row.ended_at is not None:
                raise Refused("ended", row.username)
            reason = "expired" if now >= row.expires_at else "idle" if now - row.last_seen_at > idle else None
            last = row.last_seen_at
            if reason is not None:
                conn.execute(SESSIONS.update().where(SESSIONS.c.id == sid).values(ended_at=now, end_reason=reason))
            elif (now - last).total_seconds() >= TOUCH_SECONDS:
                conn.execute(SESSIONS.update().where(SESSIONS.c.id == sid).values(last_seen_at=now))
                last = now
        if reason is not None:                 # raised once the end is committed
            raise Refused(reason, row.username)
        return Session(row.id, row.username, row.created_at, last, row.expires_at, row.address, row.agent,
                       row.credential)

    def check_token(self, token: str, now: dt.datetime, idle: dt.timedelta) -> Session:
        return self.check(_digest(token), now, idle)

    def get(self, sid: str) -> dict | None:
        """The row of session `sid` as a dict (ended or not), or None."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(SESSIONS).where(SESSIONS.c.id == sid)).first()
        return dict(row._mapping) if row is not None else None

    def end(self, sid: str, now: dt.datetime, reason: str) -> bool:
        """End one session; False when it was not open."""
        assert reason in END_REASONS, reason
        with self.engine.begin() as conn:
            done = conn.execute(SESSIONS.update().where(SESSIONS.c.id == sid, SESSIONS.c.ended_at.is_(None))
                                .values(ended_at=now, end_reason=reason, ticket=None, ticket_until=None))
        return done.rowcount == 1

    def end_user(self, username: str, now: dt.datetime, reason: str) -> int:
        """End every open session of `username`; how many were open."""
        assert reason in END_REASONS, reason
        with self.engine.begin() as conn:
            done = conn.execute(SESSIONS.update()
                                .where(SESSIONS.c.username == username, SESSIONS.c.ended_at.is_(None))
                                .values(ended_at=now, end_reason=reason, ticket=None, ticket_until=None))
        return done.rowcount

    def open_sessions(self, now: dt.datetime, idle: dt.timedelta, limit: int = 500) -> list[Session]:
        """Sessions not ended, not expired and used within the idle limit, latest use first."""
        q = (sa.select(SESSIONS).where(SESSIONS.c.ended_at.is_(None), SESSIONS.c.expires_at > now,
                                       SESSIONS.c.last_seen_at >= now - idle)
             .order_by(SESSIONS.c.last_seen_at.desc(), SESSIONS.c.id).limit(max(1, min(int(limit), 5000))))
        with self.engine.connect() as conn:
            return [Session(r.id, r.username, r.created_at, r.last_seen_at, r.expires_at, r.address, r.agent,
                            r.credential) for r in conn.execute(q)]

    def forget(self, before: dt.datetime) -> int:
        """Delete sessions that ended, or expired, before `before` (their audit rows stay)."""
        with self.engine.begin() as conn:
            done = conn.execute(SESSIONS.delete().where(sa.or_(SESSIONS.c.ended_at < before,
                                                              SESSIONS.c.expires_at < before)))
        return done.rowcount
