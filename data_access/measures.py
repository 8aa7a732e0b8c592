"""Named measures of the sources' facts, and the one aggregate query per fact family.

A measure is one additive SQL expression over one fact (a count under a condition, or a
sum), named `fact.measure` — `dossiers_finished.on_time`. KPIs are formed from measures
by the catalogue (`config/kpis.toml`); nothing else in the code writes a KPI's SQL. Each
fact family is answered by one `SELECT … GROUP BY` over its window, with every measure a
column read back by its label, so totals, breakdowns and per-unit emulation scores all
come from the same expressions, and rates are formed from exact integers.

The per-dialect details that make boundaries exact (a deadline met to the second, a
day's first midnight, the as-of cut) live in `sqlfn`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

import sqlalchemy as sa

from .db import Database
from .model import Period, Scope
from .schema import FINISHED_STATUSES
from .schema import dossiers as D
from .schema import procedures as P
from .schema import tasks as T
from .sqlfn import Sql, count_if

DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class Window:
    """What a fact is asked for: a period cut at `as_of`, or a moment (snapshots)."""

    period: Period
    as_of: dt.datetime


@dataclass(frozen=True)
class Fact:
    name: str
    domain: str
    source: str                          # the `Sources` attribute it reads
    measures: tuple[str, ...]
    floats: tuple[str, ...]              # measures that are sums of fractions, not counts
    dimensions: tuple[str, ...]
    build: Callable[[Sql, tuple[str, ...], Window, Scope, str | None], sa.Select]

    def aggregate(self, db: Database, names: tuple[str, ...], window: Window, scope: Scope,
                  by: str | None = None) -> dict[Any, dict[str, float | int]]:
        """`{key: {measure: value}}` for the measures asked (key None without `by`)."""
        if by is not None and by not in self.dimensions:
            return {}
        names = tuple(n for n in self.measures if n in names)
        rows = db.execute(self.build(Sql(db.dialect), names, window, scope, by), limit=None)
        out: dict[Any, dict[str, float | int]] = {}
        for row in rows:
            values = row._mapping
            key = values["key"] if by is not None else None
            out[key] = {n: (float(values[n] or 0) if n in self.floats else int(values[n] or 0)) for n in names}
        if by is None and None not in out:
            out[None] = {n: (0.0 if n in self.floats else 0) for n in names}
        return out


def _select(columns: dict[str, Any], names, where: list, group, source) -> sa.Select:
    cols = [columns[n].label(n) for n in names]
    if group is None:
        return sa.select(*cols).select_from(source).where(*where)
    return sa.select(group.label("key"), *cols).select_from(source).where(*where).group_by(group)


def _dossier_scope(scope: Scope) -> list:
    return [] if scope.is_ministry else [D.c.unit_code == sa.literal(scope.unit, sa.String)]


def _dossier_group(sql: Sql, by: str | None, moment_column):
    """The grouping expression for a dimension, and the rows' source (joined for `field`)."""
    if by == "field":
        return P.c.field, D.outerjoin(P, P.c.code == D.c.procedure_code)
    group = {None: None, "unit": D.c.unit_code, "procedure": D.c.procedure_code, "channel": D.c.channel,
             "month": sql.month_key(moment_column) if by == "month" else None}[by]
    return group, D


# --- dossiers received in P ----------------------------------------------------------------
def _received(sql: Sql, names, window: Window, scope: Scope, by):
    as_of = window.as_of
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
    group, source = _dossier_group(sql, by, D.c.received_at)
    where = [sql.in_window(D.c.received_at, window.period.start, window.period.end, as_of), *_dossier_scope(scope)]
    return _select(columns, names, where, group, source)


