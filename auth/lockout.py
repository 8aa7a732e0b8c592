"""Throttling and lockout of sign-in, kept in the app's own database (survives restarts,
shared by every session and process; streamlit-authenticator's own counter is not).

Failures are counted three ways within `window`:
- one account from one client address: `max_failures` lock the account *for that
  address* — a stranger's guesses cannot lock a user out of their own office;
- one account from every address: `account_failures` lock it for everyone;
- one address over any accounts, and everything globally: past `max_failures` (an
  address) or `global_failures` (all), each further attempt waits a delay that doubles
  with every failure, up to `max_delay` — spraying one try on each of many usernames
  slows down instead of running free.

A failure is recorded in `sign_in_failures` (kept a day); the audit log gets the first
failure of each (account, address) burst and each lock, never one row per guess.

Time is always passed in, so tests inject it. Ages are compared strictly: a failure
counts while it is younger than `window`; a lock holds while it is younger than `lock`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from . import config
from .audit import FAILURES, AuditLog
from .users import normalize_username

LOCAL = "local"          # the address of a browser on the server itself
KEEP = dt.timedelta(days=1)


@dataclass
class LockoutPolicy:
    max_failures: int = 5
    window: dt.timedelta = field(default_factory=lambda: dt.timedelta(minutes=15))
    lock: dt.timedelta = field(default_factory=lambda: dt.timedelta(minutes=15))
    account_failures: int = 20
    global_failures: int = 100
    max_delay: dt.timedelta = field(default_factory=lambda: dt.timedelta(seconds=60))

    @classmethod
    def from_config(cls) -> "LockoutPolicy":
        return cls(
            max_failures=int(config("max_failures")),
            window=dt.timedelta(minutes=float(config("failure_window_minutes"))),
            lock=dt.timedelta(minutes=float(config("lock_minutes"))),
            account_failures=int(config("account_failures")),
            global_failures=int(config("global_failures")),
            max_delay=dt.timedelta(seconds=float(config("max_delay_seconds"))),
        )

    def delay(self, failures: int, free: int) -> dt.timedelta:
        """The wait after the latest of `failures` when `free` of them go unslowed."""
        if failures < free:
            return dt.timedelta(0)
        seconds = 2.0 ** min(failures - free, 30)
        return min(self.max_delay, dt.timedelta(seconds=seconds))


def _key(username: str) -> str:
    # "Admin " and "admin" share one counter (the store lower-cases usernames too).
    return normalize_username(username)[:64]


def _address(address: str | None) -> str:
    return (address or LOCAL)[:64]


def locked_until(log: AuditLog, username: str, now: dt.datetime, policy: LockoutPolicy | None = None,
                 address: str | None = None) -> dt.datetime | None:
    """End of the lock that keeps `username` from signing in from `address`, or None."""
    policy = policy or LockoutPolicy.from_config()
    since = now - policy.lock
    q = sa.select(FAILURES.c.at).where(
        FAILURES.c.username == _key(username), FAILURES.c.locked_until.is_not(None), FAILURES.c.at > since,
        sa.or_(FAILURES.c.address == _address(address), FAILURES.c.everywhere.is_(True)))
    with log.engine.connect() as conn:
        last = conn.execute(sa.select(sa.func.max(q.subquery().c.at))).scalar()
    return last + policy.lock if last is not None else None


def wait_until(log: AuditLog, now: dt.datetime, policy: LockoutPolicy | None = None,
               address: str | None = None) -> dt.datetime | None:
    """When `address` may try again, if it must wait (its own failures, or everyone's)."""
    policy = policy or LockoutPolicy.from_config()
    start = now - policy.window
    with log.engine.connect() as conn:
        mine = conn.execute(sa.select(sa.func.count(), sa.func.max(FAILURES.c.at)).where(
            FAILURES.c.address == _address(address), FAILURES.c.at > start)).one()
        everyone = conn.execute(sa.select(sa.func.count(), sa.func.max(FAILURES.c.at)).where(
            FAILURES.c.at > start)).one()
    ends = []
    if mine[0]:
        ends.append(mine[1] + policy.delay(mine[0], policy.max_failures))
    if everyone[0]:
        ends.append(everyone[1] + policy.delay(everyone[0], policy.global_failures))
    end = max(ends, default=None)
    return end if end is not None and end > now else None


def register_failure(log: AuditLog, username: str, now: dt.datetime, policy: LockoutPolicy | None = None,
                     address: str | None = None) -> dt.datetime | None:
    """Record a failed sign-in; when it makes the failures of the account from this
    address reach `max_failures`, or from everywhere `account_failures`, lock and return
    the end of the lock, else None.

    Failures before the latest lock or successful sign-in from the address are not
    counted again for the address's lock."""
    policy = policy or LockoutPolicy.from_config()
    user, where = _key(username), _address(address)
    start = now - policy.window
    with log.engine.begin() as conn:
        conn.execute(FAILURES.delete().where(FAILURES.c.at < now - max(KEEP, policy.window, policy.lock)))
        pair = [r.at for r in conn.execute(
            sa.select(FAILURES.c.at).where(FAILURES.c.username == user, FAILURES.c.address == where,
                                           FAILURES.c.at > start, FAILURES.c.at <= now))]
        last_lock = conn.execute(sa.select(sa.func.max(FAILURES.c.at)).where(
            FAILURES.c.username == user, FAILURES.c.address == where, FAILURES.c.locked_until.is_not(None))).scalar()
        account = conn.execute(sa.select(sa.func.count()).where(
            FAILURES.c.username == user, FAILURES.c.at > start, FAILURES.c.at <= now,
            FAILURES.c.everywhere.is_(False))).scalar()
        counted = [t for t in pair if last_lock is None or t > last_lock]
        locks_pair = len(counted) + 1 >= policy.max_failures
        locks_all = account + 1 >= policy.account_failures
        conn.execute(FAILURES.insert().values(
            username=user, address=where, at=now, everywhere=locks_all,
            locked_until=now + policy.lock if (locks_pair or locks_all) else None))
    if not pair:
        log.record("login_failed", user, f"from {where}", at=now)
    if locks_pair or locks_all:
        scope = "every address" if locks_all else f"address {where}"
        count = account + 1 if locks_all else len(counted) + 1
        log.record("lockout", user, detail=f"{count} failed sign-ins within {policy.window}; locked for {scope}",
                   at=now)
        return now + policy.lock
    return None


def register_success(log: AuditLog, username: str, address: str | None = None) -> None:
    """A successful sign-in clears the account's failures from this address (not its locks
    elsewhere, nor what other addresses tried)."""
    with log.engine.begin() as conn:
        conn.execute(FAILURES.delete().where(FAILURES.c.username == _key(username),
                                             FAILURES.c.address == _address(address),
                                             FAILURES.c.locked_until.is_(None)))


def recent_failures(log: AuditLog, now: dt.datetime, since: dt.timedelta = KEEP) -> list[dict]:
    """Failures of the last `since`, grouped by (username, address): count, first, last,
    latest lock end; most recent first (for the Data status page)."""
    q = (sa.select(FAILURES.c.username, FAILURES.c.address, sa.func.count().label("count"),
                   sa.func.min(FAILURES.c.at).label("first_at"), sa.func.max(FAILURES.c.at).label("last_at"),
                   sa.func.max(FAILURES.c.locked_until).label("locked_until"))
         .where(FAILURES.c.at > now - since)
         .group_by(FAILURES.c.username, FAILURES.c.address)
         .order_by(sa.desc("last_at")).limit(500))
    with log.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]
