"""Helpers of the Tasks page: the four Government categories as chart frames, and the
task lists (due soon, overdue) as tables a unit head can work from — names in the
reader's language, never codes."""

from __future__ import annotations

import math
from typing import Iterable

import pandas as pd
import streamlit as st

from data_access import catalogue
from design import palette
from l10n import fmt
from l10n.i18n import enum, t

from . import charts

# The four categories of Decision 42/2014/QĐ-TTg reports, in the order officials read
# them, with the KPI that counts each.
STATUS_KPI = {
    "completed_on_time": "tasks.completed_on_time",
    "completed_late": "tasks.completed_late",
    "in_progress_on_time": "tasks.in_progress_on_time",
    "in_progress_overdue": "tasks.in_progress_overdue",
}
SOURCES = ("government", "prime_minister", "ministry_leaders", "other")
DUE_WINDOWS = (7, 14, 30)
LIST_LIMIT = 500
# The two tables side by side on the first screen: eight rows each, then they scroll.
FIRST_SCREEN_HEIGHT = 38 + 35 * 8
# Side by side they need a laptop's width: on a tablet, the by-unit table's half would
# hide its counts behind the unit names, so below 1100 px the two stack (Streamlit's own
# columns stack only below 640 px).
FIRST_SCREEN_CSS = """<style>
@media (max-width: 1100px) {
  .st-key-tasks_first [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]) { flex-direction: column; }
  .st-key-tasks_first [data-testid="stColumn"] { width: 100% !important; flex: 1 1 100% !important; }
}
</style>"""

HEADLINE_ROWS = [
    ["tasks.completed_on_time", "tasks.completed_late", "tasks.in_progress_on_time", "tasks.in_progress_overdue"],
    ["tasks.assigned", "tasks.on_time_rate", "tasks.legal_docs_completion_rate", "tasks.due_next_7_days"],
]


def unit_name(units: dict, code: str | None, lang: str) -> str:
    names = units.get(code)
    if names:
        return names[0 if lang == "vi" else 1]
    return t("tasks.unknown_unit", lang) if code is None else str(code)


def status_names(lang: str) -> dict[str, str]:
    return {code: enum("task_status", code, lang) for code in STATUS_KPI}


def unit_ranking(breakdown: dict) -> list:
    """Unit codes, the most overdue first; then the lowest on-time rate, the most tasks."""
    def key(code):
        values = breakdown[code]
        rate = values["tasks.on_time_rate"]
        return (-values["tasks.in_progress_overdue"], math.inf if rate is None else rate,
                -values["tasks.assigned"], str(code))
    return sorted(breakdown, key=key)


def status_frame(breakdown: dict, keys: Iterable, labels: dict, lang: str) -> pd.DataFrame:
    """The long frame `charts.stacked_status_bars` draws: one row per key and category."""
    names = status_names(lang)
    rows = []
    for key in keys:
        values = breakdown.get(key) or {}
        for order, (status, kpi_id) in enumerate(STATUS_KPI.items()):
            rows.append({"label": labels[key], "code": key, "status": status, "status_name": names[status],
                         "status_order": order, "count": int(values.get(kpi_id) or 0)})
    return pd.DataFrame(rows, columns=["label", "code", "status", "status_name", "status_order", "count"])


def status_chart(frame: pd.DataFrame, lang: str, *, order: list[str], label_title: str, pick: str | None = None):
    """Stacked bars in the given label order (not by total), optionally clickable."""
    import altair as alt

    chart = charts.stacked_status_bars(frame, label="label", lang=lang, status_names=status_names(lang),
                                       value_title=t("tasks.task_count", lang))
    names = status_names(lang)
    legend_labels = " : ".join(f"datum.value == '{code}' ? '{name}'" for code, name in names.items())
    categories = list(palette.TASK_CATEGORIES)
    colours = charts.scheme().task_categories
    chart = chart.encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320, labelFontSize=12, labelOverlap=False)),
        # Two legend columns fit a half-width column; the plot keeps room for every label.
        color=alt.Color("status:N", title=None, sort=categories,
                        scale=alt.Scale(domain=categories, range=[colours[c] for c in categories]),
                        legend=alt.Legend(orient="bottom", columns=2, labelExpr=f"{legend_labels} : datum.value",
                                          labelLimit=260, labelFontSize=12, symbolType="square")),
        tooltip=[alt.Tooltip("label:N", title=t(f"tasks.{label_title}", lang)),
                 alt.Tooltip("status_name:N", title=t("tasks.tooltip_status", lang)),
                 alt.Tooltip("count:Q", title=t("tasks.task_count", lang))],
    )
    # Under Streamlit the height holds the axis and the legend too: give each bar 30 px
    # (at least 150 px of bars in all), and never drop a label.
    chart = chart.properties(height=max(30 * len(order), 150) + 110)
    if pick:
        chart = chart.add_params(alt.selection_point(name=pick, fields=["code"], on="click"))
    return chart


