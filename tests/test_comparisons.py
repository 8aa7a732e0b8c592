"""The cards' comparisons: the previous period and the same period last year, each taken
to the same elapsed point while the current period runs, named with their dates in the
card's help; the cards' small trends and the trend charts coloured by status, with the
month on hover, a running month marked; no chart offers its action menu."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from data_access import catalogue, figures
from data_access.model import Period, Scope
from data_access.periods import LAST_YEAR, PREVIOUS, comparisons, preset
from design.palette import LIGHT
from tests.conftest import app_test

D = dt.datetime
AS_OF = D(2026, 6, 20, 14, 30)          # tests.conftest.APP_AS_OF


def _layers(spec: dict):
    """Every view of a (layered) Vega-Lite spec."""
    yield spec
    for child in spec.get("layer", []):
        yield from _layers(child)


def _rows(spec: dict) -> list[dict]:
    """The rows of a spec's months (a target rule's one-row dataset left out)."""
    return [row for rows in spec.get("datasets", {}).values() for row in rows if "month" in row]


# --- the figures of the comparison periods, on every engine ----------------------------------
def test_the_comparison_periods_count_what_the_same_elapsed_part_of_each_holds(rows, sources):
    """June 2026 seen on 20 June 14:30: the previous period is 1 May – 20 May 14:30 (not the
    whole of May), last year 1 June – 20 June 2025 14:30; a dossier pending on 20 May and
    finished on 28 May is pending at that point of May."""
    rows.unit("A")
    rows.procedure("P1", unit_code="A")
    for day in (2, 9, 16):                                         # this June, to the 20th
        rows.dossier(D(2026, 6, day, 9), due_at=D(2026, 7, day, 9))
    rows.dossier(D(2026, 5, 5, 9), due_at=D(2026, 6, 5, 9), finished_at=D(2026, 5, 8, 9))
    rows.dossier(D(2026, 5, 10, 9), due_at=D(2026, 6, 10, 9), finished_at=D(2026, 5, 28, 9))
    rows.dossier(D(2026, 5, 20, 15), due_at=D(2026, 6, 20, 9))    # after 14:30 on the 20th: not yet
    rows.dossier(D(2026, 5, 25, 9), due_at=D(2026, 6, 25, 9))     # later in May: not comparable
    rows.dossier(D(2025, 6, 10, 9), due_at=D(2025, 7, 10, 9), finished_at=D(2025, 6, 12, 9))   # last year, in the window
    rows.dossier(D(2025, 6, 25, 9), due_at=D(2025, 7, 25, 9), finished_at=D(2025, 6, 27, 9))   # last year, after it
    period = preset("month", AS_OF.date())
    both = comparisons(period, AS_OF)

    def kpis(p: Period, as_of: dt.datetime) -> dict:
        return figures.compute(sources, p, as_of, Scope.ministry(), domains=("procedures",)).kpis

    now = kpis(period, AS_OF)
    before = kpis(both[PREVIOUS].period, both[PREVIOUS].as_of)
    last = kpis(both[LAST_YEAR].period, both[LAST_YEAR].as_of)
    assert (now["procedures.received"], before["procedures.received"], last["procedures.received"]) == (3, 2, 1)
    assert (before["procedures.finished"], before["procedures.pending"]) == (1, 1)
    # The whole of May, which the card must not compare with, holds two more.
    whole_may = kpis(both[PREVIOUS].period, AS_OF)
    assert (whole_may["procedures.received"], whole_may["procedures.pending"]) == (4, 2)


# --- the card's help names both periods with their dates ---------------------------------------
def _helps(at) -> dict[str, str]:
    return {m.label: m.proto.help for m in at.metric}


def test_a_running_quarter_s_card_names_both_periods_with_their_dates_and_values(app_db):
    at = app_test()
    at.session_state["view_period"] = "quarter"
    at.query_params["period"] = "quarter"
    at.run()
    assert not at.exception
    received = _helps(at)[catalogue.get()["procedures.received"].name_vi]
    # Q2 2026 to 20 June 14:30: April's 5 dossiers. Q1 to 20 March 14:30: March's 1st–20th.
    assert "Kỳ trước (01/01–20/03/2026, đến 14:30): 20; chênh lệch -15" in received
    assert "Cùng kỳ năm trước (01/04–20/06/2025, đến 14:30): 0; chênh lệch +5" in received
    assert "Kỳ này mới tính đến 14:30 20/06/2026" in received


def test_a_year_compares_with_last_year_to_the_same_day_once_and_a_past_year_with_whole_years(app_db):
    at = app_test()
    at.run()
    received = _helps(at)[catalogue.get()["procedures.received"].name_vi]
    assert "Kỳ trước, cũng là cùng kỳ năm trước (01/01–20/06/2025, đến 14:30): 0; chênh lệch +25" in received
    assert "Cùng kỳ năm trước (" not in received
    metric = next(m for m in at.metric if m.label == catalogue.get()["procedures.received"].name_vi)
    assert metric.proto.delta_description == "so với cùng kỳ"

    at = app_test()
    at.query_params["period"] = "last_year"
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    received = _helps(at)[catalogue.get()["procedures.received"].name_en]
    assert "Previous period, also the same period last year (01 Jan–31 Dec 2024): 0; change ±0" in received
    assert "to 14:30" not in received and "runs only to" not in received


# --- the cards' small trends -------------------------------------------------------------------
def _card_app(kpi_id: str, value, trend: list, months: list[str], through: dt.datetime):
    from streamlit.testing.v1 import AppTest

    def script(kpi_id, value, trend, months, through):
        from ui.cards import Series, kpi_card

        kpi_card(kpi_id, value, "vi", trend=Series(trend, months, through))

    from streamlit import dataframe_util

    at = AppTest.from_function(script, args=(kpi_id, value, trend, months, through), default_timeout=30)
    at.run()
    assert not at.exception
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    # Streamlit sends a chart's data apart from its spec, as Arrow: put it back.
    spec = json.loads(charts[0].proto.spec)
    spec["datasets"] = {d.name: dataframe_util.convert_arrow_bytes_to_pandas_df(d.data.data).to_dict("records")
                        for d in charts[0].proto.datasets}
    return at, spec


MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


def test_a_card_below_target_draws_its_trend_in_its_badge_s_colour_with_the_month_on_hover():
    """87,8 % against a 95 % target is "Không đạt" (red): the line is red, whatever the
    change (here rising), and each point's tooltip names its month and value."""
    kpi = catalogue.get()["tasks.on_time_rate"]
    assert kpi.status(0.878) == "red"
    rising = [0.70 + 0.01 * i for i in range(11)] + [0.2]
    at, spec = _card_app(kpi.id, 0.878, rising, MONTHS, D(2026, 12, 2, 10))
    assert ":red-badge[" in at.markdown[0].value and "Không đạt" in at.markdown[0].value
    line = next(v for v in _layers(spec) if v.get("mark", {}).get("type") == "line")
    assert line["mark"]["color"] == LIGHT.red
    tooltips = [v["encoding"]["tooltip"] for v in _layers(spec) if "tooltip" in v.get("encoding", {})]
    assert tooltips and all([t["title"] for t in tip] == ["Tháng", kpi.name_vi] for tip in tooltips)
    november = next(r for r in _rows(spec) if r["month"] == "2026-11")
    assert (november["period_label"], november["value_text"]) == ("11/2026", "80,0%")


