"""Altair chart factories, one place for colours and number formats so every chart of
the app looks alike and reads in the chosen language (`1.234,5` in Vietnamese)."""

from __future__ import annotations

import altair as alt
import pandas as pd

# The same meaning everywhere in the app and in the theme (.streamlit/config.toml):
# green on target, amber to watch, vermilion late. Vermilion and a dark green stay apart
# for red-green colour blindness, and every status also carries an icon or a word.
GOOD = "#1B7F3B"        # on time / on target
WARN = "#E69F00"        # watch
BAD = "#C4361B"         # late / overdue
NEUTRAL = "#4C78A8"     # volumes
MUTED = "#9AA5B1"
TASK_STATUS_COLOURS = {
    "completed_on_time": GOOD,
    "in_progress_on_time": "#7FB3D5",
    "completed_late": WARN,
    "in_progress_overdue": BAD,
}
STATUS_COLOURS = {"green": GOOD, "amber": WARN, "red": BAD, None: MUTED}


def number_label(lang: str, percent: bool = False, decimals: int = 0) -> str:
    """A Vega expression that formats an axis value in the language's convention."""
    spec = f".{decimals}%" if percent else f",.{decimals}f"
    if lang != "vi":
        return f"format(datum.value, '{spec}')"
    # swap the separators: 1,234.5 -> 1.234,5
    return (f"replace(replace(replace(format(datum.value, '{spec}'), ',', '_'), '.', ','), '_', '.')")


def ranked_bars(frame: pd.DataFrame, *, label: str, value: str, value_title: str, lang: str,
                percent: bool = False, target: float | None = None, status: str | None = None,
                height: int | None = None, tooltip: list | None = None) -> alt.LayerChart | alt.Chart:
    """Horizontal bars sorted by value, coloured by traffic light, with the target as a rule."""
    height = height or max(160, 26 * len(frame))
    encode_colour = (alt.Color(f"{status}:N", scale=alt.Scale(domain=list(k for k in STATUS_COLOURS if k),
                                                              range=[STATUS_COLOURS[k] for k in STATUS_COLOURS if k]),
                               legend=None) if status else alt.value(GOOD))
    bars = alt.Chart(frame).mark_bar(cornerRadiusEnd=3).encode(
        y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(labelExpr=number_label(lang, percent))),
        color=encode_colour,
        tooltip=tooltip or [alt.Tooltip(f"{label}:N"), alt.Tooltip(f"{value}:Q", format=".1%" if percent else ",.0f")],
    ).properties(height=height)
    if target is None:
        return bars
    rule = alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(color=BAD, strokeDash=[6, 4], size=2).encode(
        x="target:Q")
    return alt.layer(bars, rule)


def stacked_status_bars(frame: pd.DataFrame, *, label: str, lang: str, status_names: dict[str, str],
                        value_title: str, height: int | None = None) -> alt.Chart:
    """Stacked bars of the four Government task categories per label (long frame with
    columns label, status, count)."""
    height = height or max(160, 26 * frame[label].nunique())
    order = list(TASK_STATUS_COLOURS)
    return alt.Chart(frame).mark_bar().encode(
        y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("count:Q", title=value_title, axis=alt.Axis(labelExpr=number_label(lang))),
        color=alt.Color("status:N", title=None, sort=order,
                        scale=alt.Scale(domain=order, range=[TASK_STATUS_COLOURS[s] for s in order]),
                        legend=alt.Legend(orient="bottom", labelExpr=_names_expr(status_names), labelLimit=260)),
        order=alt.Order("status_order:Q"),
        tooltip=[alt.Tooltip(f"{label}:N"), alt.Tooltip("status_name:N"), alt.Tooltip("count:Q", format=",.0f")],
    ).properties(height=height)


def _names_expr(names: dict[str, str]) -> str:
    parts = " : ".join(f"datum.value == '{code}' ? '{name}'" for code, name in names.items())
    return f"{parts} : datum.value"


def monthly_volume_and_rate(frame: pd.DataFrame, *, volume: str, rate: str, volume_title: str, rate_title: str,
                            lang: str, target: float | None = None, height: int = 280) -> alt.LayerChart:
    """Bars of a monthly volume with a line of a monthly rate on a second axis."""
    x = alt.X("month_label:O", title=None, sort=None, axis=alt.Axis(labelAngle=0))
    bars = alt.Chart(frame).mark_bar(color=NEUTRAL, opacity=0.55).encode(
        x=x, y=alt.Y(f"{volume}:Q", title=volume_title, axis=alt.Axis(labelExpr=number_label(lang))),
        tooltip=[alt.Tooltip("month_label:O"), alt.Tooltip(f"{volume}:Q", format=",.0f")])
    line = alt.Chart(frame).mark_line(color=GOOD, point=True, strokeWidth=3).encode(
        x=x, y=alt.Y(f"{rate}:Q", title=rate_title, scale=alt.Scale(zero=False),
                     axis=alt.Axis(labelExpr=number_label(lang, percent=True), orient="right")),
        tooltip=[alt.Tooltip("month_label:O"), alt.Tooltip(f"{rate}:Q", format=".1%")])
    rate = line
    if target is not None:
        # The target shares the rate's axis, so it sits exactly at its value.
        rule = alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(color=BAD, strokeDash=[6, 4]).encode(
            y=alt.Y("target:Q"))
        rate = alt.layer(line, rule)
    return alt.layer(bars, rate).resolve_scale(y="independent").properties(height=height)


def monthly_rate(frame: pd.DataFrame, *, rate: str, rate_title: str, lang: str, target: float | None = None,
                 height: int = 260) -> alt.LayerChart:
    x = alt.X("month_label:O", title=None, sort=None, axis=alt.Axis(labelAngle=0))
    line = alt.Chart(frame).mark_line(color=GOOD, point=True, strokeWidth=3).encode(
        x=x, y=alt.Y(f"{rate}:Q", title=rate_title, scale=alt.Scale(zero=False),
                     axis=alt.Axis(labelExpr=number_label(lang, percent=True))),
        tooltip=[alt.Tooltip("month_label:O"), alt.Tooltip(f"{rate}:Q", format=".1%")])
    if target is None:
        return line.properties(height=height)
    rule = alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(color=BAD, strokeDash=[6, 4]).encode(y="target:Q")
    return alt.layer(line, rule).properties(height=height)


def share_donut(frame: pd.DataFrame, *, category: str, value: str, names: dict[str, str], height: int = 240) -> alt.Chart:
    """A donut of shares (channels), labelled in the language."""
    colours = [GOOD, NEUTRAL, WARN, BAD, MUTED]
    domain = list(frame[category])
    return alt.Chart(frame).mark_arc(innerRadius=60).encode(
        theta=alt.Theta(f"{value}:Q"),
        color=alt.Color(f"{category}:N", title=None, scale=alt.Scale(domain=domain, range=colours[:len(domain)]),
                        legend=alt.Legend(orient="right", labelExpr=_names_expr(names))),
        tooltip=[alt.Tooltip("name:N"), alt.Tooltip(f"{value}:Q", format=",.0f")],
    ).properties(height=height)
