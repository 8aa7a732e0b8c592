"""Reporting period presets, including Decree 09/2019's 15th-to-14th periods."""

import datetime as dt

import pytest

from data_access.model import Period
from data_access.periods import month_keys, preset, trailing_months

d = dt.date


@pytest.mark.parametrize("code, today, expected", [
    ("month", d(2026, 2, 10), (d(2026, 2, 1), d(2026, 2, 28))),
    ("month", d(2024, 2, 10), (d(2024, 2, 1), d(2024, 2, 29))),
    ("quarter", d(2026, 11, 23), (d(2026, 10, 1), d(2026, 12, 31))),
    ("quarter", d(2026, 4, 1), (d(2026, 4, 1), d(2026, 6, 30))),
    ("h1", d(2026, 11, 23), (d(2026, 1, 1), d(2026, 6, 30))),
    ("year", d(2026, 11, 23), (d(2026, 1, 1), d(2026, 12, 31))),
    ("last_year", d(2026, 11, 23), (d(2025, 1, 1), d(2025, 12, 31))),
    ("gov_h1", d(2026, 11, 23), (d(2025, 12, 15), d(2026, 6, 14))),
    ("gov_year", d(2026, 11, 23), (d(2025, 12, 15), d(2026, 12, 14))),
    ("gov_year", d(2026, 12, 14), (d(2025, 12, 15), d(2026, 12, 14))),
    ("gov_year", d(2026, 12, 15), (d(2026, 12, 15), d(2027, 12, 14))),
])
def test_presets(code, today, expected):
    assert preset(code, today) == Period(*expected)


def test_trailing_twelve_months_and_their_keys():
    window = trailing_months(d(2026, 11, 23))
    assert window == Period(d(2025, 12, 1), d(2026, 11, 30))
    keys = month_keys(window)
    assert len(keys) == 12 and keys[0] == "2025-12" and keys[-1] == "2026-11"


# --- the comparison periods of the cards ------------------------------------------------------
from data_access.periods import (  # noqa: E402
    LAST_YEAR, PREVIOUS, add_months, comparisons, month_step, previous_period, same_period_last_year,
)

T = dt.datetime


def test_a_month_still_running_compares_with_the_same_elapsed_part_of_the_previous_month_and_of_last_year():
    """2 December 10:00, "this month" (1 December 00:00 – 2 December 10:00): 1 November
    00:00 – 2 November 10:00, and 1 December 2025 00:00 – 2 December 2025 10:00."""
    as_of = T(2026, 12, 2, 10, 0)
    both = comparisons(preset("month", as_of.date()), as_of)
    prev, last = both[PREVIOUS], both[LAST_YEAR]
    assert (prev.period, prev.as_of, prev.through, prev.partial) == (
        Period(d(2026, 11, 1), d(2026, 11, 30)), T(2026, 11, 2, 10, 0), T(2026, 11, 2, 10, 0), True)
    assert (last.period, last.as_of, last.partial) == (Period(d(2025, 12, 1), d(2025, 12, 31)), T(2025, 12, 2, 10, 0), True)


