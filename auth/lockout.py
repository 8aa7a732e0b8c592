"""Account lockout with a time window, kept in the audit log (survives restarts and is
shared by every session and process; streamlit-authenticator's own counter is not).

Time is always passed in, so tests inject it. Ages are compared strictly: a failure
counts while it is younger than `window`; a lock holds while it is younger than `lock`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import config
from .audit import AuditLog
from .users import normalize_username


@dataclass
class LockoutPolicy:
    max_failures: int = 5
    window: dt.timedelta = field(default_factory=lambda: dt.timedelta(minutes=15))
    lock: dt.timedelta = field(default_factory=lambda: dt.timedelta(minutes=15))

    @classmethod
    def from_config(cls) -> "LockoutPolicy":
        return cls(
            max_failures=int(config("max_failures")),
            window=dt.timedelta(minutes=float(config("failure_window_minutes"))),
            lock=dt.timedelta(minutes=float(config("lock_minutes"))),
        )


def _key(username: str) -> str:
    # "Admin " and "admin" share one counter (the store lower-cases usernames too).
    return normalize_username(username)[:64]


def locked_until(log: AuditLog, username: str, now: dt.datetime, policy: LockoutPolicy | None = None
                 ) -> dt.datetime | None:
    """End of the current lock of `username`, or None when it may try to sign in."""
    policy = policy or LockoutPolicy.from_config()
    last = log.last_event(_key(username), "lockout")
    if last is not None and now - last < policy.lock:
        return last + policy.lock
    return None


def register_failure(log: AuditLog, username: str, now: dt.datetime, policy: LockoutPolicy | None = None
                     ) -> dt.datetime | None:
    """Record a failed sign-in; when the failures within `window` (ending now) reach
    `max_failures`, record a 'lockout' and return the end of the lock, else None.

    Failures before the latest lockout or successful sign-in are not counted again.
    """
    policy = policy or LockoutPolicy.from_config()
    user = _key(username)
    log.record("login_failed", user, at=now)
    start = now - policy.window
    resets = [t for t in (log.last_event(user, "lockout"), log.last_event(user, "login_ok")) if t is not None]
    recent = [t for t in log.failures(user, start)
              if t > start and t <= now and all(t > r for r in resets)]
    if len(recent) >= policy.max_failures:
        log.record("lockout", user, detail=f"{len(recent)} failed sign-ins within {policy.window}", at=now)
        return now + policy.lock
    return None
