"""Task KPIs of KPIS.md: the four Government categories, as of T, aggregated in SQL."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from .db import Database
from .model import Period, Scope
from .schema import tasks as T
from .sqlfn import Sql, count_if

DIMENSIONS = ("unit", "source", "category", "month")
COUNTS = ("assigned", "on_time", "late", "in_progress_on_time", "in_progress_overdue", "legal_total", "legal_done")


def scope_filter(scope: Scope) -> list:
    if scope.is_ministry:
        return []
    return [T.c.lead_unit_code == sa.literal(scope.unit, sa.String)]


def not_cancelled():
    return sa.not_(T.c.cancelled)


def completed_by(sql: Sql, as_of: dt.datetime):
    return sa.and_(T.c.completed_at.is_not(None), sql.before_or_at(T.c.completed_at, as_of))


def open_at(sql: Sql, as_of: dt.datetime):
    """Not completed as of T (a completion after T had not happened yet)."""
    return sa.or_(T.c.completed_at.is_(None), sql.after(T.c.completed_at, as_of))


def _group(sql: Sql, by: str | None):
    if by is None:
        return None
    return {
        "unit": T.c.lead_unit_code,
        "source": T.c.source,
        "category": T.c.category,
        "month": sql.month_key(T.c.assigned_at),
    }[by]


def counts(db: Database, period: Period, as_of: dt.datetime, scope: Scope, by: str | None = None) -> dict[Any, dict[str, int]]:
    """The population of P (assigned in P, not cancelled) split into the four categories."""
    if by is not None and by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}; expected one of {DIMENSIONS}")
    sql = Sql(db.dialect)
    today = sql.date_value(as_of.date())
    due = sql.date_column(T.c.due_date)
    done = completed_by(sql, as_of)
    still_open = open_at(sql, as_of)
    done_day = sql.date_of(T.c.completed_at)
    is_legal = T.c.category == sa.literal("legal_document", sa.String)
    columns = {
        "assigned": sa.func.count(),
        "on_time": count_if(sa.and_(done, sa.or_(T.c.due_date.is_(None), done_day <= due))),
        "late": count_if(sa.and_(done, T.c.due_date.is_not(None), done_day > due)),
        "in_progress_on_time": count_if(sa.and_(still_open, sa.or_(T.c.due_date.is_(None), due >= today))),
        "in_progress_overdue": count_if(sa.and_(still_open, T.c.due_date.is_not(None), due < today)),
        "legal_total": count_if(is_legal),
        "legal_done": count_if(sa.and_(is_legal, done)),
    }
    cols = [expr.label(name) for name, expr in columns.items()]
    where = [sql.in_window(T.c.assigned_at, period.start, period.end, as_of), not_cancelled(), *scope_filter(scope)]
    group = _group(sql, by)
    if group is None:
        stmt = sa.select(*cols).where(*where)
    else:
        stmt = sa.select(group.label("key"), *cols).where(*where).group_by(group)
    rows = db.execute(stmt, limit=None)
    out: dict[Any, dict[str, int]] = {}
    for row in rows:
        key, values = (row[0], row[1:]) if group is not None else (None, row)
        out[key] = {n: int(v or 0) for n, v in zip(COUNTS, values)}
    if group is None and not out:
        out[None] = {n: 0 for n in COUNTS}
    return out


def total(per_key: dict[Any, dict[str, int]]) -> dict[str, int]:
    summed: dict[str, int] = defaultdict(int)
    for values in per_key.values():
        for n in COUNTS:
            summed[n] += values.get(n, 0)
    return {n: summed[n] for n in COUNTS}


def kpis_from_counts(c: dict[str, int]) -> dict[str, float | int | None]:
    judged = c["on_time"] + c["late"] + c["in_progress_overdue"]
    return {
        "tasks.assigned": c["assigned"],
        "tasks.completed_on_time": c["on_time"],
        "tasks.completed_late": c["late"],
        "tasks.in_progress_on_time": c["in_progress_on_time"],
        "tasks.in_progress_overdue": c["in_progress_overdue"],
        "tasks.on_time_rate": c["on_time"] / judged if judged else None,
        "tasks.legal_docs_completion_rate": c["legal_done"] / c["legal_total"] if c["legal_total"] else None,
    }


def _due_within_filter(sql: Sql, as_of: dt.datetime, scope: Scope, days: int) -> list:
    today = as_of.date()
    due = sql.date_column(T.c.due_date)
    return [
        sql.before_or_at(T.c.assigned_at, as_of),
        not_cancelled(),
        open_at(sql, as_of),
        T.c.due_date.is_not(None),
        due > sql.date_value(today),
        due <= sql.date_value(today + dt.timedelta(days=days)),
        *scope_filter(scope),
    ]


def due_within(db: Database, as_of: dt.datetime, scope: Scope, days: int) -> int:
    """Open tasks assigned by T with `d < due_date <= d + days` (independent of any period)."""
    stmt = sa.select(sa.func.count()).where(*_due_within_filter(Sql(db.dialect), as_of, scope, days))
    return int(db.scalar(stmt) or 0)


def due_within_by_unit(db: Database, as_of: dt.datetime, scope: Scope, days: int) -> dict[str, int]:
    """`due_within` per lead unit (units with none left out)."""
    stmt = (sa.select(T.c.lead_unit_code, sa.func.count())
            .where(*_due_within_filter(Sql(db.dialect), as_of, scope, days))
            .group_by(T.c.lead_unit_code))
    return {unit: int(n) for unit, n in db.execute(stmt)}


def task_kpis(db: Database, period: Period, as_of: dt.datetime, scope: Scope) -> dict[str, float | int | None]:
    """Every `tasks.*` KPI for the period, as of T, in the scope."""
    values = kpis_from_counts(total(counts(db, period, as_of, scope)))
    values["tasks.due_next_7_days"] = due_within(db, as_of, scope, 7)
    return values


def breakdown(db: Database, period: Period, as_of: dt.datetime, scope: Scope, by: str) -> dict[Any, dict[str, float | int | None]]:
    """Task KPIs per unit, source, category or month of assignment ('YYYY-MM')."""
    return {key: kpis_from_counts(c) for key, c in counts(db, period, as_of, scope, by).items()}
