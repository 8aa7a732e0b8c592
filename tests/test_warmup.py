"""The leaders' home screen is computed before the first visit: after the warm-up, the
Overview of the whole ministry opens on figures already there and computes nothing."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from data_access import figures
from data_access.db import Sources
from data_access.model import Period, Scope
from tests.conftest import APP_AS_OF, app_test
from ui import data, warmup

AS_OF = dt.datetime.fromisoformat(APP_AS_OF).replace(second=0)


@pytest.fixture
def computed(monkeypatch):
    """The names of the shared computations run from here on."""
    names: list[str] = []
    once = data._STORE.once

    def counting(key, as_of, run):
        names.append(key[0].rsplit(".", 1)[-1])
        return once(key, as_of, run)

    monkeypatch.setattr(data._STORE, "once", counting)
    return names


@pytest.mark.parametrize("username", ["lead", "screen"])
def test_after_the_warm_up_the_overview_computes_nothing(app_db, computed, username):
    warmup.warm_once()
    assert {"domain_figures", "procedure_trend", "task_trend", "emulation_summary", "breakdown",
            "tasks_due", "tasks_due_by_unit"} <= set(computed)
    warmed = len(computed)

    at = app_test(username)
    at.run()
    assert not at.exception
    assert len(at.metric) == 19
    assert computed[warmed:] == []           # every figure drawn was already there
    assert at.caption[0].value.startswith(":material/schedule:") and "14:30" in at.caption[0].value


def test_the_warm_up_shows_the_figures_the_engine_gives(app_db, computed):
    warmup.warm_once()
    warm = data.domain_figures.within(dt.date(2026, 1, 1), dt.date(2026, 12, 31), None, "procedures", as_of=AS_OF)
    engine = figures.compute(Sources.single(app_db), Period.year(2026), AS_OF, Scope.ministry(), by="unit",
                             domains=("procedures",))
    assert (warm.read_at, warm.value.kpis) == (AS_OF, engine.kpis)
    assert warm.value.kpis["procedures.received"] == 25


def test_a_visit_during_the_warm_up_waits_for_it_instead_of_computing_again(app_db, monkeypatch):
    started, release = threading.Event(), threading.Event()
    runs: list[str] = []
    original = data.figures.compute

    def slow(*args, **kwargs):
        runs.append(kwargs.get("domains", ("all",))[0])
        started.set()
        assert release.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(data.figures, "compute", slow)
    period = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    warming = threading.Thread(target=data.domain_figures.within, args=(*period, None, "procedures"),
                               kwargs={"as_of": AS_OF})
    warming.start()
    assert started.wait(10)
    got: list = []
    visitor = threading.Thread(target=lambda: got.append(
        data.domain_figures.within(*period, None, "procedures", as_of=AS_OF)))
    visitor.start()
    release.set()
    warming.join(10)
    visitor.join(10)
    assert runs == ["procedures"]            # one computation for both
    assert got[0].value.kpis["procedures.received"] == 25


def test_the_warmer_stops_with_the_server(app_db, monkeypatch):
    ran = threading.Event()
    monkeypatch.setattr(warmup, "warm_once", ran.set)
    warmer = warmup.Warmer(interval=3600).start()
    assert ran.wait(10)
    warmer.stop()
    warmer.thread.join(5)
    assert not warmer.thread.is_alive()


def test_no_warm_up_when_it_is_switched_off(monkeypatch):
    monkeypatch.setenv("IOC_WARM_SECONDS", "0")
    assert warmup.start() is None
