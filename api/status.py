"""What the Data status page shows of the machine interface: the push attempts
(`reports.push`), newest first, in the reader's language; and how many API calls the last
day saw."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from l10n import fmt
from l10n.i18n import t

COLUMNS = ("at", "period", "span", "version", "attempt", "status", "outcome")
LIMIT = 50


def _log():
    import auth
    from auth.audit import shared

    return shared(str(auth.config("app_db_url")))


def attempts(limit: int = LIMIT) -> list[dict]:
    """The latest push attempts. Errors propagate: the page says the record cannot be read."""
    from reports import push

    return push.recent(_log(), limit)


def calls_last_day() -> tuple[int, int]:
    """(calls, distinct clients) of the API in the last 24 hours (the log's real clock)."""
    import auth

    from . import calls

    engine = calls.ensure(_log())
    since = auth.clock() - dt.timedelta(days=1)
    q = sa.select(sa.func.count(), sa.func.count(sa.distinct(calls.CALLS.c.client))).where(calls.CALLS.c.at >= since)
    with engine.connect() as conn:
        n, clients = conn.execute(q).one()
    return int(n or 0), int(clients or 0)


def attempts_frame(rows: list[dict], lang: str) -> pd.DataFrame:
    from ui.status_view import moment_seconds

    out = [{
        "at": moment_seconds(r.get("at"), lang),
        "period": t(f"feed.period_{r['kind']}", lang),
        "span": f"{fmt.date(_day(r['period_from']), lang)} – {fmt.date(_day(r['period_to']), lang)}",
        "version": int(r["version"]),
        "attempt": int(r["attempt"]),
        "status": "—" if r.get("http_status") is None else str(r["http_status"]),
        "outcome": t(f"feed.outcome_{r['outcome']}", lang),
    } for r in rows]
    return pd.DataFrame(out, columns=list(COLUMNS))


def _day(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def columns(lang: str) -> dict[str, str]:
    return {name: t(f"feed.col_{name}", lang) for name in COLUMNS}