DRILL_COUNT = "_tasks_drill"     # part of the clickable widgets' keys: a new key per drill,
                                 # so an old click is never replayed


def drill_key(name: str) -> str:
    return f"{name}_{st.session_state.get(DRILL_COUNT, 0)}"


def set_unit(code: str | None) -> None:
    """Narrow the view to a unit (None: the whole ministry). Called as a widget callback,
    before the sidebar is drawn, so the sidebar's unit box shows the new unit too.

    `controls.drill_to_unit` (called in the script, after the sidebar) cannot do that:
    the box keeps showing the old unit and its next rerun undoes the drill."""
    st.session_state[DRILL_COUNT] = st.session_state.get(DRILL_COUNT, 0) + 1
    st.session_state["view_unit"] = code or ""
    st.session_state["w_unit"] = code or ""
    st.session_state[_RERUN_APP] = True


_RERUN_APP = "_tasks_rerun_app"


def rerun_if_drilled() -> None:
    """Call first in a fragment whose widgets drill: a click there reruns only the
    fragment, but a new unit needs the whole page (sidebar, title, every section)."""
    if st.session_state.pop(_RERUN_APP, False):
        st.rerun(scope="app")


def picked(state, pick: str) -> str | None:
    """The code clicked in a chart made with `status_chart(pick=...)`, if any."""
    try:
        points = state["selection"][pick]
    except (KeyError, TypeError):
        return None
    for point in points or []:
        if isinstance(point, dict) and point.get("code"):
            return point["code"]
    return None


def on_chart_pick(key: str, pick: str, current: str | None) -> None:
    code = picked(st.session_state.get(key), pick)
    if code and code != current:
        set_unit(code)


def on_row_pick(key: str, codes: list, current: str | None) -> None:
    try:
        rows = st.session_state[key]["selection"]["rows"]
    except (KeyError, TypeError):
        return
    if rows and 0 <= rows[0] < len(codes) and codes[rows[0]] != current:
        set_unit(codes[rows[0]])


def unit_table(breakdown: dict, order: list, units: dict, lang: str) -> pd.DataFrame:
    rows = []
    for code in order:
        values = breakdown[code]
        rows.append({"code": code, "unit": unit_name(units, code, lang), "assigned": values["tasks.assigned"],
                     **{status: values[kpi_id] for status, kpi_id in STATUS_KPI.items()},
                     # The grid writes a number's decimals the English way: in Vietnamese the
                     # rate is its text ("53,1%"; the rows come in their order already).
                     "on_time_rate": fmt.percent(values["tasks.on_time_rate"], lang) if lang == "vi"
                     else None if values["tasks.on_time_rate"] is None
                     else round(values["tasks.on_time_rate"] * 100, 1)})
    return pd.DataFrame(rows)


def unit_table_columns(lang: str) -> dict[str, str]:
    """The unit, then what it is late on and its on-time rate (what fits the first
    screen's half width), then the rest of its four categories."""
    names = status_names(lang)
    return {"unit": t("tasks.col_unit", lang), "in_progress_overdue": t("tasks.col_overdue_count", lang),
            "on_time_rate": t("tasks.col_on_time_rate", lang),
            "assigned": catalogue.get()["tasks.assigned"].name(lang),
            **{status: names[status] for status in STATUS_KPI if status != "in_progress_overdue"}}


