"""The Overview page shows exactly the KPI engine's figures (AppTest, no browser)."""

from __future__ import annotations

import datetime as dt

import pytest

from ui.controls import bad_value_notice

from data_access import catalogue, report
from data_access.db import Sources
from data_access.model import Period, Scope
from l10n import fmt
from l10n.i18n import t
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
    assert [w.value for w in at.warning] == [bad_value_notice(notice, "vi")]
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


# --- the first screen: who answers for what is late, each item a link to its rows --------
def page_links(at) -> dict[str, tuple[str, dict[str, str]]]:
    """Each link of the page: its label → (the page it opens, its URL parameters)."""
    from urllib.parse import parse_qsl

    return {link.proto.label: (link.proto.page, dict(parse_qsl(link.proto.query_string)))
            for link in at.get("page_link")}


def test_the_attention_panel_names_each_unit_and_links_to_its_rows(app_db):
    at = app_test()
    at.run()
    assert not at.exception
    links = page_links(at)

    def target(label):
        page, params = links[label]
        return page, params.get("unit"), params["section"].split(".")[0]

    # Overdue pending dossiers by unit: A's four March dossiers left open (days 5, 10, 15,
    # 20), B's two of April (2 and 4, due in May); each opens the overdue list of its unit.
    assert target("4 · Vụ Pháp chế") == ("procedures", "A", "overdue")
    assert target("2 · Cục Khoáng sản Việt Nam") == ("procedures", "B", "overdue")
    assert target("Danh sách hồ sơ quá hạn") == ("procedures", None, "overdue")
    # Overdue tasks by unit: B's Prime Minister task, due 1 May.
    assert target("1 · Cục Khoáng sản Việt Nam") == ("tasks", "B", "overdue")
    # Below the 98 % on-time target: B finished 3, all late (0 %); A 12 of 16 (75 %); and
    # each procedure, named with the unit that handles it.
    assert target("0,0% · Cục Khoáng sản Việt Nam") == ("procedures", "B", "by_procedure")
    assert target("75,0% · Vụ Pháp chế") == ("procedures", "A", "by_procedure")
    assert target("0,0% · Cấp giấy phép thăm dò khoáng sản · Cục Khoáng sản Việt Nam") == \
        ("procedures", "B", "by_procedure")
    assert target("75,0% · Cấp giấy phép môi trường · Vụ Pháp chế") == ("procedures", "A", "by_procedure")
    # Due in the next 7 days: A's legal document, due 24 June (4 days after 20 June).
    assert target("1 · Vụ Pháp chế") == ("tasks", "A", "deadlines")
    # Every link keeps the view (language, period, structure).
    assert all(p["lang"] == "vi" and p["period"] == "year" and p["structure"] == "current"
               for _, p in links.values())


def league_frame(at, lang: str = "vi"):
    from l10n.i18n import t

    found = [d.value for d in at.dataframe if t("league.col_unit", lang) in d.value.columns]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_league_table_holds_each_units_figures_of_the_engine(app_db, lang):
    from data_access import figures
    from l10n.i18n import t
    from ui import league

    at = app_test()
    at.query_params["lang"] = lang
    at.run()
    frame = league_frame(at, lang)
    names = {"A": "Vụ Pháp chế", "B": "Cục Khoáng sản Việt Nam"} if lang == "vi" else \
        {"A": "Department of Legal Affairs", "B": "Viet Nam Department of Minerals"}
    # B missed more targets (every judged one) than A: it comes first.
    assert list(frame[t("league.col_unit", lang)]) == [names["B"], names["A"]]
    per_unit = figures.compute(Sources.single(app_db), Period.year(2026), dt.datetime.fromisoformat(AS_OF),
                               Scope.ministry(), by="unit").breakdown
    labels = league.column_labels(league.OVERVIEW, lang)
    for row, code in zip(frame.itertuples(index=False), ("B", "A")):
        cells = dict(zip(frame.columns, row))
        for kpi_id in league.OVERVIEW:
            expected = per_unit[code][kpi_id]
            shown = cells[labels[kpi_id]]
            assert (shown != shown) if expected is None else shown == pytest.approx(expected), (code, kpi_id)
    # Worked out by hand: on time, B 0 of 3 and A 12 of 16; overdue dossiers B 2, A 4;
    # tasks on time, B 0 of 1 (its one task overdue), A 1 of 1.
    rows = frame.set_index(t("league.col_unit", lang))
    assert rows.loc[names["B"], labels["procedures.on_time_rate"]] == 0
    assert rows.loc[names["A"], labels["procedures.on_time_rate"]] == pytest.approx(0.75)
    assert rows.loc[names["A"], labels["procedures.pending_overdue"]] == 4
    assert rows.loc[names["B"], labels["tasks.in_progress_overdue"]] == 1
    assert rows.loc[names["A"], labels["tasks.on_time_rate"]] == 1


