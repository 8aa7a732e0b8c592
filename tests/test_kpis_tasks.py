"""Task KPIs: the four Government categories as of T, on hand-built tasks."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import tasks
from data_access.model import Period, Scope

D = dt.datetime
d = dt.date
H1 = Period(d(2026, 1, 1), d(2026, 6, 30))
T = D(2026, 6, 20, 14, 30, 0)          # the date of T is 20 June
MINISTRY = Scope.ministry()


@pytest.fixture
def population(rows):
    rows.unit("A")
    rows.unit("B")
    rows.task(D(2026, 2, 1, 9), d(2026, 3, 1), D(2026, 3, 1, 23, 59, 59), id=1)           # on time (same day)
    rows.task(D(2026, 2, 1, 9), d(2026, 3, 1), D(2026, 3, 2, 0, 0, 0), id=2)              # late by a day
    rows.task(D(2026, 2, 1, 9), None, D(2026, 4, 1, 10), id=3)                            # no deadline, done: on time
    rows.task(D(2026, 2, 1, 9), d(2026, 6, 20), None, id=4)                               # due today: within deadline
    rows.task(D(2026, 2, 1, 9), d(2026, 6, 19), None, id=5, lead_unit_code="B")           # due yesterday: overdue
    rows.task(D(2026, 2, 1, 9), d(2026, 5, 1), D(2026, 6, 21, 8), id=6, lead_unit_code="B")  # done after T: overdue at T
    rows.task(D(2026, 2, 1, 9), None, None, id=7)                                         # no deadline, open: within
    rows.task(D(2026, 2, 1, 9), d(2026, 3, 1), None, id=8, cancelled=True)                # cancelled: left out
    rows.task(D(2025, 12, 31, 23, 59, 59), d(2026, 1, 10), None, id=9)                    # assigned before P
    rows.task(D(2026, 6, 20, 14, 30, 1), d(2026, 6, 22), None, id=10)                     # assigned after T
    rows.task(D(2026, 1, 1, 0, 0, 0), d(2026, 2, 1), D(2026, 2, 5, 8), id=11, category="legal_document")  # late
    rows.task(D(2026, 3, 1, 9), d(2026, 12, 31), None, id=12, category="legal_document")  # within deadline
    return rows


def test_four_government_categories_as_of_t(population, sources):
    k = tasks.task_kpis(sources.tasks, H1, T, MINISTRY)
    assert k["tasks.assigned"] == 9                  # 1–7, 11, 12
    assert k["tasks.completed_on_time"] == 2         # 1, 3
    assert k["tasks.completed_late"] == 2            # 2, 11
    assert k["tasks.in_progress_on_time"] == 3       # 4, 7, 12
    assert k["tasks.in_progress_overdue"] == 2       # 5, 6
    assert k["tasks.on_time_rate"] == pytest.approx(2 / 6)
    assert k["tasks.legal_docs_completion_rate"] == 0.5


def test_each_task_falls_in_exactly_one_category(population, sources):
    k = tasks.task_kpis(sources.tasks, H1, T, MINISTRY)
    parts = ("completed_on_time", "completed_late", "in_progress_on_time", "in_progress_overdue")
    assert sum(k[f"tasks.{p}"] for p in parts) == k["tasks.assigned"]


def test_after_the_period_the_completion_after_t_counts(population, sources):
    later = D(2026, 6, 21, 9, 0, 0)                  # task 6 is now done, late; task 4 has turned overdue
    k = tasks.task_kpis(sources.tasks, H1, later, MINISTRY)
    assert k["tasks.assigned"] == 10                 # task 10 (assigned 20 June 14:30:01) is now in
    assert k["tasks.completed_late"] == 3            # 2, 6, 11
    assert k["tasks.in_progress_overdue"] == 2       # 4, 5
    assert k["tasks.in_progress_on_time"] == 3       # 7, 10, 12


def test_unit_scope_uses_the_lead_unit(population, sources):
    k = tasks.task_kpis(sources.tasks, H1, T, Scope.of_unit("B"))
    assert k["tasks.assigned"] == 2 and k["tasks.in_progress_overdue"] == 2
    assert k["tasks.on_time_rate"] == 0.0
    assert k["tasks.legal_docs_completion_rate"] is None


def test_unit_without_tasks_has_undefined_rates(population, sources):
    k = tasks.task_kpis(sources.tasks, H1, T, Scope.of_unit("NONE"))
    assert k["tasks.assigned"] == 0
    assert k["tasks.on_time_rate"] is None and k["tasks.legal_docs_completion_rate"] is None


def test_due_next_7_days_window_edges(rows, sources):
    rows.unit("A")
    rows.task(D(2026, 6, 1, 9), d(2026, 6, 20), None, id=1)                  # due today (= d): out
    rows.task(D(2026, 6, 1, 9), d(2026, 6, 21), None, id=2)                  # d + 1: in
    rows.task(D(2026, 6, 1, 9), d(2026, 6, 27), None, id=3)                  # d + 7: in
    rows.task(D(2026, 6, 1, 9), d(2026, 6, 28), None, id=4)                  # d + 8: out
    rows.task(D(2024, 1, 1, 9), d(2026, 6, 25), None, id=5)                  # assigned long ago: in
    rows.task(D(2026, 6, 20, 14, 30, 1), d(2026, 6, 25), None, id=6)         # assigned after T: out
    rows.task(D(2026, 6, 1, 9), d(2026, 6, 25), D(2026, 6, 20, 14, 30), id=7)   # completed at T: out
    rows.task(D(2026, 6, 1, 9), d(2026, 6, 25), D(2026, 6, 22, 8), id=8)     # completed after T: in
    rows.task(D(2026, 6, 1, 9), d(2026, 6, 25), None, id=9, cancelled=True)  # cancelled: out
    rows.task(D(2026, 6, 1, 9), None, None, id=10)                           # no deadline: out
    assert tasks.due_within(sources.tasks, T, MINISTRY, 7) == 4             # 2, 3, 5, 8
    k = tasks.task_kpis(sources.tasks, Period(d(2020, 1, 1), d(2020, 1, 31)), T, MINISTRY)
    assert k["tasks.due_next_7_days"] == 4                                   # independent of P
    assert tasks.due_within(sources.tasks, T, MINISTRY, 30) == 5             # and 4 (d + 8)


def test_due_within_by_unit_counts_the_same_tasks_per_lead_unit(rows, sources):
    rows.unit("A")
    rows.unit("B")
    rows.task(D(2026, 6, 1, 9), d(2026, 6, 21), None, id=1, lead_unit_code="A")
    rows.task(D(2026, 6, 1, 9), d(2026, 6, 27), None, id=2, lead_unit_code="A")
    rows.task(D(2026, 6, 1, 9), d(2026, 6, 20), None, id=3, lead_unit_code="B")     # due today: out
    rows.task(D(2026, 6, 1, 9), d(2026, 6, 22), None, id=4, lead_unit_code="B")
    rows.task(D(2026, 6, 1, 9), d(2026, 6, 22), None, id=5, lead_unit_code="B", cancelled=True)
    assert tasks.due_within_by_unit(sources.tasks, T, MINISTRY, 7) == {"A": 2, "B": 1}
    assert tasks.due_within_by_unit(sources.tasks, T, Scope.of_unit("B"), 7) == {"B": 1}
    assert tasks.due_within_by_unit(sources.tasks, T, Scope.of_unit("x' OR '1'='1"), 7) == {}


def test_breakdown_by_source_category_unit_month(population, sources):
    by_unit = tasks.breakdown(sources.tasks, H1, T, MINISTRY, "unit")
    assert by_unit["A"]["tasks.assigned"] == 7 and by_unit["B"]["tasks.assigned"] == 2
    by_cat = tasks.breakdown(sources.tasks, H1, T, MINISTRY, "category")
    assert by_cat["legal_document"]["tasks.assigned"] == 2 and by_cat["report"]["tasks.assigned"] == 7
    by_month = tasks.breakdown(sources.tasks, H1, T, MINISTRY, "month")
    assert {m: v["tasks.assigned"] for m, v in by_month.items()} == {"2026-01": 1, "2026-02": 7, "2026-03": 1}
    by_source = tasks.breakdown(sources.tasks, H1, T, MINISTRY, "source")
    whole = tasks.task_kpis(sources.tasks, H1, T, MINISTRY)
    del whole["tasks.due_next_7_days"]          # live at T, not broken down by source
    assert by_source == {"government": whole}
