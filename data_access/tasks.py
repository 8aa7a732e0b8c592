"""Task KPIs read from one database: the catalogue's `tasks.*` KPIs (the four Government
categories, as of T) through the one computation (`figures`), and the count of open
tasks due within any number of days for the deadlines view."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from . import figures
from .db import Database
from .measures import due_within_filter
from .model import Period, Scope
from .schema import tasks as T
from .sqlfn import Sql

DIMENSIONS = figures.DIMENSIONS["tasks"]


def task_kpis(db: Database, period: Period, as_of: dt.datetime, scope: Scope) -> dict[str, Any]:
    """Every `tasks.*` KPI for the period, as of T, in the scope."""
    return figures.domain_kpis(db, "tasks", period, as_of, scope)


def breakdown(db: Database, period: Period, as_of: dt.datetime, scope: Scope, by: str) -> dict[Any, dict[str, Any]]:
    """Task KPIs per unit, source, category or month of assignment ('YYYY-MM')."""
    return figures.domain_breakdown(db, "tasks", period, as_of, scope, by)


def due_within(db: Database, as_of: dt.datetime, scope: Scope, days: int) -> int:
    """Open tasks assigned by T with `d < due_date <= d + days` (independent of any period)."""
    stmt = sa.select(sa.func.count()).where(*due_within_filter(Sql(db.dialect), as_of, scope, days))
    return int(db.scalar(stmt) or 0)


def due_within_by_unit(db: Database, as_of: dt.datetime, scope: Scope, days: int) -> dict[str, int]:
    """`due_within` per lead unit (units with none left out)."""
    stmt = (sa.select(T.c.lead_unit_code, sa.func.count())
            .where(*due_within_filter(Sql(db.dialect), as_of, scope, days))
            .group_by(T.c.lead_unit_code))
    return {unit: int(n) for unit, n in db.execute(stmt)}