def test_league_cells_read_in_the_readers_format_with_the_status_mark():
    from ui import league

    kpi = catalogue.get()["procedures.on_time_rate"]
    assert league.cell_text(0.75, kpi, "vi") == "✗ 75,0%"
    assert league.cell_text(0.99, kpi, "en") == "✓ 99.0%"
    assert league.cell_text(float("nan"), kpi, "vi") == "—"
    overdue = catalogue.get()["procedures.pending_overdue"]
    assert league.cell_text(1234, overdue, "vi").endswith("1.234")
    # Units with nothing to judge (no dossier, no task) are left out; the worst first.
    per_unit = {"X": {"procedures.on_time_rate": None, "procedures.pending_overdue": 0},
                "Y": {"procedures.on_time_rate": 0.99, "procedures.pending_overdue": 0},
                "Z": {"procedures.on_time_rate": 0.50, "procedures.pending_overdue": 3}}
    frame = league.frame(per_unit, ["procedures.on_time_rate", "procedures.pending_overdue"],
                         {"X": "x", "Y": "y", "Z": "z"}, "vi")
    assert list(frame.index) == ["Z", "Y"]


def test_the_page_opens_on_the_four_headline_tiles_then_what_needs_attention(app_db):
    at = app_test()
    at.run()
    cat = catalogue.get()
    first = [m.label for m in at.metric][:4]
    assert first == [cat[k].name_vi for k in ("procedures.on_time_rate", "procedures.pending_overdue",
                                               "tasks.on_time_rate", "tasks.in_progress_overdue")]
    # 12 of 19 finished on time; 6 pending past their due time; 1 of 2 judged tasks on time; 1 overdue.
    assert [m.value for m in at.metric][:4] == ["63,2%", "6", "50,0%", "1"]
    assert at.subheader[0].value.endswith(t("overview.attention", "vi"))


def test_a_past_period_names_what_was_late_at_its_cut_off_and_what_is_due_from_today(app_db):
    at = app_test()
    at.query_params.update({"period": "custom", "from": "2026-04-01", "to": "2026-04-30"})
    at.run()
    assert not at.exception
    links = page_links(at)
    # At the end of 30 April A's four March dossiers were pending past their due time; B's
    # April dossiers were not due before May: B is not named.
    assert links["4 · Vụ Pháp chế"][1]["unit"] == "A"
    assert not [label for label in links if label.endswith("· Cục Khoáng sản Việt Nam") and label[0].isdigit()
                and "%" not in label]
    # No task was assigned in April: none overdue among them.
    assert any(c.value == t("overview.none_overdue_tasks", "vi") for c in at.caption)
    # Tasks due this week are live, from 20 June whatever the period: A's, due 24 June.
    assert any(c.value == t("overview.due_live", "vi", today="20/06/2026") for c in at.caption)
    assert links["1 · Vụ Pháp chế"][1]["section"].startswith("deadlines.")
