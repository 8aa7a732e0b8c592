"""The KPI catalogue (config/kpis.toml) is the one place a KPI is declared: the shipped
file holds every KPI of the report contract in its order, each formed from known
measures, and a record that could compute a wrong figure is refused on load."""

from __future__ import annotations

import pytest

from data_access import catalogue, figures, measures
from data_access.settings import PROJECT_ROOT

CONTRACT_IDS = (
    "procedures.received", "procedures.finished", "procedures.on_time_rate", "procedures.finished_late",
    "procedures.pending", "procedures.pending_overdue", "procedures.online_rate", "procedures.digitized_rate",
    "procedures.synced_rate", "procedures.online_payment_rate", "procedures.satisfaction_rate",
    "procedures.avg_processing_days", "procedures.service_index",
    "tasks.assigned", "tasks.completed_on_time", "tasks.completed_late", "tasks.in_progress_on_time",
    "tasks.in_progress_overdue", "tasks.on_time_rate", "tasks.legal_docs_completion_rate", "tasks.due_next_7_days",
    "emulation.participating_units", "emulation.score", "emulation.awards",
)
SHIPPED = (PROJECT_ROOT / "config" / "kpis.toml").read_text(encoding="utf-8")


def _load(tmp_path, text: str):
    path = tmp_path / "kpis.toml"
    path.write_text(text, encoding="utf-8")
    return catalogue.load(path)


def test_the_shipped_catalogue_holds_the_contract_in_its_order():
    cat = catalogue.get()
    assert cat.ids == CONTRACT_IDS
    assert [i.indicator for i in cat.service_index] == ["1.4", "2.1", "3.3", "3.6", "4.2", "5.4"]
    assert sum(i.max for i in cat.service_index) == 48
    assert cat["procedures.on_time_rate"].target == 0.98


def test_every_kpi_reads_known_measures_of_its_own_domain_and_has_both_definitions():
    for kpi in catalogue.get():
        assert kpi.definition("vi") and kpi.definition("en") and kpi.definition("vi") != kpi.definition("en")
        for name in kpi.measures_used():
            assert measures.known(name) and measures.domain_of(name) == kpi.domain, (kpi.id, name)


def test_finished_late_is_a_count_of_one_measure_and_lower_is_better():
    kpi = catalogue.get()["procedures.finished_late"]
    assert (kpi.form, kpi.measure, kpi.better, kpi.unit) == ("count", "dossiers_finished.late", "lower", "count")
    assert "procedures" in kpi.screens


def test_criteria_may_use_only_rates():
    cat = catalogue.get()
    assert set(cat.criterion_kpis) == {
        "procedures.on_time_rate", "procedures.online_rate", "procedures.digitized_rate", "procedures.synced_rate",
        "procedures.online_payment_rate", "procedures.satisfaction_rate", "tasks.on_time_rate",
        "tasks.legal_docs_completion_rate"}
    assert all(cat[k].unit == "rate" for k in cat.criterion_kpis)


def test_a_ratio_is_formed_from_summed_integers_and_undefined_on_zero():
    values = figures.kpis_from_measures({"tasks_assigned.on_time": 3, "tasks_assigned.late": 1,
                                         "tasks_assigned.in_progress_overdue": 2}, "tasks")
    assert values["tasks.on_time_rate"] == 3 / 6
    assert values["tasks.legal_docs_completion_rate"] is None
    assert figures.kpis_from_measures({}, "procedures")["procedures.service_index"] is None


@pytest.mark.parametrize("value, status", [(0.99, "green"), (0.98, "green"), (0.96, "amber"), (0.95, "amber"),
                                           (0.9499, "red"), (None, None)])
def test_traffic_light_for_higher_is_better(value, status):
    assert catalogue.get()["procedures.on_time_rate"].status(value) == status


@pytest.mark.parametrize("value, status", [(0, "green"), (3, "amber"), (5, "amber"), (6, "red")])
def test_traffic_light_for_lower_is_better(value, status):
    assert catalogue.get()["tasks.in_progress_overdue"].status(value) == status


@pytest.mark.parametrize("change, refusal", [
    (('measure = "dossiers_finished.late"', 'measure = "dossiers_finished.lates"'), "unknown measure"),
    (('measure = "dossiers_finished.late"', 'measure = "tasks_assigned.late"'), "another domain"),
    (('id = "tasks.assigned"', 'id = "tasks.completed_late"'), "appears twice"),
    (('id = "tasks.assigned"', 'id = "task.assigned"'), "must start with"),
    (('unit = "rate"\nbetter = "higher"\ntarget = 0.95', 'unit = "count"\nbetter = "higher"\ntarget = 0.95'),
     "only if it is a rate"),
    (('form = "ratio"', 'form = "share"'), "form 'share'"),
    (('definition_en = "Tasks assigned in the period', 'definition_xx = "Tasks assigned in the period'),
     "definition_vi and definition_en"),
])
def test_a_record_that_could_compute_a_wrong_figure_is_refused(tmp_path, change, refusal):
    old, new = change
    assert old in SHIPPED
    with pytest.raises(catalogue.CatalogueError, match=refusal):
        _load(tmp_path, SHIPPED.replace(old, new, 1))


def test_an_index_indicator_must_name_an_earlier_rate(tmp_path):
    with pytest.raises(catalogue.CatalogueError, match="indicator 1.4"):
        _load(tmp_path, SHIPPED.replace('ratio = "procedures.synced_rate"', 'ratio = "procedures.received"'))