def test_a_card_s_running_month_is_drawn_apart_and_labelled_not_as_a_full_month():
    """A count's December holds two days (4 dossiers against about 8.000 a month): it is
    left out of the line, a point of its own, "đến 02/12" under it; the months before are
    full. No target: the neutral grey."""
    kpi = catalogue.get()["procedures.received"]
    counts = [8000 + 10 * i for i in range(11)] + [4]
    _at, spec = _card_app(kpi.id, 96_453, counts, MONTHS, D(2026, 12, 2, 10))
    rows = _rows(spec)
    assert [r["month"] for r in rows if r["partial"]] == ["2026-12"]
    assert next(r for r in rows if r["partial"])["period_label"] == "12/2026 (đến 02/12)"
    line = next(v for v in _layers(spec) if v.get("mark", {}).get("type") == "line")
    assert line["transform"] == [{"filter": "!datum.partial && isValid(datum.value)"}]
    assert line["mark"]["color"] == LIGHT.grey
    running = [v for v in _layers(spec) if v.get("transform") == [{"filter": "datum.partial && isValid(datum.value)"}]]
    assert running and running[0]["mark"]["filled"] is False
    assert "'đến 02/12'" in spec["layer"][0]["encoding"]["x"]["axis"]["labelExpr"]


def test_a_trend_of_a_period_already_over_has_no_running_month():
    kpi = catalogue.get()["procedures.received"]
    _at, spec = _card_app(kpi.id, 100, [10] * 12, [f"2025-{m:02d}" for m in range(1, 13)], D(2025, 12, 31, 23, 59, 59))
    assert not any(r["partial"] for r in _rows(spec))


# --- the trend charts --------------------------------------------------------------------------
def _trend_frame(app_db, domain: str, as_of: dt.datetime) -> pd.DataFrame:
    from ui import data

    fetch = data.procedure_trend if domain == "procedures" else data.task_trend
    got = fetch.within(None, as_of=as_of)
    assert got.ok and got.value.attrs["through"] == as_of
    return got.value


