"""The Procedures page's own builders: the 766 index breakdown, the ranked on-time charts
(by unit, by field), the channel bars, and the procedure and overdue-dossier tables.

Everything here takes plain values (KPI dicts, breakdown dicts, frames) and the
language, so the page file only fetches, checks the source and lays out."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import streamlit as st

from data_access import catalogue
from design.palette import STREAMLIT_NAMES
from l10n import fmt
from l10n.i18n import enum, t

from . import charts, shell
from .data import Outcome

ON_TIME = "procedures.on_time_rate"


def unit_name(units: dict[str, tuple[str, str]], code, lang: str) -> str:
    names = units.get(code)
    return names[0 if lang == "vi" else 1] if names else ("—" if code is None else str(code))


def procedure_name(procs: dict[str, dict], code, lang: str) -> str:
    entry = procs.get(code)
    return entry["name_vi" if lang == "vi" else "name_en"] if entry else ("—" if code is None else str(code))


class Problems:
    """Say each failed source once per fragment run; later sections only note that they
    have nothing to draw, so a database that is down gives one message, not six."""

    def __init__(self, lang: str):
        self.lang = lang
        self.seen: set[str] = set()

    def __call__(self, outcome: Outcome) -> bool:
        """True when the section has nothing to draw."""
        if outcome.ok:
            return False
        if outcome.failed_source in self.seen:
            if outcome.stale:
                return False
            st.caption(t("procedures.unavailable", self.lang))
            return True
        self.seen.add(outcome.failed_source)
        return shell.source_problem(outcome, self.lang)


# --- the 766 index -----------------------------------------------------------------------
def max_text(value: float, lang: str) -> str:
    return fmt.number(value, lang, 0 if float(value).is_integer() else 1)


def index_parts(values: dict, parts: list[dict], lang: str) -> tuple[float | None, list[dict]]:
    """The index (from `values`) and each of its indicators (`parts`, as the engine gave
    them) as display-ready text: points "x / max" and its ratio."""
    cat = catalogue.get()
    total = values.get("procedures.service_index")
    indicators = {ind.indicator: ind for ind in cat.service_index}
    shown = []
    for part in parts:
        ind = indicators[part["indicator"]]
        points = "—" if part["points"] is None else fmt.number(part["points"], lang, 1)
        shown.append({
            "indicator": ind.indicator, "name": ind.name(lang), "points": part["points"], "max": part["max"],
            "text": f"{points} / {max_text(part['max'], lang)}",
            "note": (t("procedures.index_ratio", lang, ratio=fmt.percent(part["ratio"], lang),
                       full=fmt.percent(ind.full_at, lang, 0)) if part["ratio"] is not None
                     else t("procedures.index_no_ratio", lang)),
        })
    return total, shown


def index_block(values: dict, parts: list[dict], lang: str) -> None:
    total, parts = index_parts(values, parts, lang)
    cat = catalogue.get()
    st.markdown("**" + t("procedures.index_heading", lang) + "** · "
                + t("procedures.index_total", lang, value=fmt.number(total, lang, 1)))
    for row in (parts[:3], parts[3:]):
        for column, part in zip(st.columns(3), row):
            with column, st.container(border=True, height="stretch"):
                st.metric(f"{part['indicator']}. {part['name']}", part["text"])
                if part["points"] is not None:
                    st.progress(min(1.0, part["points"] / part["max"]) if part["max"] else 0.0)
                st.caption(part["note"])
    st.caption(t("procedures.index_note", lang, max=max_text(sum(i.max for i in cat.service_index), lang)))
    left_out = [p["indicator"] for p in parts if p["points"] is None]
    if left_out and len(left_out) < len(parts):
        st.caption(t("procedures.index_left_out", lang, codes=", ".join(left_out)))


# --- charts ------------------------------------------------------------------------------
def trend_frame(trend: pd.DataFrame, lang: str) -> pd.DataFrame:
    frame = pd.DataFrame({
        "month": trend["month"],
        "month_label": [fmt.month_label(m, lang) for m in trend["month"]],
        "received": trend["procedures.received"].astype("float64"),
        "on_time": pd.to_numeric(trend[ON_TIME], errors="coerce"),
    })
    frame.attrs.update(trend.attrs)                   # the moment it runs to: a running month is marked
    return frame


def rate_frame(breakdown: dict, names: dict, lang: str) -> pd.DataFrame:
    """One row per key: display name, on-time rate, traffic light, received, texts."""
    kpi = catalogue.get()[ON_TIME]
    rows = []
    for key, values in breakdown.items():
        rate = values.get(ON_TIME)
        received = values.get("procedures.received") or 0
        rows.append({
            "key": "" if key is None else str(key), "name": names.get(key, "—" if key is None else str(key)),
            "rate": rate, "status": kpi.status(rate) or "none",
            "rate_text": fmt.percent(rate, lang) if rate is not None else "— (" + t("procedures.no_rate", lang) + ")",
            "received": received, "received_text": fmt.number(received, lang),
            "finished_text": fmt.number(values.get("procedures.finished") or 0, lang),
        })
    frame = pd.DataFrame(rows, columns=["key", "name", "rate", "status", "rate_text", "received", "received_text",
                                        "finished_text"])
    # Lowest on-time rate first (those to push), undefined last, ties by volume.
    frame["_order"] = pd.to_numeric(frame["rate"], errors="coerce").fillna(math.inf)
    return frame.sort_values(["_order", "received"], ascending=[True, False]).drop(columns="_order").reset_index(drop=True)


def rate_and_volume_chart(frame: pd.DataFrame, lang: str, *, name_title: str, selection: str | None = None):
    """Bars of the on-time rate coloured by traffic light, the target as a dashed rule, and
    at each bar's end its rate and the dossiers received, in the (worst first) order."""
    target = catalogue.get()[ON_TIME].target
    colours = charts.scheme()
    order = list(frame["name"])
    frame = frame.assign(label=[f"{r}  ·  " + t("procedures.dossiers_n", lang, n=n)
                                for r, n in zip(frame["rate_text"], frame["received_text"])])
    y = alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=380, labelFontSize=13))
    tooltip = [alt.Tooltip("name:N", title=name_title),
               alt.Tooltip("rate_text:N", title=t("procedures.col_on_time", lang)),
               alt.Tooltip("finished_text:N", title=t("procedures.col_finished", lang)),
               alt.Tooltip("received_text:N", title=t("procedures.col_received", lang))]
    x_scale = alt.Scale(domain=[0, 1.45], nice=False)
    base = alt.Chart(frame)
    bars = base.mark_bar(cornerRadiusEnd=3, height={"band": 0.72}).encode(
        y=y,
        x=alt.X("rate:Q", title=t("procedures.rate_axis", lang), scale=x_scale,
                axis=alt.Axis(labelExpr=charts.number_label(lang, percent=True), values=[0, .2, .4, .6, .8, 1])),
        color=alt.Color("status:N", scale=charts.status_scale(colours), legend=None),
        tooltip=tooltip,
    )
    if selection:
        bars = bars.add_params(alt.selection_point(name=selection, fields=["key"], on="click"))
    # The figures in one aligned column right of 100 %, clear of the bars and the target rule.
    labels = base.transform_calculate(label_x="1.03").mark_text(
        align="left", fontSize=12, color=colours.ink).encode(
        y=y, x=alt.X("label_x:Q", scale=x_scale), text="label:N", tooltip=tooltip)
    layers = [bars, labels]
    if target is not None:
        layers.append(alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(
            color=colours.target, strokeDash=[6, 4], size=2).encode(x=alt.X("target:Q", scale=x_scale)))
    return alt.layer(*layers).properties(height=max(120, 30 * len(frame)), width="container")


