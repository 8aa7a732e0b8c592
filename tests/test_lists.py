"""Row lists: the rows behind overdue and due-soon figures, with limits and scope."""

from __future__ import annotations

import datetime as dt

from data_access import lists
from data_access.model import Period, Scope

D = dt.datetime
d = dt.date
T = D(2026, 6, 20, 14, 30, 0)


def test_overdue_pending_dossiers_sorted_with_days_over(rows, sources):
    rows.unit("A")
    rows.unit("B")
    rows.procedure("P1", unit_code="A", name_vi="Cấp giấy phép môi trường")
    rows.dossier(D(2026, 5, 1, 9), due_at=D(2026, 6, 10, 14, 30), id="HS-1")                   # 10 days over
    rows.dossier(D(2026, 5, 1, 9), due_at=D(2026, 6, 19, 2, 30), id="HS-2", unit_code="B")     # 1.5 days over
    rows.dossier(D(2026, 5, 1, 9), due_at=T, id="HS-3")                                       # due at T: not over
    rows.dossier(D(2026, 5, 1, 9), due_at=D(2026, 6, 1), finished_at=D(2026, 6, 15), id="HS-4")  # closed
    rows.dossier(D(2026, 5, 1, 9), due_at=D(2026, 6, 1), finished_at=D(2026, 6, 25), id="HS-5")  # closed after T
    frame = lists.overdue_pending_dossiers(sources.procedures, T, Scope.ministry())
    assert list(frame["id"]) == ["HS-5", "HS-1", "HS-2"]
    assert frame.loc[frame["id"] == "HS-1", "days_overdue"].item() == 10.0
    assert abs(frame.loc[frame["id"] == "HS-2", "days_overdue"].item() - 1.5) < 1e-6
    assert frame.loc[frame["id"] == "HS-1", "procedure_name_vi"].item() == "Cấp giấy phép môi trường"
    assert frame.loc[frame["id"] == "HS-1", "due_at"].item() == D(2026, 6, 10, 14, 30)
    scoped = lists.overdue_pending_dossiers(sources.procedures, T, Scope.of_unit("B"))
    assert list(scoped["id"]) == ["HS-2"]
    assert list(lists.overdue_pending_dossiers(sources.procedures, T, Scope.ministry(), limit=1)["id"]) == ["HS-5"]


def test_overdue_tasks_with_whole_days_overdue(rows, sources):
    rows.unit("A")
    rows.task(D(2026, 1, 5, 9), d(2026, 6, 10), None, id=1, title_vi="Xây dựng Nghị định")   # 10 days
    rows.task(D(2026, 1, 5, 9), d(2026, 6, 19), None, id=2)                                  # 1 day
    rows.task(D(2026, 1, 5, 9), d(2026, 6, 20), None, id=3)                                  # due today: not overdue
    rows.task(D(2025, 1, 5, 9), d(2025, 6, 1), None, id=4)                                   # assigned last year
    rows.task(D(2026, 1, 5, 9), d(2026, 6, 1), None, id=5, cancelled=True)
    frame = lists.overdue_tasks(sources.tasks, T, Scope.ministry())
    assert list(frame["id"]) == [4, 1, 2]
    assert list(frame["days_overdue"]) == [384, 10, 1]
    assert frame.loc[frame["id"] == 1, "title_vi"].item() == "Xây dựng Nghị định"
    in_h1 = lists.overdue_tasks(sources.tasks, T, Scope.ministry(), period=Period(d(2026, 1, 1), d(2026, 6, 30)))
    assert list(in_h1["id"]) == [1, 2]


def test_tasks_due_within_days_with_days_left(rows, sources):
    rows.unit("A")
    rows.unit("B")
    rows.task(D(2026, 6, 1, 9), d(2026, 6, 21), None, id=1)
    rows.task(D(2026, 6, 1, 9), d(2026, 7, 4), None, id=2, lead_unit_code="B")
    rows.task(D(2026, 6, 1, 9), d(2026, 7, 20), None, id=3)
    frame = lists.tasks_due_within(sources.tasks, T, Scope.ministry(), 14)
    assert list(frame["id"]) == [1, 2] and list(frame["days_left"]) == [1, 14]
    assert list(lists.tasks_due_within(sources.tasks, T, Scope.of_unit("A"), 30)["id"]) == [1, 3]
    assert lists.tasks_due_within(sources.tasks, T, Scope.of_unit("B"), 7).empty


