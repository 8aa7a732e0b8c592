"""The Overview page shows exactly the KPI engine's figures (AppTest, no browser)."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from data_access import catalogue, procedures, report, tasks
from data_access.db import Sources
from data_access.model import Period, Scope
from data_access.settings import PROJECT_ROOT
from ui import data, fmt

from .builders import Rows

D = dt.datetime
AS_OF = "2026-06-20 14:30:00"


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    rows = Rows.new_sqlite(tmp_path / "app.sqlite")
    url = rows.url
    rows.unit("A")
    rows.procedure("P1", unit_code="A")
    for day in range(1, 21):
        finished = D(2026, 3, day, 9) + dt.timedelta(days=day % 7)
        rows.dossier(D(2026, 3, day, 9), due_at=D(2026, 3, day, 9) + dt.timedelta(days=4),
                     finished_at=finished if day % 5 else None, channel="online" if day % 3 else "in_person",
                     rating=5 if day % 4 else 2)
    rows.task(D(2026, 2, 1, 9), dt.date(2026, 3, 1), D(2026, 2, 20, 9))
    rows.task(D(2026, 2, 1, 9), dt.date(2026, 5, 1), None)
    rows.task(D(2026, 2, 1, 9), dt.date(2026, 6, 24), None)
    rows.movement(1, 2026)
    rows.block(1, 1, "A")
    rows.criterion(1, 1, 100)
    rows.evaluation(1, "A", 1, "FY", 88)
    rows.award(dt.date(2026, 1, 15), "emulation_flag")
    rows.close()
    for source in ("PROCEDURES", "TASKS", "EMULATION"):
        monkeypatch.setenv(f"IOC_{source}_URL", url)
    monkeypatch.setenv("IOC_AS_OF", AS_OF)
    data.clear_caches()
    yield url
    data.clear_caches()


def expected_cards(url: str, lang: str) -> dict[str, str]:
    sources = Sources.single(url)
    result = report.compute(sources, Period.year(2026), dt.datetime.fromisoformat(AS_OF), Scope.ministry())
    cat = catalogue.get()
    return {cat[k].name(lang): fmt.kpi_value(v, cat[k].unit, lang) for k, v in result["kpis"].items()}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_overview_cards_show_the_engine_values(app_db, lang):
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
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
    assert shown[cat["procedures.received"].name(lang)] == "20"
    assert shown[cat["tasks.in_progress_overdue"].name(lang)] == "1"
    assert shown[cat["emulation.awards"].name(lang)] == "1"
    decimal = "," if lang == "vi" else "."
    assert shown[cat["procedures.online_rate"].name(lang)] == f"70{decimal}0%"     # 14 of 20 online (all but days 3, 6, …, 18)


def test_a_failed_source_is_named_and_the_others_still_render(app_db, monkeypatch, tmp_path):
    monkeypatch.setenv("IOC_TASKS_URL", f"sqlite:///{tmp_path / 'missing.sqlite'}")
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
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
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
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
