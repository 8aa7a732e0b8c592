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
