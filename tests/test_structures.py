"""The two structures through the engine and the report contract, on SQLite, PostgreSQL
and MariaDB: a unit's scope is its lineage in `current` and its own code in
`historical`, from the day a succession takes effect; a breakdown groups by the current
unit; rates come from the scope's counts; members are scored over their lineage."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from data_access import figures, organisation, report
from data_access.db import Database, Sources
from data_access.model import Period, Scope

from .builders import D

MERGER = dt.date(2025, 3, 1)
DECREE = "35/2025/NĐ-CP"
T = D(2025, 6, 30, 17, 0)            # as of: after the merger
BEFORE = D(2025, 2, 28, 23, 59, 59)  # as of: the last second before it
YEAR_2024 = Period.year(2024)


@pytest.fixture
def merged(rows):
    """Two departments merged into one on 1 March 2025, a third unit untouched; 2024's
    dossiers and tasks under the old codes, 2025's under the new one."""
    organisation.forget()
    rows.unit("BNNMT", "Bộ Nông nghiệp và Môi trường", kind="ministry", valid_from=MERGER)
    rows.unit("DC", "Cục Địa chất Việt Nam", valid_to=MERGER - dt.timedelta(days=1))
    rows.unit("KS", "Cục Khoáng sản Việt Nam", valid_to=MERGER - dt.timedelta(days=1))
    rows.unit("DCKS", "Cục Địa chất và Khoáng sản Việt Nam", valid_from=MERGER)
    rows.unit("PC", "Vụ Pháp chế")
    rows.succession("DC", "DCKS", MERGER, legal_basis=DECREE)
    rows.succession("KS", "DCKS", MERGER, legal_basis=DECREE)
    rows.procedure("P1", unit_code="DCKS")
    # 2024: KS finishes two on time, DC one late; PC one on time.
    for unit, day, late in (("KS", 3, False), ("KS", 4, False), ("DC", 5, True), ("PC", 6, False)):
        received = D(2024, 5, day, 9)
        rows.dossier(received, due_at=received + dt.timedelta(days=10), unit_code=unit, procedure_code="P1",
                     finished_at=received + dt.timedelta(days=12 if late else 5))
    # 2025, after the merger: DCKS finishes one late.
    received = D(2025, 4, 1, 9)
    rows.dossier(received, due_at=received + dt.timedelta(days=10), unit_code="DCKS", procedure_code="P1",
                 finished_at=received + dt.timedelta(days=20))
    rows.task(D(2024, 3, 1, 9), dt.date(2024, 4, 1), D(2024, 3, 20, 9), lead_unit_code="KS")
    rows.task(D(2024, 3, 1, 9), dt.date(2024, 4, 1), None, lead_unit_code="DC")
    db = Database("procedures", rows.url)
    return Sources(procedures=db, tasks=Database("tasks", rows.url), emulation=Database("emulation", rows.url))


def _kpis(sources, unit, structure, as_of=T, period=YEAR_2024):
    scope = Scope.of_unit(unit, structure) if unit else Scope.ministry(structure)
    return figures.compute(sources, period, as_of, scope, domains=figures.SQL_DOMAINS).kpis


def test_in_current_a_merged_department_answers_for_last_years_work(merged):
    k = _kpis(merged, "DCKS", "current")
    assert (k["procedures.received"], k["procedures.finished"], k["procedures.finished_late"]) == (3, 3, 1)
    assert k["procedures.on_time_rate"] == pytest.approx(2 / 3)          # from the counts, not a mean of rates
    assert (k["tasks.assigned"], k["tasks.completed_on_time"]) == (2, 1)


def test_in_historical_each_record_stays_with_the_unit_that_handled_it(merged):
    assert _kpis(merged, "DCKS", "historical")["procedures.received"] == 0
    ks = _kpis(merged, "KS", "historical")
    assert (ks["procedures.received"], ks["procedures.on_time_rate"]) == (2, 1.0)
    assert _kpis(merged, "KS", "current")["procedures.received"] == 2        # a predecessor is only itself


