"""The one computation (data_access.figures): late dossiers judged to the second, the
monthly trend's month-end snapshots in one pass equal to one snapshot per moment, and
the emulation mean counting a unit once. Each test runs on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import figures, measures
from data_access.model import Period, Scope

D = dt.datetime
H1 = Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
T = D(2026, 6, 20, 14, 30, 0)


@pytest.fixture
def base(rows):
    rows.unit("A")
    rows.unit("B")
    rows.procedure("P1", unit_code="A")
    rows.procedure("P2", unit_code="B")
    return rows


def test_finished_late_is_one_second_past_the_deadline_and_excludes_withdrawn(base, sources):
    base.dossier(D(2026, 2, 1, 8), due_at=D(2026, 3, 2, 17), finished_at=D(2026, 3, 2, 17, 0, 0))
    base.dossier(D(2026, 2, 1, 8), due_at=D(2026, 3, 2, 17), finished_at=D(2026, 3, 2, 17, 0, 1))
    base.dossier(D(2026, 2, 1, 8), due_at=D(2026, 3, 2, 17), finished_at=D(2026, 4, 1, 9), status="rejected")
    base.dossier(D(2026, 2, 1, 8), due_at=D(2026, 3, 2, 17), finished_at=D(2026, 4, 1, 9), status="withdrawn")
    base.dossier(D(2026, 2, 1, 8), due_at=D(2026, 3, 2, 17), finished_at=D(2026, 7, 1, 9))      # after T
    k = figures.compute(sources, H1, T, Scope.ministry(), domains=("procedures",)).kpis
    assert k["procedures.finished"] == 3
    assert k["procedures.finished_late"] == 2
    assert k["procedures.on_time_rate"] == pytest.approx(1 / 3)


def test_trend_pending_snapshots_in_one_pass_equal_one_snapshot_per_month_end(base, sources):
    base.dossier(D(2025, 9, 3, 8), due_at=D(2025, 9, 30, 17))                                     # never finished
    base.dossier(D(2025, 10, 5, 8), due_at=D(2026, 1, 5, 17), finished_at=D(2025, 12, 31, 23, 59, 59))
    base.dossier(D(2025, 10, 5, 8), due_at=D(2025, 11, 5, 17), finished_at=D(2026, 1, 1, 0, 0, 0))
    base.dossier(D(2026, 3, 31, 23, 59, 59), due_at=D(2026, 4, 2, 17), unit_code="B", procedure_code="P2")
    base.dossier(D(2026, 6, 20, 14, 30, 1), due_at=D(2026, 7, 1, 17))                            # after T
    # Due at the very second of January's end: not yet overdue then, overdue at February's.
    base.dossier(D(2026, 1, 10, 8), due_at=D(2026, 1, 31, 23, 59, 59), finished_at=D(2026, 3, 3, 9))
    # Received half a second after April's last second: not pending at April's end.
    base.dossier(D(2026, 4, 30, 23, 59, 59, 500000), due_at=D(2026, 5, 20, 17), finished_at=D(2026, 5, 4, 9))
    rows = figures.trend(sources, "procedures", T, Scope.ministry())
    assert [r["month"] for r in rows][0] == "2025-07" and rows[-1]["month"] == "2026-06"
    pending = measures.FACTS["dossiers_pending"]
    for row in rows:
        year, month = int(row["month"][:4]), int(row["month"][5:])
        moment = min(D(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(seconds=1), T)
        one = pending.aggregate(sources.procedures, ("pending", "overdue"), measures.Window(H1, moment),
                                Scope.ministry())[None]
        assert (row["procedures.pending"], row["procedures.pending_overdue"]) == (one["pending"], one["overdue"]), row
    by_month = {r["month"]: r for r in rows}
    assert by_month["2025-12"]["procedures.pending"] == 2          # finished at 23:59:59 is closed at the month's end
    assert by_month["2026-01"]["procedures.pending"] == 2
    assert by_month["2026-01"]["procedures.pending_overdue"] == 1  # due at the moment itself is not overdue
    assert by_month["2026-02"]["procedures.pending_overdue"] == 2
    assert by_month["2026-03"]["procedures.pending"] == 2          # received at the last second counts
    assert by_month["2026-04"]["procedures.pending"] == 2          # received 0.5 s after it does not
    assert by_month["2026-06"]["procedures.pending"] == 2          # the one after T does not
    assert "tasks.due_next_7_days" not in figures.trend(sources, "tasks", T, Scope.ministry())[0]


def test_mean_score_counts_a_unit_in_two_blocks_once():
    scores = [{"unit": "A", "block": 1, "score": 90.0, "rank": 1}, {"unit": "B", "block": 1, "score": 60.0, "rank": 2},
              {"unit": "A", "block": 2, "score": 90.0, "rank": 1}, {"unit": "C", "block": 2, "score": None, "rank": None}]
    assert figures.mean_score(scores) == 75.0
    assert figures.mean_score([]) is None