# --- dossiers finished in P ----------------------------------------------------------------
def _finished(sql: Sql, names, window: Window, scope: Scope, by):
    # The status test sits inside the aggregates, not in WHERE, so that every engine
    # narrows the scan with the finished_at index rather than the far less selective status.
    done = D.c.status.in_([sa.literal(s, sa.String) for s in FINISHED_STATUSES])
    columns = {
        "finished": count_if(done),
        "on_time": count_if(sa.and_(done, sql.le_columns(D.c.finished_at, D.c.due_at))),
        "late": count_if(sa.and_(done, sa.not_(sql.le_columns(D.c.finished_at, D.c.due_at)))),
        "rated": count_if(sa.and_(done, D.c.rating.is_not(None))),
        "satisfied": count_if(sa.and_(done, D.c.rating >= 4)),
        "days_sum": sa.func.sum(sa.case((done, sql.days_between(D.c.finished_at, D.c.received_at)), else_=None)),
    }
    group, source = _dossier_group(sql, by, D.c.finished_at)
    where = [sql.in_window(D.c.finished_at, window.period.start, window.period.end, window.as_of),
             *_dossier_scope(scope)]
    return _select(columns, names, where, group, source)


# --- dossiers pending at a moment ----------------------------------------------------------
def _pending(sql: Sql, names, window: Window, scope: Scope, by):
    """Dossiers received by the moment and neither finished nor withdrawn at it."""
    moment = window.as_of
    received_by = [
        sql.before_day(D.c.received_at, moment.date() + dt.timedelta(days=1)),
        sql.before_or_at(D.c.received_at, moment),
        *_dossier_scope(scope),
    ]
    # Two index-friendly halves (still open; closed only after the moment) instead of an
    # OR that would make the planner walk every dossier received before it.
    kept = (D.c.unit_code, D.c.procedure_code, D.c.channel, D.c.due_at)
    still_open = sa.select(*kept).where(D.c.finished_at.is_(None), *received_by)
    closed_later = sa.select(*kept).where(
        sql.on_or_after_day(D.c.finished_at, moment.date()), sql.after(D.c.finished_at, moment), *received_by
    )
    open_at = sa.union_all(still_open, closed_later).subquery("open_at_t")
    columns = {
        "pending": sa.func.count(),
        "overdue": count_if(sql.before(open_at.c.due_at, moment)),
    }
    if by == "field":
        group, source = P.c.field, open_at.outerjoin(P, P.c.code == open_at.c.procedure_code)
    else:
        source = open_at
        group = {None: None, "unit": open_at.c.unit_code, "procedure": open_at.c.procedure_code,
                 "channel": open_at.c.channel}[by]
    return _select(columns, names, [], group, source)


def pending_series(db: Database, moments: list[dt.datetime], scope: Scope) -> list[dict[str, int]]:
    """`dossiers_pending` at each of several moments (month ends of a trend) in one pass:
    the rows open at the first moment or received after it, each moment a pair of
    conditional counts, instead of one query per moment."""
    if not moments:
        return []
    sql = Sql(db.dialect)
    first, last = min(moments), max(moments)
    received_by = [
        sql.before_day(D.c.received_at, last.date() + dt.timedelta(days=1)),
        sql.before_or_at(D.c.received_at, last),
        *_dossier_scope(scope),
    ]
    kept = (D.c.received_at, D.c.finished_at, D.c.due_at)
    still_open = sa.select(*kept).where(D.c.finished_at.is_(None), *received_by)
    closed_later = sa.select(*kept).where(
        sql.on_or_after_day(D.c.finished_at, first.date()), sql.after(D.c.finished_at, first), *received_by
    )
    rows = sa.union_all(still_open, closed_later).subquery("open_in_series")
    columns = []
    for i, moment in enumerate(moments):
        open_at = sa.and_(sql.before_or_at(rows.c.received_at, moment),
                          sa.or_(rows.c.finished_at.is_(None), sql.after(rows.c.finished_at, moment)))
        columns.append(count_if(open_at).label(f"pending_{i}"))
        columns.append(count_if(sa.and_(open_at, sql.before(rows.c.due_at, moment))).label(f"overdue_{i}"))
    values = db.execute(sa.select(*columns).select_from(rows), limit=None)[0]._mapping
    return [{"pending": int(values[f"pending_{i}"] or 0), "overdue": int(values[f"overdue_{i}"] or 0)}
            for i in range(len(moments))]