def test_the_day_before_the_succession_it_has_not_happened_yet(merged):
    assert _kpis(merged, "DCKS", "current", as_of=BEFORE)["procedures.received"] == 0
    assert _kpis(merged, "DCKS", "current", as_of=D(2025, 3, 1, 0, 0))["procedures.received"] == 3


def test_the_whole_ministry_is_every_record_in_both_structures(merged):
    current, historical = _kpis(merged, None, "current"), _kpis(merged, None, "historical")
    assert current == historical and current["procedures.received"] == 4


def test_a_breakdown_groups_by_the_current_unit_in_current_and_by_the_code_in_historical(merged):
    def received(structure):
        found = figures.compute(merged, YEAR_2024, T, Scope.ministry(structure), by="unit",
                                domains=figures.SQL_DOMAINS)
        return {unit: v["procedures.received"] for unit, v in found.breakdown.items() if v.get("procedures.received")}

    assert received("current") == {"DCKS": 3, "PC": 1}
    assert received("historical") == {"KS": 2, "DC": 1, "PC": 1}


def test_the_report_contract_names_its_structure_and_lists_the_units_of_it(merged):
    period = Period.year(2024)
    current = report.compute(merged, period, T, Scope.ministry("current"), by="unit")
    assert current["structure"] == "current"
    assert [row["unit"] for row in current["by_unit"]] == ["DCKS", "PC"]
    assert current["by_unit"][0]["kpis"]["procedures.received"] == 3
    historical = report.compute(merged, period, T, Scope.ministry("historical"), by="unit")
    assert [row["unit"] for row in historical["by_unit"]] == ["DC", "DCKS", "KS", "PC"]
    by = {row["unit"]: row["kpis"] for row in historical["by_unit"]}
    assert (by["DCKS"]["procedures.received"], by["DCKS"]["procedures.on_time_rate"]) == (0, None)
    alone = report.compute(merged, period, T, Scope.of_unit("DCKS", "current"), by="unit")
    assert alone["by_unit"] == [{"unit": "DCKS", "kpis": {k: v for k, v in alone["kpis"].items()
                                                            if k.startswith(("procedures.", "tasks."))}}]
    assert "by_unit" not in report.compute(merged, period, T, Scope.ministry())


def test_a_source_without_successions_gives_the_same_figures_in_both_structures(rows):
    organisation.forget()
    rows.unit("A", "Vụ Pháp chế")
    rows.procedure("P1", unit_code="A")
    rows.dossier(D(2024, 5, 3, 9), due_at=D(2024, 5, 13, 9), unit_code="A", finished_at=D(2024, 5, 8, 9))
    sources = Sources(procedures=Database("procedures", rows.url), tasks=Database("tasks", rows.url),
                      emulation=Database("emulation", rows.url))
    assert _kpis(sources, "A", "current") == _kpis(sources, "A", "historical")
    assert _kpis(sources, "A", "current")["procedures.received"] == 1


def test_a_trend_marks_the_month_a_reorganisation_took_effect_with_its_legal_basis():
    import pandas as pd

    from ui import charts

    frame = pd.DataFrame({"month": ["2025-01", "2025-02", "2025-03", "2025-04"],
                          "month_label": ["T1/25", "T2/25", "T3/25", "T4/25"], "rate": [0.9, 0.8, 0.7, 0.95]})
    marked = charts.succession_marks(frame, [(MERGER, (DECREE,)), (dt.date(2026, 7, 1), ("x",))], "vi")
    texts = {row["text"] for rows in marked.to_dict()["datasets"].values() for row in rows}
    assert texts == {"01/03/2025: sắp xếp tổ chức (35/2025/NĐ-CP)"}
    assert charts.succession_marks(frame, [(dt.date(2026, 7, 1), ("x",))], "vi") is None
    chart = charts.monthly_rate(frame, rate="rate", rate_title="Tỷ lệ", lang="en", target=0.9,
                                marks=[(MERGER, (DECREE,))])
    assert "reorganisation (35/2025/NĐ-CP)" in json.dumps(chart.to_dict(), ensure_ascii=False)


