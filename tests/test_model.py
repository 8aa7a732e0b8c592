"""Periods, the previous equal-length period, scopes and the frozen clock."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.model import Period, Scope, now, previous_window

d = dt.date


def test_previous_period_has_the_same_length_and_ends_the_day_before():
    assert Period(d(2026, 1, 1), d(2026, 6, 30)).previous() == Period(d(2025, 7, 4), d(2025, 12, 31))
    assert Period(d(2026, 3, 1), d(2026, 3, 31)).previous() == Period(d(2026, 1, 29), d(2026, 2, 28))
    assert Period.year(2026).days == 365 and Period.year(2024).days == 366


def test_previous_window_cuts_at_the_same_point_of_the_period():
    prev, as_of = previous_window(Period.year(2026), dt.datetime(2026, 11, 23, 9, 30))
    assert prev == Period(d(2025, 1, 1), d(2025, 12, 31))
    assert as_of == dt.datetime(2025, 11, 23, 9, 30)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(d(2026, 7, 1), d(2026, 6, 30))


def test_scope_is_the_ministry_or_one_unit():
    assert Scope.ministry().is_ministry and Scope.ministry().unit is None
    assert Scope.of_unit("KS").unit == "KS"
    with pytest.raises(ValueError):
        Scope.of_unit("")


def test_the_clock_can_be_frozen(monkeypatch):
    monkeypatch.setenv("IOC_AS_OF", "2026-06-20 14:30")
    assert now() == dt.datetime(2026, 6, 20, 14, 30)