# --- tasks assigned in P, in the four Government categories as of T ------------------------
def tasks_open_at(sql: Sql, as_of: dt.datetime):
    """Not completed as of T (a completion after T had not happened yet)."""
    return sa.or_(T.c.completed_at.is_(None), sql.after(T.c.completed_at, as_of))


def tasks_scope(scope: Scope) -> list:
    return [] if scope.is_ministry else [T.c.lead_unit_code == sa.literal(scope.unit, sa.String)]


def _task_group(sql: Sql, by):
    return {None: None, "unit": T.c.lead_unit_code, "source": T.c.source, "category": T.c.category,
            "month": sql.month_key(T.c.assigned_at) if by == "month" else None}[by]


def _tasks_assigned(sql: Sql, names, window: Window, scope: Scope, by):
    as_of = window.as_of
    today = sql.date_value(as_of.date())
    due = sql.date_column(T.c.due_date)
    done = sa.and_(T.c.completed_at.is_not(None), sql.before_or_at(T.c.completed_at, as_of))
    still_open = tasks_open_at(sql, as_of)
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
    where = [sql.in_window(T.c.assigned_at, window.period.start, window.period.end, as_of),
             sa.not_(T.c.cancelled), *tasks_scope(scope)]
    return _select(columns, names, where, _task_group(sql, by), T)


# --- open tasks due soon, live at T (independent of the period) -----------------------------
def due_within_filter(sql: Sql, as_of: dt.datetime, scope: Scope, days: int) -> list:
    today = as_of.date()
    due = sql.date_column(T.c.due_date)
    return [
        sql.before_or_at(T.c.assigned_at, as_of),
        sa.not_(T.c.cancelled),
        tasks_open_at(sql, as_of),
        T.c.due_date.is_not(None),
        due > sql.date_value(today),
        due <= sql.date_value(today + dt.timedelta(days=days)),
        *tasks_scope(scope),
    ]


def _tasks_due(sql: Sql, names, window: Window, scope: Scope, by):
    columns = {"within_7_days": sa.func.count()}
    where = due_within_filter(sql, window.as_of, scope, DUE_SOON_DAYS)
    return _select(columns, names, where, _task_group(sql, by), T)


FACTS: dict[str, Fact] = {f.name: f for f in (
    Fact("dossiers_received", "procedures", "procedures",
         ("received", "withdrawn", "kept", "online", "digitized", "synced", "with_fee", "paid_online"), (),
         ("unit", "procedure", "field", "channel", "month"), _received),
    Fact("dossiers_finished", "procedures", "procedures",
         ("finished", "on_time", "late", "rated", "satisfied", "days_sum"), ("days_sum",),
         ("unit", "procedure", "field", "channel", "month"), _finished),
    Fact("dossiers_pending", "procedures", "procedures", ("pending", "overdue"), (),
         ("unit", "procedure", "field", "channel"), _pending),
    Fact("tasks_assigned", "tasks", "tasks",
         ("assigned", "on_time", "late", "in_progress_on_time", "in_progress_overdue", "legal_total", "legal_done"), (),
         ("unit", "source", "category", "month"), _tasks_assigned),
    Fact("tasks_due", "tasks", "tasks", ("within_7_days",), (), ("unit",), _tasks_due),
)}

# Emulation figures are not one GROUP BY: they come from the movement's blocks, criteria
# and evaluations (data_access/emulation.py), under these names.
EMULATION_MEASURES = ("participating_units", "unit_score", "awards")


def split(name: str) -> tuple[str, str]:
    fact, _, measure = name.partition(".")
    return fact, measure


def known(name: str) -> bool:
    fact, measure = split(name)
    if fact == "emulation":
        return measure in EMULATION_MEASURES
    return fact in FACTS and measure in FACTS[fact].measures


def domain_of(name: str) -> str:
    fact, _ = split(name)
    return "emulation" if fact == "emulation" else FACTS[fact].domain
