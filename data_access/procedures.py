"""Procedure (one-stop-shop dossier) KPIs of KPIS.md, aggregated in SQL.

Three aggregate queries answer every procedure KPI: dossiers received in the period,
dossiers finished in the period, and dossiers pending at the as-of moment. Each returns
additive counts (and a sum of processing days), optionally grouped by a dimension, so
totals, breakdowns and per-unit emulation scores all come from the same SQL and rates
are formed from exact integers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from . import catalogue as catalogue_mod
from .db import Database
from .model import Period, Scope
from .schema import FINISHED_STATUSES, dossiers as D, procedures as P
from .sqlfn import Sql, count_if

DIMENSIONS = ("unit", "procedure", "field", "channel", "month")

RECEIVED_COUNTS = ("received", "withdrawn", "kept", "online", "digitized", "synced", "with_fee", "paid_online")
FINISHED_COUNTS = ("finished", "on_time", "rated", "satisfied", "days_sum")
PENDING_COUNTS = ("pending", "pending_overdue")
ALL_COUNTS = RECEIVED_COUNTS + FINISHED_COUNTS + PENDING_COUNTS


def _scope(scope: Scope) -> list:
    if scope.is_ministry:
        return []
    return [D.c.unit_code == sa.literal(scope.unit, sa.String)]


def _group(sql: Sql, by: str | None, moment_column) -> tuple[Any, bool]:
    """The grouping expression for a dimension, and whether it needs the procedures join."""
    if by is None:
        return None, False
    if by == "unit":
        return D.c.unit_code, False
    if by == "procedure":
        return D.c.procedure_code, False
    if by == "channel":
        return D.c.channel, False
    if by == "field":
        return P.c.field, True
    if by == "month":
        return sql.month_key(moment_column), False
    raise ValueError(f"unknown dimension {by!r}; expected one of {DIMENSIONS}")


def _select(columns: dict[str, Any], where: list, group, join: bool) -> sa.Select:
    cols = [expr.label(name) for name, expr in columns.items()]
    source = D.outerjoin(P, P.c.code == D.c.procedure_code) if join else D
    if group is not None:
        stmt = sa.select(group.label("key"), *cols).select_from(source).where(*where).group_by(group)
    else:
        stmt = sa.select(*cols).select_from(source).where(*where)
    return stmt


def _rows_to_dict(rows, names: tuple[str, ...], grouped: bool) -> dict[Any, dict[str, float]]:
    out: dict[Any, dict[str, float]] = {}
    for row in rows:
        key = row[0] if grouped else None
        values = row[1:] if grouped else row
        out[key] = {n: (float(v or 0) if n == "days_sum" else int(v or 0)) for n, v in zip(names, values)}
    return out


def received_counts(db: Database, period: Period, as_of: dt.datetime, scope: Scope, by: str | None = None):
    sql = Sql(db.dialect)
    withdrawn = sa.and_(
        D.c.status == sa.literal("withdrawn", sa.String),
        D.c.finished_at.is_not(None),
        sql.before_or_at(D.c.finished_at, as_of),
    )
    # Withdrawn means withdrawn as of T: a later withdrawal still counts in the shares.
    # Shares of the dossiers kept are "all minus withdrawn": the withdrawn test fails fast
    # on its first term for nearly every row, which keeps SQLite's per-row work small.
    has_fee = D.c.fee_amount > 0
    online = D.c.channel == sa.literal("online", sa.String)

    def kept(*condition):
        return count_if(sa.and_(*condition)) - count_if(sa.and_(withdrawn, *condition))

    columns = {
        "received": sa.func.count(),
        "withdrawn": count_if(withdrawn),
        "kept": sa.func.count() - count_if(withdrawn),
        "online": kept(online),
        "digitized": kept(D.c.digitized),
        "synced": kept(D.c.synced_national),
        "with_fee": kept(has_fee),
        "paid_online": kept(has_fee, D.c.paid_online),
    }
    group, join = _group(sql, by, D.c.received_at)
    where = [sql.in_window(D.c.received_at, period.start, period.end, as_of), *_scope(scope)]
    rows = db.execute(_select(columns, where, group, join), limit=None)
    return _rows_to_dict(rows, RECEIVED_COUNTS, group is not None)


def finished_counts(db: Database, period: Period, as_of: dt.datetime, scope: Scope, by: str | None = None):
    sql = Sql(db.dialect)
    # The status test sits inside the aggregates, not in WHERE, so that every engine
    # narrows the scan with the finished_at index rather than the far less selective status.
    done = D.c.status.in_([sa.literal(s, sa.String) for s in FINISHED_STATUSES])
    columns = {
        "finished": count_if(done),
        "on_time": count_if(sa.and_(done, sql.le_columns(D.c.finished_at, D.c.due_at))),
        "rated": count_if(sa.and_(done, D.c.rating.is_not(None))),
        "satisfied": count_if(sa.and_(done, D.c.rating >= 4)),
        "days_sum": sa.func.sum(sa.case((done, sql.days_between(D.c.finished_at, D.c.received_at)), else_=None)),
    }
    group, join = _group(sql, by, D.c.finished_at)
    where = [sql.in_window(D.c.finished_at, period.start, period.end, as_of), *_scope(scope)]
    rows = db.execute(_select(columns, where, group, join), limit=None)
    return _rows_to_dict(rows, FINISHED_COUNTS, group is not None)


def pending_counts(db: Database, as_of: dt.datetime, scope: Scope, by: str | None = None):
    """Dossiers received by T and neither finished nor withdrawn at T."""
    if by == "month":
        return {}
    sql = Sql(db.dialect)
    received_by_t = [
        sql.before_day(D.c.received_at, as_of.date() + dt.timedelta(days=1)),
        sql.before_or_at(D.c.received_at, as_of),
        *_scope(scope),
    ]
    # Two index-friendly halves (still open; closed only after T) instead of an OR that
    # would make the planner walk every dossier received before T.
    kept = (D.c.unit_code, D.c.procedure_code, D.c.channel, D.c.due_at)
    still_open = sa.select(*kept).where(D.c.finished_at.is_(None), *received_by_t)
    closed_later = sa.select(*kept).where(
        sql.on_or_after_day(D.c.finished_at, as_of.date()), sql.after(D.c.finished_at, as_of), *received_by_t
    )
    open_at_t = sa.union_all(still_open, closed_later).subquery("open_at_t")
    columns = {
        "pending": sa.func.count(),
        "pending_overdue": count_if(sql.before(open_at_t.c.due_at, as_of)),
    }
    cols = [expr.label(name) for name, expr in columns.items()]
    if by is None:
        stmt = sa.select(*cols).select_from(open_at_t)
    elif by == "field":
        group = P.c.field
        stmt = (sa.select(group.label("key"), *cols)
                .select_from(open_at_t.outerjoin(P, P.c.code == open_at_t.c.procedure_code)).group_by(group))
    else:
        group = {"unit": open_at_t.c.unit_code, "procedure": open_at_t.c.procedure_code, "channel": open_at_t.c.channel}[by]
        stmt = sa.select(group.label("key"), *cols).select_from(open_at_t).group_by(group)
    rows = db.execute(stmt, limit=None)
    return _rows_to_dict(rows, PENDING_COUNTS, by is not None)


def counts(db: Database, period: Period, as_of: dt.datetime, scope: Scope, by: str | None = None) -> dict[Any, dict[str, float]]:
    """Every additive count behind the procedure KPIs, per key of `by` (None: one total)."""
    merged: dict[Any, dict[str, float]] = defaultdict(lambda: {n: 0 for n in ALL_COUNTS})
    for part in (
        received_counts(db, period, as_of, scope, by),
        finished_counts(db, period, as_of, scope, by),
        pending_counts(db, as_of, scope, by),
    ):
        for key, values in part.items():
            merged[key].update(values)
    if by is None and None not in merged:
        merged[None]  # noqa: B018 - materialise the all-zero total
    return dict(merged)


def total(per_key: dict[Any, dict[str, float]]) -> dict[str, float]:
    summed = {n: 0 for n in ALL_COUNTS}
    for values in per_key.values():
        for n in ALL_COUNTS:
            summed[n] += values.get(n, 0)
    return summed


def _ratio(num: float, den: float) -> float | None:
    return None if not den else num / den


def service_index(values: dict[str, float | None], cat: catalogue_mod.Catalogue) -> tuple[float | None, list[dict]]:
    """The 766 index over the indicators whose ratio is defined, with each one's points."""
    parts = []
    earned_sum = max_sum = 0.0
    for ind in cat.service_index:
        ratio = values.get(ind.ratio)
        earned = None if ratio is None else ind.max * min(1.0, ratio / ind.full_at)
        parts.append({"indicator": ind.indicator, "ratio_kpi": ind.ratio, "ratio": ratio, "points": earned, "max": ind.max})
        if earned is not None:
            earned_sum += earned
            max_sum += ind.max
    return (100.0 * earned_sum / max_sum if max_sum else None), parts


