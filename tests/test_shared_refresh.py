"""Figures shared by every screen: a screen shows the last complete figures at once and
never waits for a refresh; one refresh per view runs in the background for all screens."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from data_access.access import Principal
from data_access.db import SourceError
from ui import data

T1 = dt.datetime(2026, 11, 30, 10, 0)
T2 = T1 + dt.timedelta(minutes=1)


@pytest.fixture
def leader(monkeypatch):
    monkeypatch.setattr(data, "principal", lambda: Principal("lanhdao", "leader"))
    data.clear_caches()
    yield
    data.wait_for_refreshes()
    data.clear_caches()


def counted(release: threading.Event | None = None, fail: list | None = None):
    calls: list[dt.datetime] = []

    @data.live
    def figure(start: dt.date, *, as_of: dt.datetime) -> str:
        calls.append(as_of)
        if release is not None and len(calls) > 1:
            assert release.wait(10)
        if fail:
            raise SourceError("tasks", fail[0])
        return f"figures as of {as_of:%H:%M}"

    return figure, calls


def test_a_newer_moment_is_served_from_the_last_figures_while_one_refresh_runs(leader):
    release = threading.Event()
    figure, calls = counted(release)
    first = figure(dt.date(2026, 1, 1), as_of=T1)
    assert (first.value, first.read_at) == ("figures as of 10:00", T1)

    # Three screens open at the next minute: none waits, all see 10:00 with its moment.
    seen = [figure(dt.date(2026, 1, 1), as_of=T2) for _ in range(3)]
    assert [(o.value, o.read_at, o.ok) for o in seen] == [("figures as of 10:00", T1, True)] * 3
    release.set()
    data.wait_for_refreshes()
    assert calls == [T1, T2]                 # one refresh for every screen that asked

    after = figure(dt.date(2026, 1, 1), as_of=T2)
    assert (after.value, after.read_at) == ("figures as of 10:01", T2)
    assert calls == [T1, T2]


def test_a_view_never_asked_for_is_computed_while_the_screen_waits(leader):
    figure, calls = counted()
    figure(dt.date(2026, 1, 1), as_of=T1)
    other = figure(dt.date(2025, 1, 1), as_of=T2)
    assert (other.value, other.read_at) == ("figures as of 10:01", T2)
    assert calls == [T1, T2]


def test_figures_older_than_the_stale_limit_are_not_shown(leader):
    figure, calls = counted()
    figure(dt.date(2026, 1, 1), as_of=T1)
    later = T1 + data.STALE_LIMIT + dt.timedelta(minutes=1)
    got = figure(dt.date(2026, 1, 1), as_of=later)
    assert got.read_at == later and calls == [T1, later]


def test_an_earlier_moment_is_computed_for_itself(leader):
    figure, calls = counted()
    figure(dt.date(2026, 1, 1), as_of=T2)
    got = figure(dt.date(2026, 1, 1), as_of=T1)
    assert got.read_at == T1 and calls == [T2, T1]


def test_a_refresh_that_fails_keeps_the_last_figures_and_names_the_source(leader):
    fail: list = []
    figure, calls = counted(fail=fail)
    figure(dt.date(2026, 1, 1), as_of=T1)
    fail.append("connection refused")
    stale = figure(dt.date(2026, 1, 1), as_of=T2)        # served, refresh in the background
    assert stale.ok and stale.read_at == T1
    data.wait_for_refreshes()
    got = figure(dt.date(2026, 1, 1), as_of=T2)          # the failure is tried again, and said
    assert (got.value, got.read_at, got.failed_source, got.stale) == ("figures as of 10:00", T1, "tasks", True)
    assert got.message == "connection refused"


def test_a_late_refresh_never_replaces_newer_figures(leader):
    release, started = threading.Event(), threading.Event()
    calls: list[dt.datetime] = []

    @data.live
    def figure(start: dt.date, *, as_of: dt.datetime) -> str:
        calls.append(as_of)
        if as_of == T2:                                    # the background refresh, held back
            started.set()
            assert release.wait(10)
        return f"figures as of {as_of:%H:%M}"

    figure(dt.date(2026, 1, 1), as_of=T1)
    figure(dt.date(2026, 1, 1), as_of=T2)                   # the refresh for 10:01 starts …
    assert started.wait(10)
    much_later = T1 + data.STALE_LIMIT + dt.timedelta(minutes=5)
    newest = figure(dt.date(2026, 1, 1), as_of=much_later)  # … figures too old to show: computed now
    release.set()                                          # … and the refresh ends after that
    data.wait_for_refreshes()
    assert newest.read_at == much_later
    again = figure(dt.date(2026, 1, 1), as_of=much_later)
    assert (again.read_at, again.value) == (much_later, f"figures as of {much_later:%H:%M}")
    assert calls == [T1, T2, much_later]
