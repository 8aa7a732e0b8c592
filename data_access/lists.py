"""Row lists behind the numbers, each with a limit: overdue pending dossiers, overdue
tasks, tasks due within N days. Small results, returned as DataFrames for the pages.

A list returns at most `limit` rows (and never more than the `row_limit` setting). So
that its caller can say "showing the first N of M", each frame carries the number of
rows its query matches in `frame.attrs["total"]`: a `COUNT(*)` over the same FROM and
WHERE (scope included, every value bound), run only when the list came back full.
`row_count(frame)` reads it as a `RowCount(shown, total)` with `capped`. Keeping it on
the frame leaves every caller unchanged: pandas keeps `attrs` through selecting,
renaming, copying and the pickling of `st.cache_data`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from . import settings
from .db import Database
from .measures import due_within_filter, tasks_open_at, tasks_scope, unit_filter
from .model import Period, Scope, cutoff
from .schema import dossiers as D
from .schema import procedures as P
from .schema import tasks as T
from .schema import units as U
from .sqlfn import Sql

DEFAULT_LIMIT = 500
TOTAL = "total"                      # the frame.attrs key of the rows the query matches


@dataclass(frozen=True)
class RowCount:
    """How many rows a list shows and how many its query matched."""

    shown: int
    total: int

    @property
    def capped(self) -> bool:
        """True when the list was cut at its limit: more rows match than it holds."""
        return self.total > self.shown


def row_count(frame: pd.DataFrame | None) -> RowCount:
    """The shown and total rows of a list of this module (a frame without a total, or
    None, counts as complete)."""
    if frame is None:
        return RowCount(0, 0)
    shown = len(frame)
    total = frame.attrs.get(TOTAL)
    return RowCount(shown, shown if total is None else max(int(total), shown))


def with_total(frame: pd.DataFrame, total: int) -> pd.DataFrame:
    """`frame` marked with the number of rows its query matched."""
    frame.attrs[TOTAL] = max(int(total), len(frame))
    return frame


def _cap(limit: int) -> int:
    return max(0, min(int(limit), settings.get("row_limit")))


def _frame(rows, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def _total(db: Database, frame: pd.DataFrame, cap: int, from_, where: list) -> pd.DataFrame:
    """Mark `frame` with its total: its length when the list came back short of its cap,
    else a COUNT(*) over the same FROM and WHERE."""
    if len(frame) < cap:
        return with_total(frame, len(frame))
    count = db.scalar(sa.select(sa.func.count()).select_from(from_).where(*where))
    return with_total(frame, int(count or 0))


def overdue_pending_dossiers(db: Database, as_of: dt.datetime, scope: Scope, limit: int = DEFAULT_LIMIT,
                             period: Period | None = None) -> pd.DataFrame:
    """Dossiers pending at T with `due_at < T`, longest overdue first; for a period, at its
    cut-off (the rows behind its `procedures.pending_overdue`)."""
    if period is not None:
        as_of = cutoff(period, as_of)
    sql = Sql(db.dialect)
    columns = ["id", "unit_code", "procedure_code", "procedure_name_vi", "procedure_name_en",
               "received_at", "due_at", "days_overdue", "status", "channel"]
    where = [
        sql.before_day(D.c.received_at, as_of.date() + dt.timedelta(days=1)),
        sql.before_or_at(D.c.received_at, as_of),
        sa.or_(D.c.finished_at.is_(None), sql.after(D.c.finished_at, as_of)),
        sql.before(D.c.due_at, as_of),
    ]
    where += unit_filter(D.c.unit_code, scope)
    cap = _cap(limit)
    stmt = (
        sa.select(
            D.c.id, D.c.unit_code, D.c.procedure_code, P.c.name_vi, P.c.name_en,
            sql.ts_text(D.c.received_at), sql.ts_text(D.c.due_at),
            sql.days_from_moment(as_of, D.c.due_at), D.c.status, D.c.channel,
        )
        .select_from(D.outerjoin(P, P.c.code == D.c.procedure_code))
        .where(*where)
        .order_by(sql.ts(D.c.due_at), D.c.id)
        .limit(cap)
    )
    frame = _frame(db.execute(stmt, limit=limit), columns)
    frame = _typed(frame, timestamps=("received_at", "due_at"), floats=("days_overdue",))
    # The outer join to `procedures` (on its primary key) neither adds nor drops a dossier.
    return _total(db, frame, cap, D, where)


def _task_columns(sql: Sql, as_of: dt.datetime):
    return [
        T.c.id, T.c.ref, T.c.title_vi, T.c.title_en, T.c.source, T.c.category, T.c.lead_unit_code,
        sql.ts_text(T.c.assigned_at), sql.date_text(T.c.due_date), T.c.progress_pct, T.c.priority,
    ]


TASK_COLUMNS = ["id", "ref", "title_vi", "title_en", "source", "category", "lead_unit_code",
                "assigned_at", "due_date", "progress_pct", "priority"]


def overdue_tasks(db: Database, as_of: dt.datetime, scope: Scope, limit: int = DEFAULT_LIMIT,
                  period: Period | None = None) -> pd.DataFrame:
    """Open tasks past their deadline at T, with whole days overdue; optionally only the
    population of a period (the rows behind `tasks.in_progress_overdue`), then as at the
    period's cut-off, as that figure is."""
    sql = Sql(db.dialect)
    if period is not None:
        as_of = cutoff(period, as_of)
    today = as_of.date()
    due = sql.date_column(T.c.due_date)
    where = [
        sql.before_or_at(T.c.assigned_at, as_of), sa.not_(T.c.cancelled), tasks_open_at(sql, as_of),
        T.c.due_date.is_not(None), due < sql.date_value(today), *tasks_scope(scope),
    ]
    if period is not None:
        where.append(sql.in_window(T.c.assigned_at, period.start, period.end, as_of))
    cap = _cap(limit)
    stmt = (
        sa.select(*_task_columns(sql, as_of), sql.date_diff(today, T.c.due_date))
        .where(*where).order_by(due, T.c.id).limit(cap)
    )
    frame = _frame(db.execute(stmt, limit=limit), TASK_COLUMNS + ["days_overdue"])
    frame = _typed(frame, timestamps=("assigned_at",), dates=("due_date",), ints=("days_overdue",))
    return _total(db, frame, cap, T, where)


