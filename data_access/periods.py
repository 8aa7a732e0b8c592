"""Named reporting periods: calendar ones and the Government reporting periods of
Decree 09/2019/NĐ-CP (data from the 15th of the previous period's last month to the 14th)."""

from __future__ import annotations

import datetime as dt

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
