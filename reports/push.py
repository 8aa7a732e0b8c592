"""The push of a closed Decree 09/2019 reporting period's KPI report to the Government
side (`python -m reports push`, docs/api.md).

The body is the report contract's JSON (`report.to_json`) for the whole ministry over the
period, as of the period's last second: the same bytes `/api/v1/kpis` answers for those
arguments. It is signed with HMAC-SHA256 under the shared secret (`X-IOC-Signature:
sha256=<hex>`). Each (period, version) is delivered once: a push whose body is the one
already delivered for the period sends nothing; a different body (figures corrected at the
source) is the next version. An attempt that meets no receiver, a 5xx or a 429 is tried
again after a growing wait. Every attempt is a row of `push_attempts` in the app's own
database, shown on the Data status page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit

import sqlalchemy as sa

from data_access import report
from data_access.db import Sources
from data_access.model import Period, Scope

KINDS = ("month", "quarter", "half", "year")
SIGNATURE_HEADER = "X-IOC-Signature"

_METADATA = sa.MetaData()
ATTEMPTS = sa.Table(
    "push_attempts", _METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("period_from", sa.Date, nullable=False),
    sa.Column("period_to", sa.Date, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("body_sha256", sa.String(64), nullable=False),
    sa.Column("target", sa.String(200), nullable=False),          # the receiver's scheme, host and path only
    sa.Column("http_status", sa.Integer, nullable=True),
    sa.Column("outcome", sa.String(12), nullable=False),          # delivered, retry, failed
    sa.Column("detail", sa.String(300), nullable=True),
    sa.Index("ix_push_attempts_period", "kind", "period_from", "period_to", "version"),
    sa.Index("ix_push_attempts_at", "at"),
)


# --- the Decree 09 periods ---------------------------------------------------------------------
def _fourteenth_before(day: dt.date) -> dt.date:
    """The last 14th strictly before `day`: the end of the month period closed by then."""
    if day.day > 14:
        return day.replace(day=14)
    first = day.replace(day=1) - dt.timedelta(days=1)
    return first.replace(day=14)


def closed_period(kind: str, at: dt.date) -> Period:
    """The Decree 09/2019/NĐ-CP reporting period of `kind` that has most recently ended
    before `at`: data from the 15th of the previous period's last month to the 14th of
    its own last month (month; quarter to 14 Mar/Jun/Sep/Dec; half, the six-month report,
    15 Dec–14 Jun; year 15 Dec–14 Dec)."""
    if kind not in KINDS:
        raise ValueError(f"unknown period {kind!r}: one of {', '.join(KINDS)}")
    end = _fourteenth_before(at)
    ends_in = {"month": range(1, 13), "quarter": (3, 6, 9, 12), "half": (6,), "year": (12,)}[kind]
    while end.month not in ends_in:
        end = (end.replace(day=1) - dt.timedelta(days=1)).replace(day=14)
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[kind]
    index = end.year * 12 + end.month - 1 - months
    start = dt.date(index // 12, index % 12 + 1, 15)
    return Period(start, end)


def as_of_for(period: Period) -> dt.datetime:
    """The report's moment: the period's last second (its figures as the period closed)."""
    return dt.datetime.combine(period.end, dt.time(23, 59, 59))


def body_for(sources: Sources, period: Period) -> bytes:
    """What is posted: the report contract's JSON, whole ministry, as of the period's end."""
    return report.to_json(report.compute(sources, period, as_of_for(period), Scope.ministry())).encode("utf-8")


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


# --- the record of attempts ----------------------------------------------------------------------
def ensure(log) -> sa.Engine:
    engine = log.engine
    _METADATA.create_all(engine, checkfirst=True)
    return engine


def _period_rows(conn, kind: str, period: Period):
    return conn.execute(sa.select(ATTEMPTS.c.version, ATTEMPTS.c.body_sha256, ATTEMPTS.c.outcome)
                        .where(ATTEMPTS.c.kind == kind, ATTEMPTS.c.period_from == period.start,
                               ATTEMPTS.c.period_to == period.end)
                        .order_by(ATTEMPTS.c.version, ATTEMPTS.c.id)).all()


def version_for(conn, kind: str, period: Period, digest: str) -> tuple[int, bool]:
    """(version, already delivered). The body delivered last for the period is a repeat;
    the latest version, not yet delivered, with this body is tried again under its number;
    anything else is a new version."""
    rows = _period_rows(conn, kind, period)
    if not rows:
        return 1, False
    latest = max(r.version for r in rows)
    latest_rows = [r for r in rows if r.version == latest]
    delivered = [r for r in rows if r.outcome == "delivered"]
    if delivered and delivered[-1].body_sha256 == digest and delivered[-1].version == latest:
        return latest, True
    if latest_rows[0].body_sha256 == digest and not any(r.outcome == "delivered" for r in latest_rows):
        return latest, False
    return latest + 1, False


def recent(log, limit: int = 50) -> list[dict]:
    """The latest attempts, newest first (the Data status page)."""
    engine = ensure(log)
    q = sa.select(ATTEMPTS).order_by(ATTEMPTS.c.id.desc()).limit(max(0, min(int(limit), 1000)))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


# --- the delivery ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    kind: str
    period: Period
    version: int
    delivered: bool
    repeat: bool                 # nothing sent: this body was delivered already
    attempts: int
    detail: str = ""


def _target(url: str) -> str:
    parts = urlsplit(url)
    # never the query or user info: either may hold a key
    return f"{parts.scheme}://{parts.hostname or ''}{':' + str(parts.port) if parts.port else ''}{parts.path}"[:200]


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, (exc.reason or "")[:200] if isinstance(exc.reason, str) else ""
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, str(reason).splitlines()[0][:200] if str(reason) else type(exc).__name__


def _retryable(status: int | None) -> bool:
    return status is None or status >= 500 or status in (408, 429)


def push(log, sources: Sources, kind: str, at: dt.date, *, url: str, secret: str, attempts: int,
         backoff: float, timeout: float, clock: Callable[[], dt.datetime],
         sleep: Callable[[float], None] = time.sleep) -> Outcome:
    """Deliver the report of `kind`'s period closed before `at`, once per version."""
    period = closed_period(kind, at)
    body = body_for(sources, period)
    digest = hashlib.sha256(body).hexdigest()
    engine = ensure(log)
    with engine.begin() as conn:
        version, repeat = version_for(conn, kind, period, digest)
    if repeat:
        return Outcome(kind, period, version, True, True, 0, "already delivered")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: sign(body, secret),
        "X-IOC-Period": kind,
        "X-IOC-Period-From": period.start.isoformat(),
        "X-IOC-Period-To": period.end.isoformat(),
        "X-IOC-Version": str(version),
        "Idempotency-Key": f"{kind}:{period.start.isoformat()}:{period.end.isoformat()}:v{version}",
        "User-Agent": "ioc-dashboard-push/1",
    }
    wait = max(0.0, backoff)
    attempts = max(1, attempts)
    for attempt in range(1, attempts + 1):
        status, detail = _post(url, body, headers, timeout)
        ok = status is not None and 200 <= status < 300
        retry = not ok and _retryable(status) and attempt < attempts
        outcome = "delivered" if ok else ("retry" if retry else "failed")
        with engine.begin() as conn:
            conn.execute(ATTEMPTS.insert().values(
                at=clock(), kind=kind, period_from=period.start, period_to=period.end, version=version,
                attempt=attempt, body_sha256=digest, target=_target(url), http_status=status, outcome=outcome,
                detail=(detail or None) and detail[:300]))
        if ok:
            return Outcome(kind, period, version, True, False, attempt)
        if not retry:
            words = f"HTTP {status}" if status is not None else detail
            return Outcome(kind, period, version, False, False, attempt, words)
        sleep(wait)
        wait *= 2
    raise AssertionError("unreachable")  # pragma: no cover