def kpis_from_counts(c: dict[str, float], cat: catalogue_mod.Catalogue | None = None) -> dict[str, float | int | None]:
    cat = cat or catalogue_mod.get()
    values: dict[str, float | int | None] = {
        "procedures.received": int(c["received"]),
        "procedures.finished": int(c["finished"]),
        "procedures.on_time_rate": _ratio(c["on_time"], c["finished"]),
        "procedures.pending": int(c["pending"]),
        "procedures.pending_overdue": int(c["pending_overdue"]),
        "procedures.online_rate": _ratio(c["online"], c["kept"]),
        "procedures.digitized_rate": _ratio(c["digitized"], c["kept"]),
        "procedures.synced_rate": _ratio(c["synced"], c["kept"]),
        "procedures.online_payment_rate": _ratio(c["paid_online"], c["with_fee"]),
        "procedures.satisfaction_rate": _ratio(c["satisfied"], c["rated"]),
        "procedures.avg_processing_days": _ratio(c["days_sum"], c["finished"]),
    }
    values["procedures.service_index"] = service_index(values, cat)[0]
    return values


def procedure_kpis(db: Database, period: Period, as_of: dt.datetime, scope: Scope) -> dict[str, float | int | None]:
    """Every `procedures.*` KPI for the period, as of T, in the scope."""
    return kpis_from_counts(total(counts(db, period, as_of, scope)))


def breakdown(db: Database, period: Period, as_of: dt.datetime, scope: Scope, by: str) -> dict[Any, dict[str, float | int | None]]:
    """Every procedure KPI per unit, procedure, field, channel or month ('YYYY-MM')."""
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}")
    cat = catalogue_mod.get()
    return {key: kpis_from_counts(values, cat) for key, values in counts(db, period, as_of, scope, by).items()}