def unit_table_config(lang: str) -> dict:
    rate = st.column_config.TextColumn(width=112, alignment="right") if lang == "vi" else \
        st.column_config.NumberColumn(format="%.1f%%", width=112)
    counts = {status: st.column_config.NumberColumn(format="%d", width=105) for status in ["assigned", *STATUS_KPI]}
    counts["in_progress_overdue"] = st.column_config.NumberColumn(
        format="%d", width=100, help=status_names(lang)["in_progress_overdue"])
    return {"unit": st.column_config.TextColumn(width=175, pinned=True), **counts,
            "on_time_rate": rate}


def task_rows(frame: pd.DataFrame, units: dict, lang: str, current=None) -> pd.DataFrame:
    """A row list of `data_access.lists` in words: title in the language, names for codes.

    `current(code)`, in the current structure, names the unit that now answers for a task
    assigned to a unit since merged away: the task is listed under it, and the unit it
    was assigned to is shown beside it (`assigned_unit`, empty when the same)."""
    out = pd.DataFrame(index=frame.index)
    if lang == "vi":
        out["title"] = frame["title_vi"]
    else:
        out["title"] = [en if isinstance(en, str) and en.strip() else vi
                        for en, vi in zip(frame["title_en"], frame["title_vi"])]
    out["ref"] = frame["ref"].fillna("—")
    out["source"] = [enum("source", v, lang) for v in frame["source"]]
    codes = list(frame["lead_unit_code"])
    now = [current(code) if current is not None and code is not None else code for code in codes]
    out["unit"] = [unit_name(units, code, lang) for code in now]
    out["assigned_unit"] = ["" if heir == code else unit_name(units, code, lang) for code, heir in zip(codes, now)]
    out["due_date"] = frame["due_date"]
    for extra in ("days_left", "days_overdue"):
        if extra in frame:
            out[extra] = pd.array(frame[extra], dtype="Int64")
    out["progress"] = pd.to_numeric(frame["progress_pct"], errors="coerce").clip(0, 100)
    out["priority"] = [enum("priority", v, lang) for v in frame["priority"]]
    out.attrs.update(frame.attrs)                     # a list's total, for "showing N of M"
    return out.reset_index(drop=True)


def task_columns(lang: str, extra: str, rows: pd.DataFrame | None = None) -> dict[str, str]:
    """The columns shown: who, by when and how many days (late or left) first — on a
    tablet or phone these are the ones in view —, then the task; "assigned to" only when
    a row was assigned to a unit merged away."""
    columns = {"unit": t("tasks.col_lead_unit", lang), "due_date": t("tasks.col_due", lang),
               extra: t(f"tasks.col_{extra}", lang), "title": t("tasks.col_title", lang),
               "ref": t("tasks.col_ref", lang)}
    if rows is not None and "assigned_unit" in rows and rows["assigned_unit"].astype(bool).any():
        columns["assigned_unit"] = t("tasks.col_assigned_unit", lang)
    return {**columns, "progress": t("tasks.col_progress", lang), "priority": t("tasks.col_priority", lang)}


def task_config(lang: str) -> dict:
    return {
        "title": st.column_config.TextColumn(width=350),
        "ref": st.column_config.TextColumn(width=170),
        # The unit stays in view when a narrow screen scrolls the row sideways.
        "unit": st.column_config.TextColumn(width=190, pinned=True),
        "due_date": st.column_config.DateColumn(format="DD/MM/YYYY" if lang == "vi" else "D MMM YYYY", width=105),
        "days_left": st.column_config.NumberColumn(format="%d", width=100),
        "days_overdue": st.column_config.NumberColumn(format="%d", width=100),
        "progress": st.column_config.ProgressColumn(format="%d%%", min_value=0, max_value=100, width=110),
        "priority": st.column_config.TextColumn(width=75),
    }


def trend_frame(frame: pd.DataFrame | None, lang: str) -> pd.DataFrame:
    """Month label and on-time rate (Altair reads dots in a field name as nesting)."""
    if frame is None or frame.empty:
        return pd.DataFrame(columns=["month", "month_label", "rate"])
    out = pd.DataFrame({"month": frame["month"], "month_label": [fmt.month_label(m, lang) for m in frame["month"]],
                        "rate": pd.to_numeric(frame["tasks.on_time_rate"], errors="coerce")})
    out.attrs.update(frame.attrs)                     # the moment it runs to: a running month is marked
    return out
