"""Emulation scores, ranks and awards on a hand-built movement."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import emulation, figures, report
from data_access.model import Period, Scope

D = dt.datetime
d = dt.date
H1 = Period(d(2026, 1, 1), d(2026, 6, 30))
T = D(2026, 6, 20, 14, 30, 0)


@pytest.fixture
def movement(rows):
    for code in "ABCDE":
        rows.unit(code)
    rows.movement(1, 2026)
    rows.movement(2, 2025)
    rows.block(1, 1, "A", "B", "C", "D")
    rows.block(2, 1, "E")
    rows.block(3, 2, "A", "F")                        # last year's movement: not counted
    rows.criterion(11, 1, 60)                          # scored by hand
    rows.criterion(12, 1, 40, metric="tasks.on_time_rate", content_no=4)
    rows.evaluation(1, "A", 11, "H1", 60)
    rows.evaluation(1, "B", 11, "H1", 45)
    rows.evaluation(1, "C", 11, "H1", 45)
    rows.evaluation(1, "E", 11, "H1", 30)
    rows.evaluation(1, "B", 11, "FY", 10)              # FY row must not be used for H1
    # A's tasks over H1: one on time, one late -> tasks.on_time_rate 0.5
    rows.task(D(2026, 2, 1, 9), d(2026, 3, 1), D(2026, 2, 20, 9), lead_unit_code="A")
    rows.task(D(2026, 2, 1, 9), d(2026, 3, 1), D(2026, 3, 5, 9), lead_unit_code="A")
    return rows


def test_scores_ranks_ties_and_units_without_score(movement, sources):
    result = report.compute(sources, H1, T, Scope.ministry())
    scores = {(r["block"], r["unit"]): (r["score"], r["rank"]) for r in result["emulation_scores"]}
    # A: (60 + 40 × 0.5) / 100; B, C: 45 / 60 (metric undefined, so it does not apply); D: nothing applies.
    assert scores[(1, "A")] == (pytest.approx(80.0), 1)
    assert scores[(1, "B")] == (pytest.approx(75.0), 2)
    assert scores[(1, "C")] == (pytest.approx(75.0), 2)
    assert scores[(1, "D")] == (None, None)
    assert scores[(2, "E")] == (pytest.approx(50.0), 1)
    assert [r["unit"] for r in result["emulation_scores"]] == ["A", "B", "C", "D", "E"]   # unranked last in its block
    assert result["kpis"]["emulation.score"] == pytest.approx((80 + 75 + 75 + 50) / 4)
    assert result["kpis"]["emulation.participating_units"] == 5


def test_full_year_uses_fy_evaluations(movement, sources):
    result = report.compute(sources, Period(d(2026, 1, 1), d(2026, 12, 31)), D(2027, 1, 15, 8), Scope.ministry())
    scores = {r["unit"]: r["score"] for r in result["emulation_scores"]}
    # Only B has an FY row; A's metric still applies over the full year.
    assert scores["B"] == pytest.approx(100 * 10 / 60)
    assert scores["A"] == pytest.approx(100 * 20 / 40)
    assert scores["C"] is None and scores["E"] is None


def test_rank_block_competition_ranking():
    ranks = emulation.rank_block([("A", 90.0), ("B", 95.0), ("C", 90.0), ("D", None), ("E", 80.0)])
    assert ranks == {"B": 1, "A": 2, "C": 2, "E": 4, "D": None}


def test_awards_in_the_period_cut_at_t(movement, sources):
    movement.award(d(2025, 12, 31), "emulation_flag")          # before P
    movement.award(d(2026, 1, 1), "emulation_flag")            # first day
    movement.award(d(2026, 6, 20), "certificate_of_merit")     # the day of T
    movement.award(d(2026, 6, 21), "certificate_of_merit")     # after T, inside P
    movement.award(d(2026, 3, 3), "advanced_worker", recipient_kind="individual", recipient_name="Nguyễn Văn An")
    result = report.compute(sources, H1, T, Scope.ministry())
    assert result["kpis"]["emulation.awards"] == 3
    assert result["awards_by_title"] == {"advanced_worker": 1, "certificate_of_merit": 1, "emulation_flag": 1}
    after = report.compute(sources, H1, D(2026, 7, 2, 8), Scope.ministry())
    assert after["kpis"]["emulation.awards"] == 4


def test_no_movement_for_the_year(rows, sources):
    rows.unit("A")
    result = report.compute(sources, Period(d(2023, 1, 1), d(2023, 12, 31)), T, Scope.ministry())
    assert result["kpis"]["emulation.participating_units"] == 0
    assert result["kpis"]["emulation.score"] is None
    assert result["emulation_scores"] == []


def test_unit_scope_reports_no_emulation_figures(movement, sources):
    result = report.compute(sources, H1, T, Scope.of_unit("A"))
    assert result["unit"] == "A"
    assert result["kpis"]["emulation.score"] is None and result["kpis"]["emulation.awards"] is None
    assert result["emulation_scores"] == [] and result["awards_by_title"] == {}
    assert result["kpis"]["tasks.assigned"] == 2


def test_score_rows_say_how_many_criteria_are_scored_and_whether_hand_scores_are_missing(movement, sources):
    movement.criterion(13, 1, 20)                      # a second criterion by hand, scored for A only
    movement.evaluation(1, "A", 13, "H1", 15)
    movement.evaluation(1, "C", 13, "H1", None)        # a row without points is not a score
    f = figures.compute(sources, H1, T, Scope.ministry(), domains=("emulation",))
    rows = {r["unit"]: r for r in f.emulation.scores}
    got = {u: (r["criteria_scored"], r["criteria_total"], r["provisional"]) for u, r in rows.items()}
    # A: both by hand and its task rate; B: criterion 11 only (no task rated, 13 not scored);
    # C: the same, its row for 13 empty; D: nothing scored; E: 11 only.
    assert got == {"A": (3, 3, False), "B": (1, 3, True), "C": (1, 3, True), "D": (0, 3, True), "E": (1, 3, True)}
    assert rows["A"]["score"] == pytest.approx(100 * (60 + 15 + 40 * 0.5) / 120)
    assert rows["B"]["score"] == pytest.approx(75.0) and rows["D"]["score"] is None
    # the report contract keeps its four keys
    assert list(f.contract()["emulation_scores"][0]) == ["unit", "block", "score", "rank"]
    assert f.emulation.block_sizes == {1: 4, 2: 1}


def test_a_unit_scope_keeps_its_rows_marks(movement, sources):
    # B's task rate is undefined: an automatic criterion without a value is not waiting
    # for anyone, so B's score is final on the one criterion that applies.
    f = figures.compute(sources, H1, T, Scope.of_unit("B"), domains=("emulation",))
    assert [(r["unit"], r["rank"], r["criteria_scored"], r["criteria_total"], r["provisional"])
            for r in f.emulation.scores] == [("B", 2, 1, 2, False)]
    assert f.emulation.block_sizes[1] == 4