def test_the_tasks_page_lists_a_predecessors_task_under_its_heir_with_the_unit_it_was_assigned_to(app_db):
    from data_access import organisation as org_module
    from tests.builders import Rows
    from tests.conftest import app_test
    from ui import data

    rows = Rows(app_db)
    rows.unit("C", "Cục Quản lý cũ", name_en="Former Department", valid_to=dt.date(2026, 2, 28))
    rows.succession("C", "A", dt.date(2026, 3, 1), legal_basis="12/2026/NĐ-CP")
    rows.task(D(2026, 1, 5, 9), dt.date(2026, 2, 1), None, id=900, lead_unit_code="C",
              title_vi="Báo cáo tổng kết của đơn vị cũ", title_en="Former unit's report")
    rows.close()
    org_module.forget()
    data.clear_caches()
    at = app_test("lead")
    at.run()
    at.switch_page("screens/tasks.py").run()
    assert not at.exception
    overdue = next(d.value for d in at.dataframe if "Giao cho (trước sắp xếp)" in d.value.columns)
    row = overdue[overdue["Nhiệm vụ"] == "Báo cáo tổng kết của đơn vị cũ"].iloc[0]
    assert (row["Đơn vị chủ trì"], row["Giao cho (trước sắp xếp)"]) == ("Vụ Pháp chế", "Cục Quản lý cũ")
    # In the historical structure it stays with the unit it was assigned to.
    at.query_params["structure"] = "historical"
    at.switch_page("screens/tasks.py").run()
    frames = [d.value for d in at.dataframe if "Nhiệm vụ" in d.value.columns]
    assert all("Giao cho (trước sắp xếp)" not in f.columns for f in frames)
    assert any(((f["Nhiệm vụ"] == "Báo cáo tổng kết của đơn vị cũ") & (f["Đơn vị chủ trì"] == "Cục Quản lý cũ")).any()
               for f in frames)


@pytest.fixture
def took_over(app_db):
    """Unit C merged into A on 1 March 2026; one dossier of C from February."""
    from data_access import organisation as org_module
    from tests.builders import Rows
    from ui import data

    rows = Rows(app_db)
    rows.unit("C", "Cục Quản lý cũ", name_en="Former Department", valid_to=dt.date(2026, 2, 28))
    rows.succession("C", "A", dt.date(2026, 3, 1), legal_basis="12/2026/NĐ-CP")
    rows.dossier(D(2026, 2, 10, 9), due_at=D(2026, 2, 20, 9), unit_code="C", procedure_code="P1", id="HS-C-1",
                 finished_at=D(2026, 2, 15, 9))
    rows.close()
    org_module.forget()
    data.clear_caches()
    return app_db


def _received(at) -> str:
    from data_access import catalogue

    return {m.label: m.value for m in at.metric}[catalogue.get()["procedures.received"].name_vi]


def test_a_unit_head_of_a_merged_department_sees_the_work_it_took_over(took_over):
    from tests.conftest import app_test

    at = app_test("heada")
    at.run()
    assert not at.exception and _received(at) == "21"          # unit A's 20 and C's one
    at.query_params["structure"] = "historical"
    at.run()
    assert _received(at) == "20"


def test_the_unit_picker_follows_the_structure(took_over):
    from tests.conftest import app_test

    at = app_test("lead")
    at.run()
    picker = at.selectbox(key="w_unit")
    assert picker.options == ["Toàn Bộ", "Cục Khoáng sản Việt Nam", "Vụ Pháp chế"]      # C has an heir now
    assert at.radio(key="w_structure").value == "current"
    at.radio(key="w_structure").set_value("historical").run()
    picker = at.selectbox(key="w_unit")
    assert "Cục Quản lý cũ (đến 28/02/2026, nay là Vụ Pháp chế)" in picker.options
    picker.set_value("C").run()
    assert not at.exception and _received(at) == "1"


def test_the_cards_say_when_their_trend_lines_cross_a_reorganisation(took_over):
    from tests.conftest import app_test

    at = app_test("lead")
    at.run()
    notes = [c.value for c in at.caption if "sắp xếp tổ chức" in c.value]
    assert notes and all("01/03/2026 (12/2026/NĐ-CP)" in n for n in notes)
    assert len(notes) == 2                                  # under the dossiers' cards and the tasks'