def test_awards_list_matches_the_counts(rows, sources):
    from data_access import emulation

    rows.unit("A")
    rows.award(d(2026, 1, 15), "emulation_flag", decision_no="12/QĐ-BTNMT")
    rows.award(d(2026, 6, 21), "advanced_worker", recipient_kind="individual", recipient_name="Trần Văn Bình")
    rows.award(d(2026, 3, 2), "advanced_worker", recipient_kind="individual", recipient_name="Lê Thị Hoa")
    period = Period(d(2026, 1, 1), d(2026, 6, 30))
    listed = emulation.awards_list(sources.emulation, period, T, Scope.ministry())
    assert [(r[0], r[2], r[5]) for r in listed] == [
        ("advanced_worker", "Lê Thị Hoa", d(2026, 3, 2)),
        ("emulation_flag", "Đơn vị A", d(2026, 1, 15)),
    ]
    assert len(listed) == sum(emulation.awards_by(sources.emulation, period, T, Scope.ministry()).values())


# -- a list cut at its limit says so: total from a COUNT(*) over the same WHERE ---------------------
def test_overdue_dossiers_over_the_limit_report_their_total(rows, sources, monkeypatch):
    rows.unit("A")
    rows.unit("B")
    rows.procedure("P1", unit_code="A")
    for day in range(1, 5):
        rows.dossier(D(2026, 5, day, 9), due_at=D(2026, 6, day, 9))                           # 4 overdue in A
    rows.dossier(D(2026, 5, 1, 9), due_at=D(2026, 6, 2), id="HS-B", unit_code="B")          # 1 in B
    rows.dossier(D(2026, 5, 1, 9), due_at=D(2026, 6, 1), finished_at=D(2026, 6, 3))          # closed: not counted
    cut = lists.overdue_pending_dossiers(sources.procedures, T, Scope.ministry(), limit=2)
    assert lists.row_count(cut) == lists.RowCount(shown=2, total=5) and lists.row_count(cut).capped
    whole = lists.overdue_pending_dossiers(sources.procedures, T, Scope.ministry())
    assert lists.row_count(whole) == lists.RowCount(5, 5) and not lists.row_count(whole).capped
    exact = lists.overdue_pending_dossiers(sources.procedures, T, Scope.ministry(), limit=5)
    assert lists.row_count(exact) == lists.RowCount(5, 5)                                    # full, not cut
    scoped = lists.overdue_pending_dossiers(sources.procedures, T, Scope.of_unit("A"), limit=3)
    assert lists.row_count(scoped) == lists.RowCount(3, 4)                                   # the unit's own total
    assert lists.row_count(lists.overdue_pending_dossiers(sources.procedures, T, Scope.of_unit("B"), limit=1)) \
        == lists.RowCount(1, 1)
    monkeypatch.setenv("IOC_ROW_LIMIT", "4")                                                 # the setting cuts too
    capped = lists.overdue_pending_dossiers(sources.procedures, T, Scope.ministry())
    assert lists.row_count(capped) == lists.RowCount(4, 5)


def test_overdue_tasks_over_the_limit_report_their_total(rows, sources):
    rows.unit("A")
    rows.unit("B")
    for i in range(1, 5):
        rows.task(D(2026, 1, 5, 9), d(2026, 6, i), None, id=i)                                # 4 overdue in A
    rows.task(D(2025, 1, 5, 9), d(2025, 6, 1), None, id=5, lead_unit_code="B")              # last year's, in B
    rows.task(D(2026, 1, 5, 9), d(2026, 6, 1), None, id=6, cancelled=True)
    rows.task(D(2026, 1, 5, 9), d(2026, 6, 1), D(2026, 6, 2, 9), id=7)                      # done
    assert lists.row_count(lists.overdue_tasks(sources.tasks, T, Scope.ministry(), limit=2)) == lists.RowCount(2, 5)
    assert lists.row_count(lists.overdue_tasks(sources.tasks, T, Scope.ministry())) == lists.RowCount(5, 5)
    in_h1 = lists.overdue_tasks(sources.tasks, T, Scope.ministry(), limit=3, period=Period(d(2026, 1, 1), d(2026, 6, 30)))
    assert list(in_h1["id"]) == [1, 2, 3] and lists.row_count(in_h1) == lists.RowCount(3, 4)
    assert lists.row_count(lists.overdue_tasks(sources.tasks, T, Scope.of_unit("B"), limit=1)) == lists.RowCount(1, 1)
    assert lists.row_count(lists.overdue_tasks(sources.tasks, T, Scope.of_unit("A"), limit=1)) == lists.RowCount(1, 4)


