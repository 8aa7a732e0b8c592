"""The Procedures page shows the KPI engine's figures, the 766 index points, the overdue
dossiers, readable names only, and survives its database being down (AppTest)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from data_access import catalogue, procedures
from data_access.db import Sources
from data_access.model import Period, Scope
from l10n import fmt
from l10n.i18n import enum, t
from tests.conftest import app_test
from ui import data

AS_OF = dt.datetime(2026, 6, 20, 14, 30)
CARD_IDS = [k for k in catalogue.get().ids if k.startswith("procedures.")]
RAW_CODES = {"in_person", "online", "postal", "processing", "supplement_requested", "approved", "rejected",
             "withdrawn", "environment", "minerals", "A", "B", "P1", "P2"}


def open_page(params: dict[str, str]) -> AppTest:
    at = app_test()
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("screens/procedures.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_cards(url: str, period: Period, unit: str | None, lang: str) -> dict[str, str]:
    values = procedures.procedure_kpis(Sources.single(url).procedures, period, AS_OF, Scope(unit))
    cat = catalogue.get()
    return {cat[k].name(lang): fmt.kpi_value(values[k], cat[k].unit, lang) for k in CARD_IDS}


def frame_with(at: AppTest, column: str):
    found = [df.value for df in at.dataframe if column in df.value.columns]
    assert len(found) == 1, [list(df.value.columns) for df in at.dataframe]
    return found[0]


def open_dossier_ids(url: str, unit: str | None = None) -> list[str]:
    """Hand query: every dossier still open at the frozen clock is overdue in the fixture."""
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        rows = conn.execute("SELECT id, unit_code FROM dossiers WHERE finished_at IS NULL ORDER BY due_at, id").fetchall()
    return [i for i, u in rows if unit is None or u == unit]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_cards_show_the_engine_values_for_the_period_and_unit(app_db, lang):
    at = open_page({"lang": lang})
    assert at.title[0].value == t("procedures.title", lang)
    shown = metrics(at)
    expected = expected_cards(app_db, Period.year(2026), None, lang)
    for label, value in expected.items():
        assert shown[label] == value, label
    cat = catalogue.get()
    decimal = "," if lang == "vi" else "."
    assert shown[cat["procedures.received"].name(lang)] == "25"
    # 19 finished in 2026 (16 in March, 3 of unit B's in May), 12 of them on time.
    assert shown[cat["procedures.finished"].name(lang)] == "19"
    assert shown[cat["procedures.on_time_rate"].name(lang)] == f"63{decimal}2%"
    assert shown[cat["procedures.pending_overdue"].name(lang)] == "6"

    # Unit B in April 2026: its 5 dossiers, none finished in April.
    at.selectbox(key="w_unit").select("B").run()
    at.selectbox(key="w_period").select("custom").run()
    at.date_input(key="w_from").set_value(dt.date(2026, 4, 1)).run()
    at.date_input(key="w_to").set_value(dt.date(2026, 4, 30)).run()
    assert not at.exception
    shown = metrics(at)
    expected_b = expected_cards(app_db, Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30)), "B", lang)
    for label, value in expected_b.items():
        assert shown[label] == value, label
    assert shown[cat["procedures.received"].name(lang)] == "5"
    assert shown[cat["procedures.finished"].name(lang)] == "0"
    assert shown[cat["procedures.on_time_rate"].name(lang)] == "—"
    # Pending at the end of 30 April, the period's cut-off: none was due yet (today two are).
    assert shown[cat["procedures.pending"].name(lang)] == "5"
    assert shown[cat["procedures.pending_overdue"].name(lang)] == "0"


def test_a_link_with_unit_b_opens_its_figures(app_db):
    at = open_page({"lang": "en", "period": "custom", "from": "2026-04-01", "to": "2026-04-30", "unit": "B"})
    assert metrics(at)["Dossiers received"] == "5"
    assert any("Viet Nam Department of Minerals" in i.value for i in at.info)    # "showing only" banner
    assert at.button(key="proc_back").label == t("procedures.back_to_ministry", "en")


def test_choosing_a_unit_in_the_by_unit_list_drills_down(app_db):
    at = open_page({"lang": "vi"})
    received = catalogue.get()["procedures.received"].name_vi
    assert metrics(at)[received] == "25"
    drill = at.selectbox(key="proc_drill")
    assert drill.options == ["Cục Khoáng sản Việt Nam", "Vụ Pháp chế"]    # worst on-time rate first
    drill.select("B").run()
    assert not at.exception
    assert at.selectbox(key="w_unit").value == "B"
    assert metrics(at)[received] == "5"
    at.button(key="proc_back").click().run()
    assert at.selectbox(key="w_unit").value == ""
    assert metrics(at)[received] == "25"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_overdue_list_has_the_right_dossiers_longest_first_with_names(app_db, lang):
    at = open_page({"lang": lang})
    frame = frame_with(at, t("procedures.col_days_over", lang))
    ids = list(frame[t("procedures.col_dossier", lang)])
    # The four March dossiers left open (days 5, 10, 15, 20) then unit B's of 2 and 4 April.
    assert ids == open_dossier_ids(app_db) and len(ids) == 6
    units = list(frame[t("procedures.col_unit", lang)])
    assert units[:4] == ["Vụ Pháp chế" if lang == "vi" else "Department of Legal Affairs"] * 4
    assert set(frame[t("procedures.col_status", lang)]) == {enum("status", "processing", lang)}
    # 5 March, due 9 March 09:00: 103 days and 5.5 hours before 20 June 14:30.
    first = frame[t("procedures.col_days_over", lang)].iloc[0]
    assert (first == "103,2") if lang == "vi" else (first == pytest.approx(103.2))
    assert frame[t("procedures.col_procedure", lang)].iloc[-1] == (
        "Cấp giấy phép thăm dò khoáng sản" if lang == "vi" else "Mineral exploration licence")

    at.selectbox(key="w_unit").select("B").run()
    frame = frame_with(at, t("procedures.col_days_over", lang))
    assert list(frame[t("procedures.col_dossier", lang)]) == open_dossier_ids(app_db, "B")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_raw_codes_where_people_read(app_db, lang):
    at = open_page({"lang": lang})
    assert len(at.dataframe) == 3          # the units against the targets, the overdue list, by procedure
    for df in at.dataframe:
        frame = df.value
        assert not set(frame.columns) & RAW_CODES
        assert all(" " in c or c[0].isupper() for c in frame.columns), list(frame.columns)
        for column in (t("procedures.col_field", lang), t("procedures.col_status", lang),
                       t("procedures.col_unit", lang), t("procedures.col_procedure", lang)):
            if column in frame.columns:
                assert not set(frame[column]) & RAW_CODES, (column, set(frame[column]))
    by_procedure = frame_with(at, t("procedures.col_legal_days", lang))
    rows = by_procedure.set_index(t("procedures.col_procedure", lang))
    p2 = "Cấp giấy phép thăm dò khoáng sản" if lang == "vi" else "Mineral exploration licence"
    assert rows.loc[p2, t("procedures.col_field", lang)] == enum("field", "minerals", lang)
    assert str(rows.loc[p2, t("procedures.col_legal_days", lang)]) == "45"
    assert str(rows.loc[p2, t("procedures.col_finished", lang)]) == "3"
    # Unit B's 3 finished dossiers were all late: 0 % on time; it sorts first (worst).
    assert list(rows.index)[0] == p2
    on_time = rows.loc[p2, t("procedures.col_on_time", lang)]
    assert (on_time == "0,0%") if lang == "vi" else (on_time == 0)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_service_index_points_per_indicator(app_db, lang):
    at = open_page({"lang": lang})
    shown = metrics(at)
    cat = catalogue.get()
    names = {ind.indicator: f"{ind.indicator}. {ind.name(lang)}" for ind in cat.service_index}
    decimal = "," if lang == "vi" else "."
    # 2.1 on time: 12 of 19 finished on time -> 20 x 12/19 = 12.63 of 20.
    assert shown[names["2.1"]] == f"12{decimal}6 / 20"
    # 3.3 online: 14 of 25 = 56 % >= the 50 % that earns full points.
    assert shown[names["3.3"]] == f"6{decimal}0 / 6"
    # 3.6 fees paid online: unit B's 5 dossiers carry a fee, 3 paid online -> 6 x 0.6.
    assert shown[names["3.6"]] == f"3{decimal}6 / 6"
    # 1.4 synced: none of the fixture's dossiers is synced -> 0 points.
    assert shown[names["1.4"]] == f"0{decimal}0 / 6"
    assert any(t("procedures.index_note", lang, max="48") == c.value for c in at.caption)
    index_name = cat["procedures.service_index"].name(lang)
    values = procedures.procedure_kpis(Sources.single(app_db).procedures, Period.year(2026), AS_OF, Scope.ministry())
    assert shown[index_name] == fmt.kpi_value(values["procedures.service_index"], "index", lang)


def test_an_unreachable_procedures_database_is_named_and_nothing_breaks(app_db, monkeypatch, tmp_path):
    monkeypatch.setenv("IOC_PROCEDURES_URL", f"sqlite:///{tmp_path / 'missing.sqlite'}")
    data.clear_caches()
    at = open_page({"lang": "vi"})
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and all("thủ tục hành chính" in e for e in errors)
    assert len(errors) <= 2      # one for the live cards, one for the sections below; not one per section
    assert not at.metric and not at.dataframe
    assert at.title[0].value == "Thủ tục hành chính"
    assert any(t("procedures.unavailable", "vi") == c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_page_opens_with_the_units_against_the_targets_then_the_overdue_dossiers(app_db, lang):
    from data_access import figures
    from ui import league

    at = open_page({"lang": lang})
    headings = [h.value for h in at.subheader]
    assert headings[:3] == [":material/leaderboard: " + t("procedures.league_heading", lang),
                            ":material/alarm: " + t("procedures.overdue_heading", lang),
                            ":material/dashboard: " + t("procedures.headline", lang)]
    table, overdue = at.dataframe[0].value, at.dataframe[1].value
    labels = league.column_labels(league.PROCEDURES, lang, short=True)
    assert list(table.columns) == [t("league.col_unit", lang), *labels.values()]
    b, a = ("Cục Khoáng sản Việt Nam", "Vụ Pháp chế") if lang == "vi" else \
        ("Viet Nam Department of Minerals", "Department of Legal Affairs")
    assert list(table[t("league.col_unit", lang)]) == [b, a]          # B misses more targets
    per_unit = figures.compute(Sources.single(app_db), Period.year(2026), AS_OF, Scope.ministry(), by="unit",
                               domains=("procedures",)).breakdown
    for row, code in zip(table.itertuples(index=False), ("B", "A")):
        cells = dict(zip(table.columns, row))
        for kpi_id, label in labels.items():
            expected = per_unit[code][kpi_id]
            assert (cells[label] != cells[label]) if expected is None else cells[label] == pytest.approx(expected)
    rows = table.set_index(t("league.col_unit", lang))
    # By hand: received A 20, B 5; on time A 12 of 16, B 0 of 3; B's 5 dossiers carry a
    # fee and 3 were paid online.
    assert list(rows[labels["procedures.received"]]) == [5, 20]
    assert rows.loc[a, labels["procedures.on_time_rate"]] == pytest.approx(0.75)
    assert rows.loc[b, labels["procedures.online_payment_rate"]] == pytest.approx(0.6)
    # The overdue list: who, by when and how late first (the columns a phone shows).
    assert list(overdue.columns[:3]) == [t("procedures.col_unit", lang), t("procedures.col_due_at", lang),
                                         t("procedures.col_days_over", lang)]


def test_a_drill_down_link_lands_on_the_units_procedures(app_db):
    at = open_page({"lang": "vi", "unit": "B", "section": "by_procedure.2"})
    assert any("ioc-by-procedure" in h.proto.body and "scrollIntoView" in h.proto.body for h in at.get("html"))
    by_procedure = frame_with(at, t("procedures.col_legal_days", "vi"))
    assert list(by_procedure[t("procedures.col_procedure", "vi")]) == ["Cấp giấy phép thăm dò khoáng sản"]


def test_a_unit_heads_table_is_their_unit_alone_with_no_way_to_the_whole_ministry(app_db):
    at = app_test("headb")
    at.run()
    at.switch_page("screens/procedures.py").run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "proc_back"]
    table = at.dataframe[0].value
    assert list(table[t("league.col_unit", "vi")]) == ["Cục Khoáng sản Việt Nam"]
