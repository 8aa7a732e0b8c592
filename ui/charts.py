"""Altair chart factories, one place for colours and number formats so every chart of
the app looks alike and reads in the chosen language (`1.234,5` in Vietnamese).

Colours come from `design.palette`, the one palette of the app, the kiosk and the deck,
in the scheme of the theme the browser shows (light until it says otherwise)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from design import palette
from l10n.i18n import t

# The status codes of a chart's frame: the catalogue's statuses, None written "none".
STATUS_DOMAIN = ("green", "amber", "red", "none")


def scheme() -> palette.Scheme:
    """The palette's scheme of the theme this session shows."""
    try:
        theme_type = st.context.theme.type
    except Exception:           # outside a script run (a unit test drawing a chart)
        theme_type = None
    return palette.scheme(theme_type)


def status_scale(colours: palette.Scheme | None = None) -> alt.Scale:
    """The colour scale of a `status` column holding STATUS_DOMAIN codes."""
    colours = colours or scheme()
    return alt.Scale(domain=list(STATUS_DOMAIN),
                     range=[colours.status_colour(None if s == "none" else s) for s in STATUS_DOMAIN])


def number_label(lang: str, percent: bool = False, decimals: int = 0) -> str:
    """A Vega expression that formats an axis value in the language's convention."""
    spec = f".{decimals}%" if percent else f",.{decimals}f"
    if lang != "vi":
        return f"format(datum.value, '{spec}')"
    # swap the separators: 1,234.5 -> 1.234,5
    return (f"replace(replace(replace(format(datum.value, '{spec}'), ',', '_'), '.', ','), '_', '.')")


def ranked_bars(frame: pd.DataFrame, *, label: str, value: str, value_title: str, lang: str,
                percent: bool = False, height: int | None = None, tooltip: list | None = None) -> alt.Chart:
    """Horizontal bars sorted by value, in the colour of volumes (scores and counts have
    no traffic light)."""
    height = height or max(160, 26 * len(frame))
    return alt.Chart(frame).mark_bar(cornerRadiusEnd=3, color=scheme().volume).encode(
        y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(labelExpr=number_label(lang, percent))),
        tooltip=tooltip or [alt.Tooltip(f"{label}:N"), alt.Tooltip(f"{value}:Q", format=".1%" if percent else ",.0f")],
    ).properties(height=height)


def stacked_status_bars(frame: pd.DataFrame, *, label: str, lang: str, status_names: dict[str, str],
                        value_title: str, height: int | None = None) -> alt.Chart:
    """Stacked bars of the four Government task categories per label (long frame with
    columns label, status, count)."""
    height = height or max(160, 26 * frame[label].nunique())
    colours = scheme().task_categories
    order = list(palette.TASK_CATEGORIES)
    return alt.Chart(frame).mark_bar().encode(
        y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("count:Q", title=value_title, axis=alt.Axis(labelExpr=number_label(lang))),
        color=alt.Color("status:N", title=None, sort=order,
                        scale=alt.Scale(domain=order, range=[colours[s] for s in order]),
                        legend=alt.Legend(orient="bottom", labelExpr=_names_expr(status_names), labelLimit=260)),
        order=alt.Order("status_order:Q"),
        tooltip=[alt.Tooltip(f"{label}:N"), alt.Tooltip("status_name:N"), alt.Tooltip("count:Q", format=",.0f")],
    ).properties(height=height)


def _names_expr(names: dict[str, str]) -> str:
    parts = " : ".join(f"datum.value == '{code}' ? '{name}'" for code, name in names.items())
    return f"{parts} : datum.value"


def monthly_rate(frame: pd.DataFrame, *, rate: str, rate_title: str, lang: str, target: float | None = None,
                 height: int = 260, marks: list | None = None) -> alt.LayerChart:
    colours = scheme()
    x = alt.X("month_label:O", title=None, sort=None, axis=alt.Axis(labelAngle=0))
    # The points in the line's colour (left alone, they take the theme's first series colour).
    line = alt.Chart(frame).mark_line(color=colours.green, strokeWidth=3,
                                      point=alt.OverlayMarkDef(filled=True, color=colours.green)).encode(
        x=x, y=alt.Y(f"{rate}:Q", title=rate_title, scale=alt.Scale(zero=False),
                     axis=alt.Axis(labelExpr=number_label(lang, percent=True))),
        tooltip=[alt.Tooltip("month_label:O"), alt.Tooltip(f"{rate}:Q", format=".1%")])
    layers = [line]
    if target is not None:
        layers.append(alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(
            color=colours.target, strokeDash=[6, 4]).encode(y="target:Q"))
    marked = succession_marks(frame, marks or [], lang, height)
    if marked is not None:
        layers.append(marked)
    return alt.layer(*layers).properties(height=height)


def succession_marks(frame: pd.DataFrame, marks: list[tuple], lang: str, height: int = 260
                     ) -> alt.LayerChart | None:
    """A dashed rule on each month of `frame` in which a reorganisation took effect,
    labelled with its legal basis (`marks`: (date, bases) from the organisation), or None
    when none falls in the chart's months."""
    from l10n import fmt

    shown = set(frame["month"])
    rows = [{"month_label": fmt.month_label(f"{day:%Y-%m}", lang),
             "text": t("succession_mark", lang, date=fmt.date(day, lang), basis=", ".join(bases) or "—")}
            for day, bases in marks if f"{day:%Y-%m}" in shown]
    if not rows:
        return None
    colours = scheme()
    marks_frame = pd.DataFrame(rows)
    x = alt.X("month_label:O", sort=None)
    rule = alt.Chart(marks_frame).mark_rule(color=colours.target, strokeDash=[2, 3], size=2).encode(
        x=x, tooltip=[alt.Tooltip("text:N", title=" ")])
    # At the foot of the chart, clear of the target line and the rate near the top.
    label = alt.Chart(marks_frame).mark_text(align="left", baseline="bottom", dx=4, dy=-4, fontSize=12,
                                             color=colours.target).encode(x=x, y=alt.value(height), text="text:N")
    return alt.layer(rule, label)
