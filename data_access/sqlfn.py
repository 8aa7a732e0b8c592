"""Portable SQL expressions for the few places where SQLite, PostgreSQL and
MySQL/MariaDB differ: timestamps, dates, day arithmetic, month keys.

On SQLite a timestamp is text written by whatever system fills the source, with or
without fractions of a second and with a space or a `T`. Text comparison of mixed forms
is wrong ('…:59' < '…:59.000'), so exact comparisons go through a normalised form
(`strftime('%Y-%m-%d %H:%M:%f')`, millisecond precision); whole-day bounds compare the raw
text against a 'YYYY-MM-DD' prefix, which is exact for every form and keeps the
indexes usable.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement

_NORMAL_TS = "%Y-%m-%d %H:%M:%f"
# Periods longer than this are scanned rather than looked up through an index on SQLite.
SQLITE_SCAN_AFTER_DAYS = 92


def end_of_day(moment: dt.datetime) -> bool:
    """Whether `moment` stands for the end of its day (`dt.time.max`, a period's cut-off):
    compared as "before the next midnight", which is exact for timestamps of any
    precision and keeps day bounds index-friendly."""
    return moment.time() == dt.time.max


def count_if(condition: ColumnElement) -> ColumnElement:
    return func.coalesce(func.sum(sa.case((condition, 1), else_=0)), 0)


class Sql:
    def __init__(self, dialect: str):
        self.dialect = "mysql" if dialect == "mariadb" else dialect

    @property
    def sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def count_if(self, condition: ColumnElement) -> ColumnElement:
        """Rows meeting `condition`; PostgreSQL's `FILTER` skips the others without a call."""
        if self.dialect == "postgresql":
            return func.count().filter(condition)
        return count_if(condition)

    # --- timestamps -------------------------------------------------------------------
    def ts(self, column: ColumnElement) -> ColumnElement:
        """A timestamp column in a form that compares exactly."""
        if self.sqlite:
            return func.strftime(_NORMAL_TS, column, type_=sa.String)
        return column

    def ts_value(self, value: dt.datetime) -> ColumnElement:
        if self.sqlite:
            text = value.strftime("%Y-%m-%d %H:%M:%S") + f".{value.microsecond // 1000:03d}"
            return sa.literal(text, sa.String)
        return sa.literal(value, sa.DateTime)

    # On SQLite, parsing a timestamp costs far more than comparing text: rows whose day
    # (the 'YYYY-MM-DD' prefix) differs from the moment's are decided by the prefix, and
    # only rows on the moment's own day go through the exact normalised comparison.
    def _day_bounds(self, moment: dt.datetime):
        day = moment.date()
        return (sa.literal(day.isoformat(), sa.String),
                sa.literal((day + dt.timedelta(days=1)).isoformat(), sa.String))

    def before_or_at(self, column: ColumnElement, moment: dt.datetime) -> ColumnElement:
        """`column <= moment`, exact."""
        if end_of_day(moment):
            return self.before_day(column, moment.date() + dt.timedelta(days=1))
        if self.sqlite:
            raw, (day, next_day) = sa.type_coerce(column, sa.String), self._day_bounds(moment)
            return sa.or_(raw < day, sa.and_(raw < next_day, self.ts(column) <= self.ts_value(moment)))
        return column <= self.ts_value(moment)

    def after(self, column: ColumnElement, moment: dt.datetime) -> ColumnElement:
        """`column > moment`, exact."""
        if end_of_day(moment):
            return self.on_or_after_day(column, moment.date() + dt.timedelta(days=1))
        if self.sqlite:
            raw, (day, next_day) = sa.type_coerce(column, sa.String), self._day_bounds(moment)
            return sa.or_(raw >= next_day, sa.and_(raw >= day, self.ts(column) > self.ts_value(moment)))
        return column > self.ts_value(moment)

    def before(self, column: ColumnElement, moment: dt.datetime) -> ColumnElement:
        """`column < moment`, exact (before a day's end: before the next midnight)."""
        if end_of_day(moment):
            return self.before_day(column, moment.date() + dt.timedelta(days=1))
        if self.sqlite:
            raw, (day, next_day) = sa.type_coerce(column, sa.String), self._day_bounds(moment)
            return sa.or_(raw < day, sa.and_(raw < next_day, self.ts(column) < self.ts_value(moment)))
        return column < self.ts_value(moment)

    def likely(self, condition: ColumnElement) -> ColumnElement:
        """`condition`, marked as true for most rows on SQLite (`likely()`): its planner has
        no histograms, and would otherwise drive a query by an index on a near-universal
        range (every dossier received before T) rather than the selective one."""
        return sa.func.likely(condition) if self.sqlite else condition

    def on_or_after_day(self, column: ColumnElement, day: dt.date) -> ColumnElement:
        """`column >= day 00:00:00`, index-friendly."""
        if self.sqlite:
            return sa.type_coerce(column, sa.String) >= sa.literal(day.isoformat(), sa.String)
        return column >= sa.literal(dt.datetime.combine(day, dt.time()), sa.DateTime)

    def before_day(self, column: ColumnElement, day: dt.date) -> ColumnElement:
        """`column < day 00:00:00`, index-friendly."""
        if self.sqlite:
            return sa.type_coerce(column, sa.String) < sa.literal(day.isoformat(), sa.String)
        return column < sa.literal(dt.datetime.combine(day, dt.time()), sa.DateTime)

    def in_window(self, column: ColumnElement, start: dt.date, end: dt.date, as_of: dt.datetime) -> ColumnElement:
        """`column` within whole days [start, end] and not after the as-of moment."""
        next_day = end + dt.timedelta(days=1)
        bounded = column
        if self.sqlite and (next_day - start).days > SQLITE_SCAN_AFTER_DAYS:
            # Without statistics SQLite takes the index for any range, then fetches each
            # row at random; over months of dossiers one sequential scan is several times
            # faster. `|| ''` leaves the text as it is and keeps the index out.
            bounded = column.concat("")
        parts = [self.on_or_after_day(bounded, start)]
        if as_of >= dt.datetime.combine(end, dt.time.max):
            parts.append(self.before_day(bounded, next_day))
        elif self.sqlite:
            # The day bound stays: SQLite's exact as-of test is not an index range.
            parts += [self.before_day(bounded, next_day), self.before_or_at(bounded, as_of)]
        else:
            parts.append(self.before_or_at(bounded, as_of))     # implies the day bound
        return sa.and_(*parts)

    def le_columns(self, left: ColumnElement, right: ColumnElement) -> ColumnElement:
        """`left <= right` for two timestamp columns, exact to the millisecond."""
        if self.sqlite:
            # julianday() is SQLite's integer milliseconds divided by a constant: monotonic,
            # equal for equal instants whatever the text form, and NULL for unreadable text.
            return func.julianday(left) <= func.julianday(right)
        return left <= right

    # --- numbers ----------------------------------------------------------------------
    def number(self, column: ColumnElement) -> ColumnElement:
        """A numeric column read defensively: NULL where the value is not a number. Only
        SQLite can hold text in a numeric column (its types are affinities); there, text
        would otherwise compare greater than any number and fail Python's arithmetic."""
        if self.sqlite:
            return sa.case((func.typeof(column).in_(["integer", "real"]), column), else_=None)
        return column

    # --- dates ------------------------------------------------------------------------
    def date_of(self, column: ColumnElement) -> ColumnElement:
        """The calendar date of a timestamp, or a date column in comparable form."""
        if self.sqlite:
            return func.date(column, type_=sa.String)
        if self.dialect == "postgresql":
            return sa.cast(column, sa.Date)
        return func.date(column, type_=sa.Date)

    def date_value(self, value: dt.date) -> ColumnElement:
        if self.sqlite:
            return sa.literal(value.isoformat(), sa.String)
        return sa.literal(value, sa.Date)

    def date_column(self, column: ColumnElement) -> ColumnElement:
        """A DATE column; SQLite sources may have written it with a time part."""
        if self.sqlite:
            return func.date(column, type_=sa.String)
        return column

    # --- arithmetic -------------------------------------------------------------------
    def days_between(self, later: ColumnElement, earlier: ColumnElement) -> ColumnElement:
        """Fractional days from one timestamp to another."""
        if self.sqlite:
            return func.julianday(later) - func.julianday(earlier)
        if self.dialect == "postgresql":
            return func.extract("epoch", later - earlier) / 86400.0
        return func.timestampdiff(sa.text("MICROSECOND"), earlier, later) / 86400000000.0

    def elapsed_total(self, later: ColumnElement, earlier: ColumnElement,
                      where: ColumnElement | None = None) -> ColumnElement:
        """An aggregate: the time from `earlier` to `later` summed over the rows (those
        meeting `where`), exactly
        (whole milliseconds on SQLite, whose timestamps carry no more), so that a mean is
        the same whatever order the engine adds the rows in. Read with `elapsed_days`."""
        if self.sqlite:
            # Whole milliseconds as floats: their sum stays exact below 2^53 ms. The rows
            # left out by `where` parse no timestamp.
            millis = func.round((func.julianday(later) - func.julianday(earlier)) * 86400000)
            return func.sum(millis if where is None else sa.case((where, millis), else_=None))
        if self.dialect == "postgresql":
            total = func.sum(later - earlier, type_=sa.Interval)      # an interval sum: exact, and cheap
            return total if where is None else total.filter(where)
        micros = func.timestampdiff(sa.text("MICROSECOND"), earlier, later)
        return func.sum(micros if where is None else sa.case((where, micros), else_=None))

    def elapsed_micros(self, value: Any) -> int:
        """An `elapsed_total` as whole microseconds (0 for no rows)."""
        if value is None:
            return 0
        if isinstance(value, dt.timedelta):
            return (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
        return int(round(value)) * 1000 if self.sqlite else int(value)

    def days_from_moment(self, moment: dt.datetime, earlier: ColumnElement) -> ColumnElement:
        if self.sqlite:
            return func.julianday(self.ts_value(moment)) - func.julianday(earlier)
        return self.days_between(self.ts_value(moment), earlier)

    def date_diff(self, later: dt.date, earlier_column: ColumnElement) -> ColumnElement:
        """Whole days from a date column to a given date."""
        if self.sqlite:
            return sa.cast(func.julianday(self.date_value(later)) - func.julianday(func.date(earlier_column)), sa.Integer)
        if self.dialect == "postgresql":
            return self.date_value(later) - earlier_column
        return func.datediff(self.date_value(later), earlier_column)

    def month_key(self, column: ColumnElement) -> ColumnElement:
        """'YYYY-MM' of a timestamp or date."""
        if self.sqlite:
            return func.substr(column, 1, 7, type_=sa.String)
        if self.dialect == "postgresql":
            return func.to_char(column, "YYYY-MM", type_=sa.String)
        return func.date_format(column, "%Y-%m", type_=sa.String)

    def month_group(self, column: ColumnElement) -> ColumnElement:
        """The month of a timestamp in the form cheapest to group by (read with
        `month_label`): `to_char` on every row of a year costs PostgreSQL seconds."""
        if self.dialect == "postgresql":
            return func.date_trunc("month", column, type_=sa.DateTime)
        if self.dialect == "mysql":
            return sa.extract("year_month", column)
        return self.month_key(column)

    def month_label(self, value: Any) -> str | None:
        """'YYYY-MM' of a `month_group` value."""
        if value is None:
            return None
        if isinstance(value, (dt.date, dt.datetime)):
            return f"{value.year:04d}-{value.month:02d}"
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit() and len(value) == 6):
            number = int(value)
            return f"{number // 100:04d}-{number % 100:02d}"
        return str(value)

    def ts_text(self, column: ColumnElement) -> ColumnElement:
        """A timestamp as 'YYYY-MM-DD HH:MM:SS' text, for row lists read by people."""
        if self.sqlite:
            return func.strftime("%Y-%m-%d %H:%M:%S", column, type_=sa.String)
        if self.dialect == "postgresql":
            return func.to_char(column, "YYYY-MM-DD HH24:MI:SS", type_=sa.String)
        return func.date_format(column, "%Y-%m-%d %H:%i:%s", type_=sa.String)

    def date_text(self, column: ColumnElement) -> ColumnElement:
        if self.sqlite:
            return func.date(column, type_=sa.String)
        if self.dialect == "postgresql":
            return func.to_char(column, "YYYY-MM-DD", type_=sa.String)
        return func.date_format(column, "%Y-%m-%d", type_=sa.String)