def test_tasks_due_within_over_the_limit_report_their_total(rows, sources):
    rows.unit("A")
    rows.unit("B")
    for i, day in enumerate((21, 22, 25, 30), start=1):
        rows.task(D(2026, 6, 1, 9), d(2026, 6, day), None, id=i)
    rows.task(D(2026, 6, 1, 9), d(2026, 6, 23), None, id=5, lead_unit_code="B")
    rows.task(D(2026, 6, 1, 9), d(2026, 7, 30), None, id=6)                                  # beyond 14 days
    cut = lists.tasks_due_within(sources.tasks, T, Scope.ministry(), 14, limit=2)
    assert list(cut["id"]) == [1, 2] and list(cut["days_left"]) == [1, 2]
    assert lists.row_count(cut) == lists.RowCount(2, 5)
    assert lists.row_count(lists.tasks_due_within(sources.tasks, T, Scope.ministry(), 14)) == lists.RowCount(5, 5)
    assert lists.row_count(lists.tasks_due_within(sources.tasks, T, Scope.of_unit("A"), 7, limit=1)) \
        == lists.RowCount(1, 3)
    none = lists.tasks_due_within(sources.tasks, T, Scope.of_unit("B"), 1, limit=3)
    assert none.empty and lists.row_count(none) == lists.RowCount(0, 0)
    nothing_asked = lists.tasks_due_within(sources.tasks, T, Scope.ministry(), 14, limit=0)
    assert lists.row_count(nothing_asked) == lists.RowCount(0, 5) and lists.row_count(nothing_asked).capped


def test_a_frame_without_a_total_counts_as_complete():
    import pandas as pd

    assert lists.row_count(pd.DataFrame({"a": [1, 2]})) == lists.RowCount(2, 2)
    assert lists.row_count(None) == lists.RowCount(0, 0)
    marked = lists.with_total(pd.DataFrame({"a": [1, 2]}), 9)
    assert lists.row_count(marked[["a"]].rename(columns={"a": "A"})) == lists.RowCount(2, 9)  # kept when reshaped


# -- the pages say "showing the first N of M" ------------------------------------------------------
def test_the_notice_follows_the_list_into_the_shown_tables(rows, sources, monkeypatch):
    from data_access import emulation
    from l10n.i18n import t
    from ui import emulation_view as ev
    from ui import procedures_view as pv
    from ui import tables
    from ui import tasks_view as tv

    rows.unit("A", "Vụ Pháp chế")
    rows.procedure("P1", unit_code="A")
    for day in range(1, 4):
        rows.dossier(D(2026, 5, day, 9), due_at=D(2026, 6, day, 9))
        rows.task(D(2026, 1, 5, 9), d(2026, 6, day), None)
        rows.award(d(2026, 3, day), "advanced_worker", recipient_kind="individual", recipient_name=f"Người {day}")
    dossiers = lists.overdue_pending_dossiers(sources.procedures, T, Scope.ministry(), limit=2)
    shown, _labels, _config = pv.overdue_table(dossiers, {}, {}, "vi")
    assert tables.capped_notice(shown, "vi") == "Hiển thị 2 dòng đầu tiên trên tổng số 3 dòng."
    overdue = lists.overdue_tasks(sources.tasks, T, Scope.ministry(), limit=1)
    assert tables.capped_notice(tv.task_rows(overdue, {}, "en"), "en") == "Showing the first 1 of 3 rows."
    whole = lists.overdue_tasks(sources.tasks, T, Scope.ministry())
    assert tables.capped_notice(tv.task_rows(whole, {}, "vi"), "vi") is None

    period = Period(d(2026, 1, 1), d(2026, 6, 30))
    awards = ev.award_frame(sources.emulation, period, T, Scope.ministry())
    assert lists.row_count(awards) == lists.RowCount(3, 3)
    monkeypatch.setenv("IOC_ROW_LIMIT", "2")                          # awards are cut by the setting only
    awards = ev.award_frame(sources.emulation, period, T, Scope.ministry())
    assert lists.row_count(awards) == lists.RowCount(2, 3)
    assert lists.row_count(awards).total == emulation.awards_count(sources.emulation, period, T, Scope.ministry())
    assert tables.capped_notice(ev.award_rows(awards, {}, "vi"), "vi") == \
        t("rows_shown_of_total", "vi", shown="2", total="3")


