"""Scope is decided in the data layer: a unit head gets their unit's rows from every
query function, whatever they ask for; an identity without a valid role gets nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data_access import emulation, figures, lists, procedures, tasks
from data_access.access import AccessDenied, Principal, comparison_scope, resolve
from data_access.model import Period, Scope
from data_access.schema import dossiers

D = dt.datetime
d = dt.date
H1 = Period(d(2026, 1, 1), d(2026, 6, 30))
T = D(2026, 6, 20, 14, 30)
HEAD_OF_A = Principal("truongA", "unit_head", "A")


def test_a_unit_head_always_gets_their_own_unit():
    assert resolve(HEAD_OF_A, None).scope == Scope.of_unit("A")
    granted = resolve(HEAD_OF_A, "B")
    assert granted.scope == Scope.of_unit("A") and granted.ignored_unit == "B"
    assert resolve(HEAD_OF_A, "A").ignored_unit is None


def test_leaders_and_admins_get_what_they_ask_for():
    assert resolve(Principal("lanhdao", "leader"), "B").scope == Scope.of_unit("B")
    assert resolve(Principal("admin", "admin"), None).scope == Scope.ministry()


@pytest.mark.parametrize("principal", [
    None, Principal("x", "superuser"), Principal("x", "unit_head", None), Principal("", "leader"),
])
def test_deny_by_default(principal):
    with pytest.raises(AccessDenied):
        resolve(principal, None)
    with pytest.raises(AccessDenied):
        comparison_scope(principal)


def test_ministry_totals_for_comparison_only_with_a_valid_identity():
    assert comparison_scope(HEAD_OF_A) == Scope.ministry()


def test_pages_by_role():
    viewer = Principal("trinhchieu", "viewer")
    assert viewer.may_open("overview") and not viewer.may_open("procedures") and not viewer.may_open("data_status")
    assert not viewer.sees_names
    assert Principal("admin", "admin").may_open("data_status")
    assert not Principal("lanhdao", "leader").may_open("data_status")
    assert not Principal("x", "unit_head", None).may_open("overview")


@pytest.fixture
def two_units(rows):
    for code in ("A", "B"):
        rows.unit(code)
        rows.procedure(f"P{code}", unit_code=code, field="water" if code == "A" else "minerals")
        rows.dossier(D(2026, 3, 1, 8), unit_code=code, procedure_code=f"P{code}", due_at=D(2026, 3, 5),
                     channel="online")
        rows.dossier(D(2026, 3, 2, 8), unit_code=code, procedure_code=f"P{code}", due_at=D(2026, 3, 6),
                     finished_at=D(2026, 3, 4))
        rows.task(D(2026, 2, 1, 9), d(2026, 3, 1), None, lead_unit_code=code)
        rows.task(D(2026, 6, 1, 9), d(2026, 6, 25), None, lead_unit_code=code)
        rows.award(d(2026, 1, 15), unit_code=code)
    rows.movement(1, 2026)
    rows.block(1, 1, "A", "B")
    rows.criterion(1, 1, 100)
    rows.evaluation(1, "A", 1, "H1", 70)
    rows.evaluation(1, "B", 1, "H1", 90)
    return rows


def test_every_query_function_returns_only_the_unit_heads_rows(two_units, sources):
    scope = resolve(HEAD_OF_A, "B").scope
    for by in procedures.DIMENSIONS:
        result = procedures.breakdown(sources.procedures, H1, T, scope, by)
        assert sum(v["procedures.received"] for v in result.values()) == 2, by
    assert set(procedures.breakdown(sources.procedures, H1, T, scope, "unit")) == {"A"}
    assert set(procedures.breakdown(sources.procedures, H1, T, scope, "field")) == {"water"}
    assert procedures.procedure_kpis(sources.procedures, H1, T, scope)["procedures.received"] == 2
    for by in tasks.DIMENSIONS:
        result = tasks.breakdown(sources.tasks, H1, T, scope, by)
        assert sum(v["tasks.assigned"] for v in result.values()) == 2, by
    assert set(tasks.breakdown(sources.tasks, H1, T, scope, "unit")) == {"A"}
    assert set(lists.overdue_pending_dossiers(sources.procedures, T, scope)["unit_code"]) == {"A"}
    assert set(lists.overdue_tasks(sources.tasks, T, scope)["lead_unit_code"]) == {"A"}
    assert set(lists.tasks_due_within(sources.tasks, T, scope, 30)["lead_unit_code"]) == {"A"}
    movement = emulation.movement_for_year(sources.emulation, 2026)
    ranked = figures.evaluate_movement(sources, movement, "H1", T, scope)[0]
    assert [(r["unit"], r["rank"]) for r in ranked] == [("A", 2)]          # ranked among the whole block
    assert {r["unit"] for r in figures.evaluate_movement(sources, movement, "H1", T, scope)[1]} == {"A"}
    assert emulation.awards_by(sources.emulation, H1, T, scope, "unit") == {"A": 1}
    assert [r[3] for r in emulation.awards_list(sources.emulation, H1, T, scope)] == ["A"]


def test_a_unit_code_from_a_url_is_bound_not_spliced(two_units, sources):
    evil = Scope.of_unit("x' OR '1'='1")
    assert procedures.procedure_kpis(sources.procedures, H1, T, evil)["procedures.received"] == 0
    assert tasks.task_kpis(sources.tasks, H1, T, evil)["tasks.assigned"] == 0
    assert lists.overdue_pending_dossiers(sources.procedures, T, evil).empty
    assert emulation.awards_by(sources.emulation, H1, T, evil, "unit") == {}
    with two_units.engine.connect() as conn:      # and nothing changed
        assert conn.execute(sa.select(sa.func.count()).select_from(dossiers)).scalar() == 4