def legend_caption(lang: str) -> str:
    kpi = catalogue.get()[ON_TIME]
    return t("procedures.legend", lang,
             **{s: f":{STREAMLIT_NAMES[s]}[■ {t('status_' + s, lang)}]" for s in ("green", "amber", "red")},
             target=fmt.percent(kpi.target, lang, 0),
             amber_from=fmt.percent(kpi.amber, lang, 0))


def channel_frame(breakdown: dict, lang: str) -> pd.DataFrame:
    total = sum((v.get("procedures.received") or 0) for v in breakdown.values())
    rows = []
    for code, values in breakdown.items():
        received = values.get("procedures.received") or 0
        if not received:
            continue
        share = received / total if total else None
        rows.append({"key": str(code), "name": enum("channel", code, lang), "received": received,
                     "text": f"{fmt.number(received, lang)} ({fmt.percent(share, lang)})"})
    frame = pd.DataFrame(rows, columns=["key", "name", "received", "text"])
    return frame.sort_values("received", ascending=False).reset_index(drop=True)


def channel_chart(frame: pd.DataFrame, lang: str):
    order = list(frame["name"])
    colours = list(charts.scheme().series)
    base = alt.Chart(frame)
    y = alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=240, labelFontSize=13))
    tooltip = [alt.Tooltip("name:N", title=t("procedures.col_channel", lang)),
               alt.Tooltip("text:N", title=t("procedures.col_received", lang))]
    bars = base.mark_bar(cornerRadiusEnd=3, height={"band": 0.65}).encode(
        y=y, x=alt.X("received:Q", title=t("procedures.col_received", lang),
                     scale=alt.Scale(domain=[0, max(1.0, float(frame["received"].max())) * 1.45]),
                     axis=alt.Axis(labelExpr=charts.number_label(lang), tickCount=4)),
        color=alt.Color("name:N", scale=alt.Scale(domain=order, range=colours[:len(order)]), legend=None),
        tooltip=tooltip)
    text = base.mark_text(align="left", dx=4, fontSize=12).encode(y=y, x="received:Q", text="text:N")
    return alt.layer(bars, text).properties(height=max(120, 48 * len(frame)), width="container")