def test_thousands_in_the_notice_are_written_the_reader_s_way():
    import pandas as pd

    from ui import tables

    frame = lists.with_total(pd.DataFrame({"a": range(3)}), 12345)
    assert tables.capped_notice(frame, "vi") == "Hiển thị 3 dòng đầu tiên trên tổng số 12.345 dòng."
    assert tables.capped_notice(frame, "en") == "Showing the first 3 of 12,345 rows."


def test_the_tasks_page_says_how_many_of_how_many_it_shows(app_db, monkeypatch):
    from tests.builders import Rows
    from tests.conftest import app_test
    from ui import tasks_view as tv

    extra = Rows(app_db)
    for day in (2, 3, 4):                                              # three more overdue tasks, in A
        extra.task(D(2026, 2, 1, 9), d(2026, 5, day), None, title_vi=f"Nhiệm vụ quá hạn {day}")
    extra.close()
    monkeypatch.setattr(tv, "LIST_LIMIT", 2)
    at = app_test()
    at.run()
    at.switch_page("screens/tasks.py").run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert "Hiển thị 2 dòng đầu tiên trên tổng số 4 dòng." in captions


def test_the_lists_of_a_past_period_are_its_rows_at_its_cut_off(rows, sources):
    """May, seen on 20 June: the dossiers and tasks overdue at the end of 31 May, as its
    figures count them, not those overdue today."""
    from data_access import report

    rows.unit("A")
    rows.procedure("P1", unit_code="A")
    rows.dossier(D(2026, 5, 2, 9), due_at=D(2026, 5, 20), finished_at=D(2026, 6, 5), id="HS-1")  # overdue on 31 May
    rows.dossier(D(2026, 5, 2, 9), due_at=D(2026, 6, 10), id="HS-2")                           # overdue only in June
    rows.dossier(D(2026, 5, 2, 9), due_at=D(2026, 6, 1), id="HS-3")                            # due the next midnight
    rows.dossier(D(2026, 5, 2, 9), due_at=D(2026, 5, 31, 23, 59, 59), id="HS-4")               # the period's last second
    rows.task(D(2026, 5, 4, 9), d(2026, 5, 25), D(2026, 6, 2, 10), id=1)     # overdue on 31 May, done since
    rows.task(D(2026, 5, 4, 9), d(2026, 6, 5), None, id=2)                   # overdue only in June
    may = Period(d(2026, 5, 1), d(2026, 5, 31))
    dossiers = lists.overdue_pending_dossiers(sources.procedures, T, Scope.ministry(), period=may)
    assert list(dossiers["id"]) == ["HS-1", "HS-4"]
    # Today, HS-1 is closed and the other three are overdue.
    assert sorted(lists.overdue_pending_dossiers(sources.procedures, T, Scope.ministry())["id"]) == ["HS-2", "HS-3", "HS-4"]
    tasks = lists.overdue_tasks(sources.tasks, T, Scope.ministry(), period=may)
    assert list(tasks["id"]) == [1] and tasks["days_overdue"].tolist() == [6]
    kpis = report.compute(sources, may, T, Scope.ministry())["kpis"]
    assert kpis["procedures.pending_overdue"] == len(dossiers) == 2
    assert kpis["tasks.in_progress_overdue"] == len(tasks) == 1
