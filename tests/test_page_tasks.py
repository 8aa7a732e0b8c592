"""The Tasks page shows the KPI engine's figures and the task lists in words (AppTest).

The `app_db` fixture, as of 2026-06-20 14:30, has three tasks assigned on 1 Feb 2026:
- unit A, completed 20 Feb, due 1 Mar: completed on time;
- unit B, Prime Minister, 05/CT-TTg, due 1 May, open: in progress overdue (50 days);
- unit A, legal document, due 24 Jun, progress 60, open: in progress within deadline,
  due in 4 days.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_access import catalogue, figures, tasks
from data_access.db import Sources
from data_access.model import Period, Scope
from l10n import fmt
from l10n.i18n import t
from tests.conftest import app_test
from ui import tasks_view

AS_OF = dt.datetime(2026, 6, 20, 14, 30)
OVERDUE_TITLE = {"vi": "Xử lý vướng mắc về đấu giá quyền khai thác khoáng sản",
                 "en": "Resolve obstacles in mineral auctions"}
LEGAL_TITLE = {"vi": "Xây dựng Nghị định quy định chi tiết Luật Địa chất và khoáng sản",
               "en": "Draft the decree detailing the Law on Geology and Minerals"}
UNIT_B = {"vi": "Cục Khoáng sản Việt Nam", "en": "Viet Nam Department of Minerals"}
UNIT_A = {"vi": "Vụ Pháp chế", "en": "Department of Legal Affairs"}
RAW_CODES = {"A", "B", "government", "prime_minister", "ministry_leaders", "other", "legal_document", "report",
             "scheme", "normal", "urgent", "completed_on_time", "completed_late", "in_progress_on_time",
             "in_progress_overdue", "title_vi", "title_en", "lead_unit_code", "progress_pct", "due_date",
             "days_left", "days_overdue", "code", "ref", "priority", "source"}


def open_tasks(lang: str = "vi", **params) -> AppTest:
    at = app_test()
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("screens/tasks.py").run()
    assert not at.exception
    return at


def cards(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_cards(url: str, lang: str, unit: str | None = None) -> dict[str, str]:
    values = tasks.task_kpis(Sources.single(url).tasks, Period.year(2026), AS_OF, Scope(unit))
    cat = catalogue.get()
    return {cat[k].name(lang): fmt.kpi_value(v, cat[k].unit, lang) for k, v in values.items()}


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, f"expected one table with {column!r}, found {len(found)}"
    return found[0]


def name(kpi_id: str, lang: str) -> str:
    return catalogue.get()[kpi_id].name(lang)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_cards_show_the_engine_values(app_db, lang):
    at = open_tasks(lang)
    shown = cards(at)
    expected = expected_cards(app_db, lang)
    assert set(shown) == set(expected) and len(shown) == 8
    for label, value in shown.items():
        assert value == expected[label], label
    # Worked out by hand from the fixture.
    decimal = "," if lang == "vi" else "."
    assert shown[name("tasks.assigned", lang)] == "3"
    assert shown[name("tasks.completed_on_time", lang)] == "1"
    assert shown[name("tasks.completed_late", lang)] == "0"
    assert shown[name("tasks.in_progress_on_time", lang)] == "1"
    assert shown[name("tasks.in_progress_overdue", lang)] == "1"
    assert shown[name("tasks.on_time_rate", lang)] == f"50{decimal}0%"          # 1 of (1 + 0 + 1)
    assert shown[name("tasks.legal_docs_completion_rate", lang)] == f"0{decimal}0%"
    assert shown[name("tasks.due_next_7_days", lang)] == "1"
    # The legal-document programme with done / total, in words.
    assert [p.text for p in at.get("progress")] == [t("tasks.legal_progress", lang, done="0", total="1",
                                                      rate=f"0{decimal}0%")]
    assert at.title[0].value == t("tasks.title", lang)


def test_choosing_a_unit_changes_the_figures_and_the_lists(app_db):
    at = open_tasks("vi")
    at.selectbox(key="w_unit").select("B").run()
    assert not at.exception
    shown = cards(at)
    assert shown == expected_cards(app_db, "vi", "B")
    assert shown[name("tasks.assigned", "vi")] == "1"
    assert shown[name("tasks.in_progress_overdue", "vi")] == "1"
    assert shown[name("tasks.completed_on_time", "vi")] == "0"
    assert shown[name("tasks.on_time_rate", "vi")] == "0,0%"
    assert shown[name("tasks.due_next_7_days", "vi")] == "0"          # the task due in 4 days is A's
    assert list(table_with(at, t("tasks.col_days_overdue", "vi"))[t("tasks.col_lead_unit", "vi")]) == [UNIT_B["vi"]]
    assert any(s.value == t("tasks.none_due", "vi", days=7) for s in at.success)
    # Back to the whole ministry, and the sidebar says so too.
    at.button(key="tasks_back").click().run()
    assert not at.exception
    assert at.selectbox(key="w_unit").value == ""
    assert cards(at)[name("tasks.assigned", "vi")] == "3"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_overdue_list_has_the_b_task_with_its_days_overdue(app_db, lang):
    at = open_tasks(lang)
    frame = table_with(at, t("tasks.col_days_overdue", lang))
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row[t("tasks.col_title", lang)] == OVERDUE_TITLE[lang]
    assert row[t("tasks.col_ref", lang)] == "05/CT-TTg"
    assert row[t("tasks.col_lead_unit", lang)] == UNIT_B[lang]
    assert row[t("tasks.col_due", lang)] == dt.date(2026, 5, 1)
    assert row[t("tasks.col_days_overdue", lang)] == 50          # 1 May to 20 June
    assert row[t("tasks.col_progress", lang)] == 50
    assert row[t("tasks.col_priority", lang)] == ("Thường" if lang == "vi" else "Normal")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_due_soon_lists_the_legal_document_task(app_db, lang):
    at = open_tasks(lang)
    assert at.segmented_control(key="tasks_due_days").value == 7
    frame = table_with(at, t("tasks.col_days_left", lang))
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row[t("tasks.col_title", lang)] == LEGAL_TITLE[lang]
    assert row[t("tasks.col_lead_unit", lang)] == UNIT_A[lang]
    assert row[t("tasks.col_due", lang)] == dt.date(2026, 6, 24)
    assert row[t("tasks.col_days_left", lang)] == 4
    assert row[t("tasks.col_progress", lang)] == 60
    # A wider window still holds it; nothing else is open with a deadline ahead.
    at.segmented_control(key="tasks_due_days").set_value(30).run()
    assert not at.exception
    assert list(table_with(at, t("tasks.col_days_left", lang))[t("tasks.col_days_left", lang)]) == [4]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_raw_codes_where_a_person_reads(app_db, lang):
    at = open_tasks(lang)
    assert len(at.dataframe) == 3          # by unit, due soon, overdue
    for table in at.dataframe:
        frame = table.value
        assert not RAW_CODES & set(map(str, frame.columns)), list(frame.columns)
        for column in frame.columns:
            cells = {str(v) for v in frame[column]}
            assert not RAW_CODES & cells, (column, RAW_CODES & cells)
    by_unit = table_with(at, t("tasks.col_unit", lang))
    assert list(by_unit[t("tasks.col_unit", lang)]) == [UNIT_B[lang], UNIT_A[lang]]   # most overdue first


def test_a_failed_tasks_source_is_named_without_a_traceback(app_db, monkeypatch, tmp_path):
    monkeypatch.setenv("IOC_TASKS_URL", f"sqlite:///{tmp_path / 'missing.sqlite'}")
    at = app_test()
    at.run()
    at.switch_page("screens/tasks.py").run()
    assert not at.exception
    message = t("source_failed", "vi", source=t("source_tasks", "vi"))
    assert at.error and all(e.value == message for e in at.error)
    assert not at.metric and not at.dataframe


def test_units_with_most_overdue_come_first_and_titles_fall_back_to_vietnamese():
    def unit(**counts):
        return figures.kpis_from_measures({f"tasks_assigned.{k}": v for k, v in counts.items()}, "tasks")

    breakdown = {
        "A": unit(assigned=9, on_time=9),
        "B": unit(assigned=2, in_progress_overdue=2),
        "C": unit(assigned=5, on_time=1, late=3, in_progress_overdue=1),
    }
    assert tasks_view.unit_ranking(breakdown) == ["B", "C", "A"]
    frame = pd.DataFrame([{"id": 1, "ref": "05/CT-TTg", "title_vi": "Tiêu đề", "title_en": None,
                           "source": "prime_minister", "category": "report", "lead_unit_code": "B",
                           "assigned_at": None, "due_date": dt.date(2026, 5, 1), "progress_pct": 30,
                           "priority": "urgent", "days_overdue": 50}])
    rows = tasks_view.task_rows(frame, {"B": ("Cục B", "Department B")}, "en")
    assert rows.loc[0, "title"] == "Tiêu đề"
    assert rows.loc[0, "unit"] == "Department B"
    assert rows.loc[0, "priority"] == "Urgent"
    assert rows.loc[0, "source"] == "Prime Minister"


def test_the_page_opens_with_the_overdue_tasks_by_unit_beside_the_list(app_db):
    at = open_tasks("vi")
    # The first two headings: who is late, then the overdue tasks themselves (the cards follow).
    assert [h.value for h in at.subheader][:3] == [
        ":material/account_tree: " + t("tasks.overdue_by_unit", "vi"),
        ":material/assignment_late: " + t("tasks.overdue", "vi"),
        ":material/dashboard: " + t("tasks.headline", "vi")]
    tables = [d.value for d in at.dataframe]
    by_unit, overdue = tables[0], tables[1]
    # B (1 overdue, 0 % on time) before A (none overdue, 1 of 1 on time).
    assert list(by_unit.columns[:3]) == [t("tasks.col_unit", "vi"), t("tasks.col_overdue_count", "vi"),
                                         t("tasks.col_on_time_rate", "vi")]
    assert list(by_unit.iloc[:, 1]) == [1, 0]
    # On a tablet or phone the unit, the deadline and the days late are the columns in view.
    assert list(overdue.columns[:3]) == [t("tasks.col_lead_unit", "vi"), t("tasks.col_due", "vi"),
                                         t("tasks.col_days_overdue", "vi")]
    assert list(overdue.iloc[0, :3]) == [UNIT_B["vi"], dt.date(2026, 5, 1), 50]


def _scrolls(at, anchor: str) -> bool:
    return any(anchor in h.proto.body and "scrollIntoView" in h.proto.body for h in at.get("html"))


def test_a_drill_down_link_lands_on_the_rows_it_names_once(app_db):
    at = open_tasks("vi", unit="B", section="overdue.3")
    assert _scrolls(at, "ioc-overdue")
    assert at.selectbox(key="w_unit").value == "B"
    assert list(table_with(at, t("tasks.col_days_overdue", "vi"))[t("tasks.col_lead_unit", "vi")]) == [UNIT_B["vi"]]
    at.segmented_control(key="tasks_due_days").set_value(30).run()     # working on the page: no jump back
    assert not _scrolls(at, "ioc-overdue")
    # A new link (the Overview's next run numbers its links anew) lands again.
    at.query_params["section"] = "deadlines.4"
    at.run()
    assert _scrolls(at, "ioc-deadlines")


def test_a_unit_head_sees_their_own_unit_with_no_way_to_the_whole_ministry(app_db):
    at = app_test("headb")
    at.run()
    at.switch_page("screens/tasks.py").run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "tasks_back"]
    by_unit = table_with(at, t("tasks.col_overdue_count", "vi"))
    assert list(by_unit[t("tasks.col_unit", "vi")]) == [UNIT_B["vi"]] and list(by_unit.iloc[:, 1]) == [1]