def trend_chart(frame: pd.DataFrame, lang: str, height: int = 300, marks: list | None = None):
    """Monthly dossiers received (bars, left axis) and on-time rate (line, right axis) with
    the target drawn on the rate's axis, so the line can be read against it; each month's
    rate in its status colour, a running last month lighter and labelled (ui.charts)."""
    kpi = catalogue.get()[ON_TIME]
    target = kpi.target
    frame = charts.with_rate_status(charts.mark_partial(frame, lang), "on_time", kpi=kpi)
    frame = frame.assign(received_text=[fmt.number(v, lang) for v in frame["received"]],
                         rate_text=[fmt.percent(None if pd.isna(v) else v, lang) for v in frame["on_time"]])
    colours = charts.scheme()
    x = alt.X("month_label:O", title=None, sort=None, axis=alt.Axis(labelAngle=0, labelFontSize=12))
    tooltip = [alt.Tooltip("period_label:N", title=t("chart.month", lang)),
               alt.Tooltip("received_text:N", title=t("procedures.volume_axis", lang)),
               alt.Tooltip("rate_text:N", title=t("procedures.rate_axis", lang))]
    bars = alt.layer(*charts.volume_bars(
        frame, x=x, y=alt.Y("received:Q", title=t("procedures.volume_axis", lang),
                            axis=alt.Axis(labelExpr=charts.number_label(lang), titleColor=colours.volume)),
        tooltip=tooltip))
    rates = frame["on_time"].dropna()
    low = min([*rates, target or 1.0]) if len(rates) else 0.0
    rate_scale = alt.Scale(domain=[max(0.0, math.floor(low * 100 - 2) / 100), 1.0], nice=False)
    rate_y = alt.Y("on_time:Q", title=t("procedures.rate_axis", lang), scale=rate_scale,
                   axis=alt.Axis(labelExpr=charts.number_label(lang, percent=True), orient="right",
                                 titleColor=colours.ink, grid=False))
    rate_layers = charts.rate_layers(frame, x=x, y=rate_y, tooltip=tooltip, lang=lang, label=False)
    if target is not None:
        rate_layers.append(alt.Chart(pd.DataFrame({"on_time": [target]})).mark_rule(
            color=colours.target, strokeDash=[6, 4], size=2).encode(y=rate_y))
    chart = alt.layer(bars, alt.layer(*rate_layers)).resolve_scale(y="independent")
    marked = charts.succession_marks(frame, marks or [], lang, height)
    if marked is not None:
        chart = alt.layer(chart, marked)
    return chart.properties(height=height, usermeta=charts.NO_ACTIONS)


