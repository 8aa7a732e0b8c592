"""Procedure KPIs against hand-built dossiers; every expected value is worked out by hand
from docs/kpis.md. Each test runs on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import procedures
from data_access.model import Period, Scope

D = dt.datetime
H1 = Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
T = D(2026, 6, 20, 14, 30, 0)
AFTER_H1 = D(2026, 7, 15, 8, 0, 0)
MINISTRY = Scope.ministry()


@pytest.fixture
def base(rows):
    rows.unit("A")
    rows.unit("B")
    rows.procedure("P1", unit_code="A", field="environment")
    rows.procedure("P2", unit_code="B", field="water")
    return rows


def kpis(sources, period=H1, as_of=T, scope=MINISTRY):
    return procedures.procedure_kpis(sources.procedures, period, as_of, scope)


def test_deadline_met_to_the_second_is_on_time_one_second_later_is_late(base, sources):
    base.dossier(D(2026, 2, 1, 8), due_at=D(2026, 3, 2, 17, 0, 0), finished_at=D(2026, 3, 2, 17, 0, 0))
    base.dossier(D(2026, 2, 1, 8), due_at=D(2026, 3, 2, 17, 0, 0), finished_at=D(2026, 3, 2, 17, 0, 1))
    k = kpis(sources)
    assert k["procedures.finished"] == 2
    assert k["procedures.on_time_rate"] == 0.5


def test_first_and_last_second_of_the_period(base, sources):
    base.dossier(D(2025, 12, 31, 23, 59, 59))          # the second before: out
    base.dossier(D(2026, 1, 1, 0, 0, 0))               # first midnight: in
    base.dossier(D(2026, 6, 30, 23, 59, 59))           # last second: in
    base.dossier(D(2026, 7, 1, 0, 0, 0))               # next day's midnight: out
    # finished_at on the same four boundaries
    for finished in (D(2025, 12, 31, 23, 59, 59), D(2026, 1, 1), D(2026, 6, 30, 23, 59, 59), D(2026, 7, 1)):
        base.dossier(D(2025, 11, 1, 8), due_at=D(2027, 1, 1), finished_at=finished)
    k = kpis(sources, as_of=AFTER_H1)
    assert k["procedures.received"] == 2
    assert k["procedures.finished"] == 2


def test_as_of_cut_at_the_second(base, sources):
    base.dossier(D(2026, 6, 20, 14, 30, 0))            # received exactly at T: in, and pending
    base.dossier(D(2026, 6, 20, 14, 30, 1))            # received after T: not received, not pending
    base.dossier(D(2026, 5, 1, 9), due_at=D(2026, 7, 1), finished_at=D(2026, 6, 20, 14, 30, 0))   # finished at T
    base.dossier(D(2026, 5, 1, 9), due_at=D(2026, 7, 1), finished_at=D(2026, 6, 20, 14, 30, 1))   # finished after T
    k = kpis(sources)
    assert k["procedures.received"] == 3                # the two of May and the one at T
    assert k["procedures.finished"] == 1
    assert k["procedures.pending"] == 2                 # received at T, and the one finished a second after T
    assert k["procedures.pending_overdue"] == 0


def test_pending_overdue_is_strictly_before_t(base, sources):
    base.dossier(D(2026, 5, 1, 9), due_at=T)                              # due exactly at T: not yet overdue
    base.dossier(D(2026, 5, 1, 9), due_at=T - dt.timedelta(seconds=1))    # overdue
    base.dossier(D(2025, 1, 1, 9), due_at=D(2025, 2, 1))                  # old, still open, overdue
    base.dossier(D(2025, 1, 1, 9), due_at=D(2025, 2, 1), finished_at=D(2025, 3, 1))   # closed long ago
    k = kpis(sources)
    assert k["procedures.pending"] == 3
    assert k["procedures.pending_overdue"] == 2


def test_withdrawn_counts_only_as_received_and_only_once_withdrawn_by_t(base, sources):
    base.dossier(D(2026, 3, 1, 8), channel="online", digitized=True)                       # kept, online
    base.dossier(D(2026, 3, 1, 8), status="withdrawn", finished_at=D(2026, 3, 5, 10),       # withdrawn before T
                 channel="online", digitized=True, synced_national=True)
    base.dossier(D(2026, 4, 1, 8), status="withdrawn", finished_at=D(2026, 6, 25, 10),      # withdrawn after T
                 channel="in_person", synced_national=True)
    k = kpis(sources)
    assert k["procedures.received"] == 3
    assert k["procedures.finished"] == 0                # withdrawn is never finished
    assert k["procedures.online_rate"] == 0.5           # 1 online of the 2 not withdrawn at T
    assert k["procedures.digitized_rate"] == 0.5
    assert k["procedures.synced_rate"] == 0.5
    assert k["procedures.pending"] == 2                 # the open one and the one withdrawn after T


def test_rejected_is_finished_and_ratings_judge_satisfaction(base, sources):
    received = D(2026, 2, 1, 8, 0, 0)
    base.dossier(received, due_at=D(2026, 3, 1), finished_at=D(2026, 2, 3, 20, 0, 0), rating=5)
    base.dossier(received, due_at=D(2026, 3, 1), finished_at=D(2026, 2, 2, 8, 0, 0), status="rejected", rating=4)
    base.dossier(received, due_at=D(2026, 3, 1), finished_at=D(2026, 2, 5, 8, 0, 0), rating=3)
    base.dossier(received, due_at=D(2026, 3, 1), finished_at=D(2026, 2, 9, 8, 0, 0))
    k = kpis(sources)
    assert k["procedures.finished"] == 4
    assert k["procedures.on_time_rate"] == 1.0
    assert k["procedures.satisfaction_rate"] == pytest.approx(2 / 3)
    # (2.5 + 1 + 4 + 8) / 4 days
    assert k["procedures.avg_processing_days"] == pytest.approx(15.5 / 4, abs=1e-6)


def test_online_payment_share_only_counts_dossiers_with_a_fee(base, sources):
    base.dossier(D(2026, 3, 1, 8), fee_amount=500000, paid_online=True)
    base.dossier(D(2026, 3, 1, 8), fee_amount=500000, paid_online=False)
    base.dossier(D(2026, 3, 1, 8), fee_amount=500000, paid_online=False)
    base.dossier(D(2026, 3, 1, 8), fee_amount=0, paid_online=True)
    k = kpis(sources)
    assert k["procedures.online_payment_rate"] == pytest.approx(1 / 3)


def test_empty_scope_gives_zero_counts_and_undefined_rates(base, sources):
    base.dossier(D(2026, 3, 1, 8), unit_code="A", finished_at=D(2026, 3, 2, 8), rating=5, fee_amount=10)
    k = kpis(sources, scope=Scope.of_unit("B"))
    assert k["procedures.received"] == 0 and k["procedures.finished"] == 0 and k["procedures.pending"] == 0
    for rate in ("on_time_rate", "online_rate", "digitized_rate", "synced_rate", "online_payment_rate",
                 "satisfaction_rate", "avg_processing_days", "service_index"):
        assert k[f"procedures.{rate}"] is None, rate


def test_unit_scope_uses_the_dossier_unit(base, sources):
    base.dossier(D(2026, 3, 1, 8), unit_code="A", procedure_code="P2")
    base.dossier(D(2026, 3, 1, 8), unit_code="B", procedure_code="P2")
    base.dossier(D(2026, 3, 1, 8), unit_code="B", procedure_code="P2")
    assert kpis(sources, scope=Scope.of_unit("A"))["procedures.received"] == 1
    assert kpis(sources, scope=Scope.of_unit("B"))["procedures.received"] == 2


def test_service_index_uses_only_defined_indicators(base, sources):
    # 4 dossiers, all synced; 1 of 4 online; 2 of 4 digitised; no fee, no rating;
    # 2 finished, 1 on time.
    base.dossier(D(2026, 3, 1, 8), synced_national=True, channel="online", digitized=True,
                 due_at=D(2026, 3, 10), finished_at=D(2026, 3, 9))
    base.dossier(D(2026, 3, 1, 8), synced_national=True, digitized=True,
                 due_at=D(2026, 3, 10), finished_at=D(2026, 3, 11))
    base.dossier(D(2026, 3, 1, 8), synced_national=True)
    base.dossier(D(2026, 3, 1, 8), synced_national=True)
    k = kpis(sources)
    # 1.4: 6 × 1; 2.1: 20 × 0.5; 3.3: 6 × min(1, 0.25/0.5); 4.2: 4 × min(1, 0.5/0.8); 3.6 and 5.4 undefined.
    earned = 6 + 10 + 3 + 2.5
    assert k["procedures.service_index"] == pytest.approx(100 * earned / (6 + 20 + 6 + 4))


def test_breakdowns_by_unit_field_channel_and_month(base, sources):
    base.dossier(D(2026, 1, 15, 8), unit_code="A", procedure_code="P1", channel="online")
    base.dossier(D(2026, 2, 15, 8), unit_code="A", procedure_code="P1", channel="postal",
                 due_at=D(2026, 3, 1), finished_at=D(2026, 3, 2))
    base.dossier(D(2026, 2, 16, 8), unit_code="B", procedure_code="P2", channel="online",
                 due_at=D(2026, 3, 1), finished_at=D(2026, 2, 20))
    by_unit = procedures.breakdown(sources.procedures, H1, T, MINISTRY, "unit")
    assert by_unit["A"]["procedures.received"] == 2 and by_unit["B"]["procedures.received"] == 1
    assert by_unit["A"]["procedures.on_time_rate"] == 0.0 and by_unit["B"]["procedures.on_time_rate"] == 1.0
    assert by_unit["A"]["procedures.pending"] == 1
    by_field = procedures.breakdown(sources.procedures, H1, T, MINISTRY, "field")
    assert by_field["environment"]["procedures.received"] == 2 and by_field["water"]["procedures.received"] == 1
    by_channel = procedures.breakdown(sources.procedures, H1, T, MINISTRY, "channel")
    assert {k: v["procedures.received"] for k, v in by_channel.items()} == {"online": 2, "postal": 1}
    by_month = procedures.breakdown(sources.procedures, H1, T, MINISTRY, "month")
    assert by_month["2026-01"]["procedures.received"] == 1
    assert by_month["2026-02"]["procedures.received"] == 2
    assert by_month["2026-02"]["procedures.finished"] == 1      # finished 20 Feb
    assert by_month["2026-03"]["procedures.finished"] == 1      # finished 2 Mar, late
    assert by_month["2026-03"]["procedures.on_time_rate"] == 0.0
    scoped = procedures.breakdown(sources.procedures, H1, T, Scope.of_unit("B"), "unit")
    assert list(scoped) == ["B"]
