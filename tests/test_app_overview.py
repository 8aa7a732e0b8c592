"""The Overview page shows exactly the KPI engine's figures (AppTest, no browser)."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import catalogue, report
from data_access.db import Sources
from data_access.model import Period, Scope
from l10n import fmt
from tests.conftest import app_test
from ui import data

D = dt.datetime
AS_OF = "2026-06-20 14:30:00"


def expected_cards(url: str, lang: str) -> dict[str, str]:
    sources = Sources.single(url)
    result = report.compute(sources, Period.year(2026), dt.datetime.fromisoformat(AS_OF), Scope.ministry())
    cat = catalogue.get()
    return {cat[k].name(lang): fmt.kpi_value(v, cat[k].unit, lang) for k, v in result["kpis"].items()}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_overview_cards_show_the_engine_values(app_db, lang):
    at = app_test()
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    expected = expected_cards(app_db, lang)
    assert len(shown) == 19
    for label, value in shown.items():
        assert value == expected[label], label
    # Spot-check figures worked out by hand from the fixture.
    cat = catalogue.get()
    assert shown[cat["procedures.received"].name(lang)] == "25"
    assert shown[cat["tasks.in_progress_overdue"].name(lang)] == "1"
    assert shown[cat["emulation.awards"].name(lang)] == "2"
    decimal = "," if lang == "vi" else "."
    # 14 of 25 online: March's 20 but days 3, 6, …, 18; April's 5 came in person.
    assert shown[cat["procedures.online_rate"].name(lang)] == f"56{decimal}0%"


def test_choosing_a_unit_or_a_period_changes_the_figures(app_db):
    at = app_test()
    at.run()
    received = catalogue.get()["procedures.received"].name_vi
    assert {m.label: m.value for m in at.metric}[received] == "25"
    at.selectbox(key="w_unit").select("B").run()
    assert {m.label: m.value for m in at.metric}[received] == "5"
    at.selectbox(key="w_period").select("month").run()          # June 2026: nothing received
    assert {m.label: m.value for m in at.metric}[received] == "0"


@pytest.mark.parametrize("params, notice", [
    ({"period": "decade"}, "period"), ({"unit": "x' OR '1'='1"}, "unit"), ({"lang": "fr"}, "lang"),
    ({"period": "custom", "from": "2026-02-30", "to": "2026-03-01"}, "from/to"),
])
def test_bad_url_parameters_fall_back_with_a_notice(app_db, params, notice):
    at = app_test()
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert any(f"“{notice}”" in w.value for w in at.warning)
    assert at.selectbox(key="w_period").value == ("year" if "period" in params else "year")
    assert {m.label: m.value for m in at.metric}[catalogue.get()["procedures.received"].name_vi] == "25"


def test_a_link_opens_the_same_view(app_db):
    at = app_test()
    at.query_params.update({"lang": "en", "period": "custom", "from": "2026-04-01", "to": "2026-04-30", "unit": "B"})
    at.run()
    assert at.selectbox(key="w_lang").value == "en" and at.selectbox(key="w_unit").value == "B"
    assert {m.label: m.value for m in at.metric}["Dossiers received"] == "5"


def test_a_failed_source_is_named_and_the_others_still_render(app_db, monkeypatch, tmp_path):
    monkeypatch.setenv("IOC_TASKS_URL", f"sqlite:///{tmp_path / 'missing.sqlite'}")
    at = app_test()
    at.run()
    assert not at.exception
    # The tasks section, the emulation scores computed from task KPIs, and the task
    # parts of the attention panel each say which database failed.
    assert len(at.error) >= 2 and all("nhiệm vụ" in e.value for e in at.error)
    labels = {m.label for m in at.metric}
    cat = catalogue.get()
    assert cat["procedures.received"].name_vi in labels
    assert cat["tasks.assigned"].name_vi not in labels


def test_a_source_that_goes_down_keeps_its_last_figures_marked_stale(app_db, monkeypatch, tmp_path):
    at = app_test()
    at.run()
    before = {m.label: m.value for m in at.metric}
    data.procedure_kpis.clear()
    data.task_kpis.clear()
    monkeypatch.setenv("IOC_TASKS_URL", f"sqlite:///{tmp_path / 'missing.sqlite'}")
    from data_access import db as dbmod
    dbmod.dispose_all()
    data.sources.clear()
    at.run()
    assert not at.exception
    after = {m.label: m.value for m in at.metric}
    cat = catalogue.get()
    assert after[cat["tasks.assigned"].name_vi] == before[cat["tasks.assigned"].name_vi]
    assert any("Số liệu cũ" in w.value and "nhiệm vụ" in w.value for w in at.warning)


def test_open_screens_share_cached_results(app_db, monkeypatch):
    from data_access.db import Database

    calls = []
    original = Database.execute

    def counting(self, statement, limit=None):
        calls.append(self.name)
        return original(self, statement, limit)

    monkeypatch.setattr(Database, "execute", counting)
    first = app_test()
    first.run()
    queries_for_first_screen = len(calls)
    for _ in range(3):                        # three more screens on the same view
        app_test().run()
    assert queries_for_first_screen > 10
    assert len(calls) == queries_for_first_screen
