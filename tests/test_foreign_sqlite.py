"""SQLite databases written by other systems: timestamps as text with or without
fractions of a second or with a 'T', dates with a time part, booleans as 0/1.
The boundaries of docs/kpis.md must stay exact."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
import sqlalchemy as sa

from data_access import procedures, report, tasks
from data_access.db import Sources
from data_access.model import Period, Scope
from data_access.schema import METADATA

H1 = Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
T = dt.datetime(2026, 6, 20, 14, 30, 0)


@pytest.fixture
def foreign(tmp_path):
    path = tmp_path / "foreign.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    for metadata in METADATA.values():
        metadata.create_all(engine)
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO units (code, name_vi) VALUES ('A', 'Đơn vị A')")
    conn.execute("INSERT INTO procedures (code, name_vi, field, unit_code, legal_days) VALUES ('P1', 'TT', 'water', 'A', 30)")
    yield conn, Sources.single(f"sqlite:///{path}")
    conn.close()


def dossier(conn, id_, received, due, finished=None, status=None, channel="in_person", digitized=0):
    status = status or ("approved" if finished else "processing")
    conn.execute(
        "INSERT INTO dossiers (id, procedure_code, unit_code, received_at, due_at, finished_at, status, channel,"
        " digitized, synced_national, fee_amount, paid_online) VALUES (?, 'P1', 'A', ?, ?, ?, ?, ?, ?, 1, 0, 0)",
        (id_, received, due, finished, status, channel, digitized),
    )
    conn.commit()


def test_mixed_timestamp_texts_compare_exactly(foreign):
    conn, sources = foreign
    dossier(conn, "1", "2026-01-01 00:00:00", "2026-02-01 17:00:00", "2026-02-01 17:00:00.000")   # on time, equal
    dossier(conn, "2", "2026-01-01T08:00:00", "2026-02-01 17:00:00", "2026-02-01T17:00:00")       # on time, 'T'
    dossier(conn, "3", "2026-01-02 08:00:00.250", "2026-02-01 17:00:00.000", "2026-02-01 17:00:00.5")  # late by 0.5 s
    dossier(conn, "4", "2025-12-31 23:59:59.999", "2026-02-01 17:00:00")                           # before P
    dossier(conn, "5", "2026-06-20 14:30:00.000", "2026-06-20 14:30:00")                           # at T, due at T
    dossier(conn, "6", "2026-06-20 14:30:00.001", "2026-07-01 00:00:00")                           # after T
    dossier(conn, "7", "2026-03-01 08:00", "2026-03-10 08:00", digitized=1, channel="online")      # no seconds
    k = procedures.procedure_kpis(sources.procedures, H1, T, Scope.ministry())
    assert k["procedures.received"] == 5                       # 1, 2, 3, 5, 7
    assert k["procedures.finished"] == 3
    assert k["procedures.on_time_rate"] == pytest.approx(2 / 3)
    assert k["procedures.pending"] == 3                        # 4, 5, 7
    assert k["procedures.pending_overdue"] == 2                # 4 and 7 (5 is due exactly at T)
    assert k["procedures.digitized_rate"] == pytest.approx(1 / 5)
    assert k["procedures.online_rate"] == pytest.approx(1 / 5)
    assert k["procedures.synced_rate"] == 1.0


def test_dates_with_a_time_part_and_text_booleans(foreign):
    conn, sources = foreign
    conn.executemany(
        "INSERT INTO tasks (id, title_vi, source, category, lead_unit_code, assigned_at, due_date, completed_at,"
        " cancelled, updated_at) VALUES (?, 'NV', 'government', 'report', 'A', ?, ?, ?, ?, ?)",
        [
            (1, "2026-02-01 09:00:00", "2026-03-01 00:00:00", "2026-03-01 23:59:59", 0, "2026-03-01"),  # on time
            (2, "2026-02-01 09:00:00", "2026-03-01", "2026-03-02 00:00:00.000", 0, "2026-03-02"),       # late
            (3, "2026-02-01T09:00:00", "2026-06-19", None, 0, "2026-02-01"),                            # overdue
            (4, "2026-02-01 09:00:00", "2026-06-19", None, 1, "2026-02-01"),                            # cancelled
            (5, "2026-02-01 09:00:00", "2026-06-21 00:00:00", None, 0, "2026-02-01"),                   # due in 1 day
        ],
    )
    conn.commit()
    k = tasks.task_kpis(sources.tasks, H1, T, Scope.ministry())
    assert (k["tasks.assigned"], k["tasks.completed_on_time"], k["tasks.completed_late"],
            k["tasks.in_progress_on_time"], k["tasks.in_progress_overdue"]) == (4, 1, 1, 1, 1)
    assert k["tasks.due_next_7_days"] == 1


def test_an_unparseable_timestamp_is_left_out_not_a_crash(foreign):
    conn, sources = foreign
    dossier(conn, "1", "2026-03-01 08:00:00", "garbage", "2026-03-02 08:00:00")
    dossier(conn, "2", "2026-03-01 08:00:00", "2026-03-10 08:00:00", "2026-03-02 08:00:00")
    result = report.compute(sources, H1, T, Scope.ministry())
    assert result["kpis"]["procedures.finished"] == 2
    assert result["kpis"]["procedures.on_time_rate"] == 0.5    # the garbage deadline is not met