def tasks_due_within(db: Database, as_of: dt.datetime, scope: Scope, days: int, limit: int = DEFAULT_LIMIT) -> pd.DataFrame:
    """Open tasks with `d < due_date <= d + days`, soonest first, with days left (the
    rows `tasks.due_within_by_unit` counts)."""
    sql = Sql(db.dialect)
    today = as_of.date()
    where = due_within_filter(sql, as_of, scope, days)
    cap = _cap(limit)
    stmt = (
        sa.select(*_task_columns(sql, as_of))
        .where(*where)
        .order_by(sql.date_column(T.c.due_date), T.c.id).limit(cap)
    )
    frame = _typed(_frame(db.execute(stmt, limit=limit), TASK_COLUMNS), timestamps=("assigned_at",), dates=("due_date",))
    frame["days_left"] = [(d - today).days for d in frame["due_date"]] if len(frame) else pd.Series(dtype="int64")
    return _total(db, frame, cap, T, where)


def _typed(frame: pd.DataFrame, timestamps=(), dates=(), floats=(), ints=()) -> pd.DataFrame:
    for col in timestamps:
        frame[col] = pd.to_datetime(frame[col], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    for col in dates:
        frame[col] = [dt.date.fromisoformat(v) if isinstance(v, str) and v else None for v in frame[col]]
    for col in floats:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    for col in ints:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    return frame


def unit_names(db: Database) -> dict[str, tuple[str, str]]:
    """Units that answer for work (the ministry itself left out): code → (Vietnamese,
    English) name, in Vietnamese order."""
    rows = db.execute(sa.select(U.c.code, U.c.name_vi, U.c.name_en, U.c.kind).order_by(U.c.name_vi), limit=None)
    return {code: (vi, en or vi) for code, vi, en, kind in rows if kind != "ministry"}