def test_the_procedures_trend_marks_its_running_month_and_colours_each_month_by_status(app_db):
    from ui import charts
    from ui import procedures_view as pv

    frame = pv.trend_frame(_trend_frame(app_db, "procedures", AS_OF), "vi")
    spec = pv.trend_chart(frame, "vi").to_dict()
    rows = _rows(spec)
    june = next(r for r in rows if r["month"] == "2026-06")
    assert (june["partial"], june["period_label"], june["partial_text"]) == (True, "06/2026 (đến 20/06)", "đến 20/06")
    assert not any(r["partial"] for r in rows if r["month"] != "2026-06")
    # March: 20 received, 8 of 16 finished on time (50 %) against 98 %: red; bars of
    # the running month a third as opaque as the full ones.
    march = next(r for r in rows if r["month"] == "2026-03")
    assert (march["received"], march["status"]) == (20, "red")
    views = list(_layers(spec))
    bars = next(v for v in views if v.get("mark", {}).get("type") == "bar")
    assert bars["encoding"]["opacity"]["condition"]["test"] == "datum.partial"
    points = [v for v in views if v.get("mark", {}).get("type") == "point"]
    assert all(v["encoding"]["color"]["field"] == "status" for v in points)
    assert spec["usermeta"] == charts.NO_ACTIONS
    tips = bars["encoding"]["tooltip"]
    assert tips[0] == {"field": "period_label", "type": "nominal", "title": "Tháng"}


def test_the_tasks_trend_colours_months_below_target_and_marks_the_running_month(app_db):
    from ui import charts
    from ui import tasks_view as tv

    kpi = catalogue.get()["tasks.on_time_rate"]
    frame = tv.trend_frame(_trend_frame(app_db, "tasks", AS_OF), "vi")
    spec = charts.monthly_rate(frame, rate="rate", rate_title=kpi.name_vi, lang="vi", kpi=kpi).to_dict()
    rows = _rows(spec)
    # February's three tasks: the report done on time, the auction one overdue since 1 May,
    # the decree still in time: 1 ÷ 2 = 50 % against 95 %, red. The running June is marked.
    february = next(r for r in rows if r["month"] == "2026-02")
    assert (february["rate"], february["status"], february["rate_text"]) == (0.5, "red", "50,0%")
    assert [r["month"] for r in rows if r["partial"]] == ["2026-06"]
    line = next(v for v in _layers(spec) if v.get("mark", {}).get("type") == "line")
    assert line["mark"]["color"] == LIGHT.grey           # neutral: the points carry the status
    points = [v for v in _layers(spec) if v.get("mark", {}).get("type") == "point"]
    assert {json.dumps(v["encoding"]["color"]["scale"]["range"]) for v in points} == {
        json.dumps([LIGHT.green, LIGHT.amber, LIGHT.red, LIGHT.grey])}
    assert all(v["encoding"]["tooltip"][0]["field"] == "period_label" for v in points)


def test_a_rate_below_target_is_red_and_between_the_thresholds_amber():
    from ui import charts

    kpi = catalogue.get()["tasks.on_time_rate"]          # target 95 %, amber from 90 %
    frame = pd.DataFrame({"month": ["2026-09", "2026-10", "2026-11"], "rate": [0.96, 0.92, 0.80]})
    assert list(charts.with_rate_status(frame, "rate", kpi=kpi)["status"]) == ["green", "amber", "red"]


# --- no chart offers its action menu ---------------------------------------------------------------
def test_every_chart_the_factories_make_has_its_actions_off(app_db):
    from ui import charts
    from ui import procedures_view as pv
    from ui import tasks_view as tv

    kpi = catalogue.get()["tasks.on_time_rate"]
    bars = pd.DataFrame({"name": ["A", "B"], "value": [3, 5]})
    stacked = pd.DataFrame({"label": ["A", "A"], "status": ["completed_on_time", "completed_late"],
                            "status_name": ["x", "y"], "count": [2, 1], "status_order": [0, 1]})
    made = {
        "ranked_bars": charts.ranked_bars(bars, label="name", value="value", value_title="n", lang="vi"),
        "stacked_status_bars": charts.stacked_status_bars(stacked, label="label", lang="vi",
                                                          status_names={"completed_on_time": "x"}, value_title="n"),
        "monthly_rate": charts.monthly_rate(tv.trend_frame(_trend_frame(app_db, "tasks", AS_OF), "vi"), rate="rate",
                                            rate_title="r", lang="vi", kpi=kpi),
        "sparkline": charts.sparkline(MONTHS[:3], [1, 2, 3], kpi=kpi, status="red", lang="vi"),
        "procedures trend": pv.trend_chart(pv.trend_frame(_trend_frame(app_db, "procedures", AS_OF), "vi"), "vi"),
    }
    for name, chart in made.items():
        assert chart.to_dict()["usermeta"] == {"embedOptions": {"actions": False}}, name


def test_the_app_hides_the_toolbar_of_charts_only(app_db):
    from ui import charts

    at = app_test()
    at.run()
    assert not at.exception
    styles = [e.proto.body for e in at.get("html")]
    assert charts.TOOLBAR_CSS in styles
    # The chart's toolbar (Show data, Download as PNG, Copy Vega-Lite spec, Fullscreen),
    # not a table's.
    assert '[data-testid="stElementToolbar"]:has(~ [data-testid="stVegaLiteChart"])' in charts.TOOLBAR_CSS
