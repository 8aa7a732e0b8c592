"""Named reporting periods: calendar ones and the Government reporting periods of
Decree 09/2019/NĐ-CP (data from the 15th of the previous period's last month to the 14th)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Period

PRESETS = ("month", "quarter", "h1", "year", "last_year", "gov_h1", "gov_year", "custom")
DEFAULT_PRESET = "year"


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def gov_year_of(day: dt.date) -> int:
    """The Decree 09 reporting year containing `day` (15 Dec of Y-1 to 14 Dec of Y)."""
    return day.year + 1 if day >= dt.date(day.year, 12, 15) else day.year


def preset(code: str, today: dt.date) -> Period:
    """The period a preset names, seen from `today`. `custom` has no preset range."""
    y, m = today.year, today.month
    if code == "month":
        return Period(dt.date(y, m, 1), _month_end(y, m))
    if code == "quarter":
        first = 3 * ((m - 1) // 3) + 1
        return Period(dt.date(y, first, 1), _month_end(y, first + 2))
    if code == "h1":
        return Period.half_year(y)
    if code == "year":
        return Period.year(y)
    if code == "last_year":
        return Period.year(y - 1)
    if code == "gov_h1":
        gy = gov_year_of(today)
        return Period(dt.date(gy - 1, 12, 15), dt.date(gy, 6, 14))
    if code == "gov_year":
        gy = gov_year_of(today)
        return Period(dt.date(gy - 1, 12, 15), dt.date(gy, 12, 14))
    raise ValueError(f"unknown period preset {code!r}")


def trailing_months(as_of: dt.date, months: int = 12) -> Period:
    """Whole calendar months ending with the month of `as_of` (for trend lines)."""
    y, m = as_of.year, as_of.month - (months - 1)
    while m <= 0:
        y, m = y - 1, m + 12
    return Period(dt.date(y, m, 1), _month_end(as_of.year, as_of.month))


def month_keys(period: Period) -> list[str]:
    keys, y, m = [], period.start.year, period.start.month
    while (y, m) <= (period.end.year, period.end.month):
        keys.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return keys


# --- the comparison periods of a card ------------------------------------------------------
#
# A card compares its period with the previous period and with the same period last year.
# Both must compare like with like, also while the current period is still running: on
# 2 December at 10:00, "this month" holds 1 December 00:00 to 2 December 10:00, so the
# previous period is 1 November 00:00 to 2 November 10:00 — the same elapsed part of the
# previous month, not the whole of November (34 hours against 30 days) and not the 34
# hours just before (31 October and 1 November). The same period last year is the same
# dates one year earlier, 1 December 2025 00:00 to 2 December 2025 10:00.
#
# "The same elapsed part" is counted in the calendar, not in hours: a period of whole
# months (a month, a quarter, a half-year, a year, Decree 09's 15th-to-14th periods) steps
# back by its number of months, and the moment it has reached steps back the same months
# with the same day of the month and time of day (31 March 10:00 → 28 February 10:00, the
# last day of the shorter month; 29 February → 28 February a year earlier). Any other
# period (a custom range) steps back by its length in days, its moment by the same days.
# A period already over is compared with the whole of the other period.

PREVIOUS, LAST_YEAR = "previous", "last_year"
COMPARISONS = (PREVIOUS, LAST_YEAR)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by `months` calendar months, on the same day of the month or, when that
    month is shorter, its last day (31 March − 1 month = 28 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, _month_end(year, month + 1).day))


def month_step(period: Period) -> int | None:
    """The number of whole months `period` spans when it runs from a day of one month to
    the day before the same day N months later (1 Jan–31 Mar: 3; 15 Dec–14 Jun: 6), or
    None (a range of days that is not)."""
    after = period.end + dt.timedelta(days=1)
    months = (after.year - period.start.year) * 12 + after.month - period.start.month
    if months < 1 or period.start.day > 28 or add_months(period.start, months) != after:
        return None
    return months


def _end_instant(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max)


def is_partial(period: Period, as_of: dt.datetime) -> bool:
    """Whether `period` is still running at `as_of` (begun and not yet over)."""
    return dt.datetime.combine(period.start, dt.time.min) <= as_of < _end_instant(period.end)


@dataclass(frozen=True)
class Comparison:
    """A period a card compares with: the whole `period`, and the moment `as_of` its
    figures are taken as of, the same elapsed point as the current period's."""

    kind: str                     # PREVIOUS or LAST_YEAR
    period: Period
    as_of: dt.datetime
    partial: bool                 # cut at the elapsed point of a current period still running

    @property
    def through(self) -> dt.datetime:
        """The last moment the comparison covers: its as-of, or its period's end."""
        return min(self.as_of, _end_instant(self.period.end))


def _step_moment(as_of: dt.datetime, months: int | None, days: int) -> dt.datetime:
    if months is None:
        return as_of - dt.timedelta(days=days)
    return dt.datetime.combine(add_months(as_of.date(), -months), as_of.time())


def previous_period(period: Period, as_of: dt.datetime) -> Comparison:
    """The period before `period` (the previous month, quarter, half-year, year or Decree
    09 period; the equal number of days before a custom range), as of the same elapsed
    point while `period` is running."""
    months = month_step(period)
    if months is None:
        prev = period.previous()
    else:
        prev = Period(add_months(period.start, -months), period.start - dt.timedelta(days=1))
    partial = is_partial(period, as_of)
    moment = min(_step_moment(as_of, months, period.days), _end_instant(prev.end)) if partial else as_of
    return Comparison(PREVIOUS, prev, moment, partial)


def same_period_last_year(period: Period, as_of: dt.datetime) -> Comparison:
    """The same dates one year earlier (29 February → 28 February; a period of whole
    months keeps whole months: February 2029 → February 2028, to the 29th), as of the
    same elapsed point while `period` is running."""
    if month_step(period) is not None:
        earlier = Period(add_months(period.start, -12),
                         add_months(period.end + dt.timedelta(days=1), -12) - dt.timedelta(days=1))
    else:
        earlier = Period(add_months(period.start, -12), add_months(period.end, -12))
    partial = is_partial(period, as_of)
    moment = min(_step_moment(as_of, 12, 0), _end_instant(earlier.end)) if partial else as_of
    return Comparison(LAST_YEAR, earlier, moment, partial)


def comparisons(period: Period, as_of: dt.datetime) -> dict[str, Comparison]:
    """Both comparison periods of a card, by kind."""
    return {PREVIOUS: previous_period(period, as_of), LAST_YEAR: same_period_last_year(period, as_of)}