# --- tables ------------------------------------------------------------------------------
def number_cells(frame: pd.DataFrame, specs: dict[str, str], lang: str) -> tuple[pd.DataFrame, dict]:
    """Numbers for a table in the reader's convention.

    The grid formats numbers with the browser's locale or a printf pattern, neither of
    which gives Vietnamese `1.234,5`; so in Vietnamese each number becomes its text from
    `l10n.fmt` (the rows arrive in a meaningful order), and in English it stays a number
    with a pattern (sortable). `specs` maps a column to "count", "days" or "rate"."""
    frame = frame.copy()
    config: dict = {}
    for column, kind in specs.items():
        if lang == "vi":
            if kind == "rate":
                frame[column] = [fmt.percent(None if pd.isna(v) else v, lang) for v in frame[column]]
            else:
                decimals = 1 if kind == "days" else 0
                frame[column] = [fmt.number(None if pd.isna(v) else v, lang, decimals) for v in frame[column]]
            config[column] = st.column_config.TextColumn()
        elif kind == "rate":
            frame[column] = (pd.to_numeric(frame[column], errors="coerce") * 100).round(1)
            config[column] = st.column_config.ProgressColumn(format="%.1f%%", min_value=0, max_value=100)
        else:
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
            if kind == "days":
                frame[column] = frame[column].round(1)
            config[column] = st.column_config.NumberColumn(format="%.1f" if kind == "days" else "localized")
    return frame, config


def procedure_table(breakdown: dict, procs: dict, units: dict, lang: str) -> tuple[pd.DataFrame, dict, dict]:
    rows = []
    for code, values in breakdown.items():
        entry = procs.get(code) or {}
        rows.append({
            "procedure": procedure_name(procs, code, lang),
            "unit": unit_name(units, entry.get("unit_code"), lang) if entry else "—",
            "field": enum("field", entry.get("field"), lang),
            "legal_days": entry.get("legal_days"),
            "received": values.get("procedures.received") or 0,
            "finished": values.get("procedures.finished") or 0,
            "on_time": values.get(ON_TIME),
            "avg_days": values.get("procedures.avg_processing_days"),
            "pending_overdue": values.get("procedures.pending_overdue") or 0,
        })
    columns = ["procedure", "unit", "field", "legal_days", "received", "finished", "on_time", "avg_days",
               "pending_overdue"]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame[(frame["received"] > 0) | (frame["finished"] > 0) | (frame["pending_overdue"] > 0)]
    frame = frame.assign(_o=frame["on_time"].astype("float64").fillna(math.inf)).sort_values(
        ["_o", "received"], ascending=[True, False]).drop(columns="_o").reset_index(drop=True)
    frame, config = number_cells(frame, {"legal_days": "count", "received": "count", "finished": "count",
                                         "on_time": "rate", "avg_days": "days", "pending_overdue": "count"}, lang)
    config["procedure"] = st.column_config.TextColumn(width=250)
    config["unit"] = st.column_config.TextColumn(width=170)
    config["field"] = st.column_config.TextColumn(width=100)
    labels = {c: t(f"procedures.col_{c}", lang) for c in columns}
    return frame, labels, config


def overdue_table(frame: pd.DataFrame, procs: dict, units: dict, lang: str) -> tuple[pd.DataFrame, dict, dict]:
    shown = pd.DataFrame({
        "dossier": frame["id"].astype(str),
        "procedure": [procedure_name(procs, c, lang) if c in procs else (vi if lang == "vi" else (en or vi)) or str(c)
                      for c, vi, en in zip(frame["procedure_code"], frame["procedure_name_vi"],
                                           frame["procedure_name_en"])],
        "unit": [unit_name(units, c, lang) for c in frame["unit_code"]],
        "received_at": frame["received_at"],
        "due_at": frame["due_at"],
        "days_over": frame["days_overdue"],
        "status": [enum("status", s, lang) for s in frame["status"]],
    })
    shown.attrs.update(frame.attrs)                   # the list's total, for "showing N of M"
    shown = shown.sort_values("days_over", ascending=False, kind="stable").reset_index(drop=True)
    shown, config = number_cells(shown, {"days_over": "days"}, lang)
    config.update({
        "received_at": st.column_config.DatetimeColumn(format="DD/MM/YYYY"),
        "due_at": st.column_config.DatetimeColumn(format="DD/MM/YYYY", width=105),
        "procedure": st.column_config.TextColumn(width=300),
        # The unit stays in view when a tablet or phone scrolls the row sideways.
        "unit": st.column_config.TextColumn(width=190, pinned=True),
    })
    config["days_over"] = {**config["days_over"], "width": 115}
    # Who, by when and how late first: on a narrow screen these are the columns in view.
    labels = {c: t(f"procedures.col_{c}", lang) for c in
              ("unit", "due_at", "days_over", "dossier", "procedure", "received_at", "status")}
    return shown, labels, config