@pytest.mark.parametrize("code, previous, prev_as_of, last_year, last_as_of", [
    # a quarter two months and a day in: the previous quarter to 2 September
    ("quarter", (d(2026, 7, 1), d(2026, 9, 30)), T(2026, 9, 2, 10), (d(2025, 10, 1), d(2025, 12, 31)), T(2025, 12, 2, 10)),
    # the year so far: last year to the same day, which is also its previous period
    ("year", (d(2025, 1, 1), d(2025, 12, 31)), T(2025, 12, 2, 10), (d(2025, 1, 1), d(2025, 12, 31)), T(2025, 12, 2, 10)),
    # Decree 09's year (15 December to 14 December) steps back twelve months
    ("gov_year", (d(2024, 12, 15), d(2025, 12, 14)), T(2025, 12, 2, 10), (d(2024, 12, 15), d(2025, 12, 14)),
     T(2025, 12, 2, 10)),
    # a period already over is compared with whole periods (the as-of is past their end)
    ("h1", (d(2025, 7, 1), d(2025, 12, 31)), T(2026, 12, 2, 10), (d(2025, 1, 1), d(2025, 6, 30)), T(2026, 12, 2, 10)),
    ("gov_h1", (d(2025, 6, 15), d(2025, 12, 14)), T(2026, 12, 2, 10), (d(2024, 12, 15), d(2025, 6, 14)),
     T(2026, 12, 2, 10)),
    ("last_year", (d(2024, 1, 1), d(2024, 12, 31)), T(2026, 12, 2, 10), (d(2024, 1, 1), d(2024, 12, 31)),
     T(2026, 12, 2, 10)),
])
def test_each_preset_compares_with_the_previous_period_of_its_kind_and_the_same_dates_last_year(
        code, previous, prev_as_of, last_year, last_as_of):
    as_of = T(2026, 12, 2, 10)
    period = preset(code, as_of.date())
    prev, last = previous_period(period, as_of), same_period_last_year(period, as_of)
    assert (prev.period, prev.as_of) == (Period(*previous), prev_as_of)
    assert (last.period, last.as_of) == (Period(*last_year), last_as_of)
    assert prev.partial == last.partial == (code in ("quarter", "year", "gov_year"))
    if not prev.partial:                      # a whole period: through its last day
        assert prev.through == T.combine(prev.period.end, dt.time.max)


def test_the_29th_of_february_is_the_28th_a_year_earlier_and_a_whole_february_stays_whole():
    leap_day = T(2028, 2, 29, 9, 0)
    last = same_period_last_year(preset("month", leap_day.date()), leap_day)
    assert (last.period, last.as_of) == (Period(d(2027, 2, 1), d(2027, 2, 28)), T(2027, 2, 28, 9, 0))
    # February 2029 compares with the whole of February 2028, its 29th included
    assert same_period_last_year(Period(d(2029, 2, 1), d(2029, 2, 28)), T(2029, 3, 5)).period == \
        Period(d(2028, 2, 1), d(2028, 2, 29))
    # a range of days starting on a 29th of February starts on the 28th a year earlier
    assert same_period_last_year(Period(d(2028, 2, 29), d(2028, 3, 10)), T(2028, 5, 1)).period == \
        Period(d(2027, 2, 28), d(2027, 3, 10))


def test_the_last_days_of_a_long_month_compare_with_the_last_day_of_a_shorter_one():
    prev = previous_period(Period(d(2026, 3, 1), d(2026, 3, 31)), T(2026, 3, 31, 9, 0))
    assert (prev.period, prev.as_of) == (Period(d(2026, 2, 1), d(2026, 2, 28)), T(2026, 2, 28, 9, 0))


def test_a_custom_range_compares_with_the_same_number_of_days_just_before_it():
    period = Period(d(2026, 3, 5), d(2026, 3, 20))               # 16 days, five and a bit elapsed
    prev = previous_period(period, T(2026, 3, 10, 9, 0))
    assert (prev.period, prev.as_of, prev.partial) == (Period(d(2026, 2, 17), d(2026, 3, 4)), T(2026, 2, 22, 9, 0), True)
    last = same_period_last_year(period, T(2026, 3, 10, 9, 0))
    assert (last.period, last.as_of) == (Period(d(2025, 3, 5), d(2025, 3, 20)), T(2025, 3, 10, 9, 0))


def test_whole_months_and_calendar_steps():
    assert month_step(Period(d(2026, 1, 1), d(2026, 3, 31))) == 3
    assert month_step(Period(d(2025, 12, 15), d(2026, 6, 14))) == 6
    assert month_step(Period(d(2026, 3, 5), d(2026, 3, 20))) is None
    assert add_months(d(2026, 3, 31), -1) == d(2026, 2, 28)
    assert add_months(d(2026, 1, 15), -13) == d(2024, 12, 15)
