"""Altair chart factories, one place for colours and number formats so every chart of
the app looks alike and reads in the chosen language (`1.234,5` in Vietnamese).

Colours come from `design.palette`, the one palette of the app, the kiosk and the deck,
in the scheme of the theme the browser shows (light until it says otherwise).

Monthly trends say what their last month is: while the period runs, the last month holds
only the days up to the moment shown (on 2 December, two days), so it is drawn lighter,
apart from the line of full months and labelled "đến 02/12", never as one more month
(`mark_partial`). Rates are coloured by their status against the KPI's target, as the
cards' badges are, and every point's tooltip names its month."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from design import palette
from l10n import fmt
from l10n.i18n import t

# The status codes of a chart's frame: the catalogue's statuses, None written "none".
STATUS_DOMAIN = ("green", "amber", "red", "none")

# Chart menus off. Streamlit 1.67 already embeds every chart with vega-embed's "…" menu
# off (and keeps only theme, renderer and padding of a spec's embedOptions); what a reader
# meets instead is Streamlit's own toolbar over each chart: "Show data" (the chart's raw
# frame, column names and all), "Download as PNG", "Copy Vega-Lite spec" (when the app is
# opened on localhost) and "Fullscreen", in English, with no option to localise or remove
# them. So the app draws TOOLBAR_CSS once (app.py), hiding the toolbar of charts only (a
# table's toolbar stays), and each spec made here says `actions: false` too, should a
# later Streamlit pass embedOptions through.
NO_ACTIONS = {"embedOptions": {"actions": False}}
TOOLBAR_CSS = ('<style>[data-testid="stElementToolbar"]:has(~ [data-testid="stVegaLiteChart"])'
               '{display: none !important;}</style>')


def finish(chart):
    """A chart as the app draws it: without action menus."""
    return chart.properties(usermeta=NO_ACTIONS)


def draw(chart, where=None, **options):
    """Draw `chart` with `st.altair_chart` (or `where.altair_chart`, a column), its marks
    and axes silent to a screen reader: Vega would describe each mark with its raw fields
    ("label_x: 1.03; status: completed_late"), English field names to a Vietnamese reader.
    The section's heading above the chart says what it shows; the tooltips, in the
    reader's language, stay for the pointer."""
    quiet = chart.copy(deep=["config"])
    if quiet.config is alt.Undefined:
        quiet.config = alt.Config(aria=False)
    else:
        quiet.config.aria = False
    return (where or st).altair_chart(quiet, **options)


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
    ).properties(height=height, usermeta=NO_ACTIONS)


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
    ).properties(height=height, usermeta=NO_ACTIONS)


def _names_expr(names: dict[str, str]) -> str:
    parts = " : ".join(f"datum.value == '{code}' ? '{name}'" for code, name in names.items())
    return f"{parts} : datum.value"


def monthly_rate(frame: pd.DataFrame, *, rate: str, rate_title: str, lang: str, target: float | None = None,
                 height: int = 260, marks: list | None = None, kpi=None,
                 through: dt.datetime | None = None) -> alt.LayerChart:
    """A KPI's rate per month (`frame`: month, month_label and the `rate` column), each
    point in its status colour against the target (`kpi`'s thresholds when given, else
    `target` with higher better), the target as a dashed rule, a still running last month
    lighter and labelled (see `mark_partial`; `through` defaults to the frame's
    attrs["through"])."""
    if kpi is not None and target is None:
        target = kpi.target
    frame = with_rate_status(mark_partial(frame, lang, through), rate, kpi=kpi, target=target)
    frame = frame.assign(rate_text=[fmt.percent(None if pd.isna(v) else v, lang) for v in frame[rate]])
    x = alt.X("month_label:O", title=None, sort=None, axis=alt.Axis(labelAngle=0))
    y = alt.Y(f"{rate}:Q", title=rate_title, scale=alt.Scale(zero=False),
              axis=alt.Axis(labelExpr=number_label(lang, percent=True)))
    tooltip = [alt.Tooltip("period_label:N", title=t("chart.month", lang)),
               alt.Tooltip("rate_text:N", title=rate_title)]
    layers = rate_layers(frame, x=x, y=y, tooltip=tooltip, lang=lang, height=height)
    if target is not None:
        layers.insert(0, alt.Chart(pd.DataFrame({rate: [target]})).mark_rule(
            color=scheme().target, strokeDash=[6, 4]).encode(y=alt.Y(f"{rate}:Q")))
    marked = succession_marks(frame, marks or [], lang, height)
    if marked is not None:
        layers.append(marked)
    return alt.layer(*layers).properties(height=height, usermeta=NO_ACTIONS)


# --- the still running month of a trend ---------------------------------------------------
def _month_end(key: str) -> dt.datetime:
    year, month = int(key[:4]), int(key[5:7])
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.datetime.combine(first_next - dt.timedelta(days=1), dt.time(23, 59, 59))


def partial_month(months, through: dt.datetime | None) -> str | None:
    """The last of `months` ("YYYY-MM") when `through`, the moment the trend runs to, falls
    before that month's end: a month still running, not comparable with the full ones."""
    months = list(months)
    if through is None or not months:
        return None
    last = str(months[-1])
    return last if through < _month_end(last) else None


def partial_text(through: dt.datetime, lang: str) -> str:
    """"đến 02/12": how far a running month goes."""
    day = f"{through:%d/%m}" if lang == "vi" else f"{through.day} {through:%b}"
    return t("chart.partial", lang, day=day)


def mark_partial(frame: pd.DataFrame, lang: str, through: dt.datetime | None = None) -> pd.DataFrame:
    """`frame` (one row per month: month, month_label) with `partial` (the still running
    last month), `period_label` (the month, "12/2026 (đến 02/12)" for a running one) and
    `partial_text` ("đến 02/12" on the running month, else empty)."""
    through = through if through is not None else frame.attrs.get("through")
    running = partial_month(frame["month"], through) if "month" in frame else None
    partial = [str(m) == running for m in frame["month"]] if running else [False] * len(frame)
    labels = frame["month_label"] if "month_label" in frame else [fmt.month_label(str(m), lang) for m in frame["month"]]
    note = partial_text(through, lang) if running else ""
    out = frame.assign(
        partial=partial,
        period_label=[f"{label} ({note})" if p else str(label) for label, p in zip(labels, partial)],
        partial_text=[note if p else "" for p in partial])
    # Read, not passed on: Streamlit serialises a chart frame's attrs and a moment is not JSON.
    out.attrs = {}
    return out


def with_rate_status(frame: pd.DataFrame, rate: str, *, kpi=None, target: float | None = None) -> pd.DataFrame:
    """`frame` with `status`: each month's traffic light (`STATUS_DOMAIN` codes) against
    `kpi`'s thresholds, or `target` with higher better, or "none"."""
    def status(value) -> str:
        if value is None or pd.isna(value):
            return "none"
        if kpi is not None:
            return kpi.status(float(value)) or "none"
        if target is None:
            return "none"
        return "green" if value >= target else "red"

    return frame.assign(status=[status(v) for v in frame[rate]])


def rate_layers(frame: pd.DataFrame, *, x, y, tooltip: list, lang: str, label: bool = True,
                height: int = 260) -> list:
    """The layers of a monthly rate (`frame` from `mark_partial` and `with_rate_status`):
    a neutral line through the full months, each full month's point in its status colour,
    and the running month apart, a lighter hollow point labelled "đến 02/12" (unless
    `label` is False: a bar of the same month carries the label). A running month without
    a rate yet keeps its place, labelled at the chart's foot (`height`)."""
    colours = scheme()
    full = alt.Chart(frame).transform_filter("!datum.partial")
    line = full.mark_line(color=colours.grey, strokeWidth=2).encode(x=x, y=y)
    points = full.mark_point(filled=True, size=80, opacity=1).encode(
        x=x, y=y, color=alt.Color("status:N", scale=status_scale(colours), legend=None), tooltip=tooltip)
    running = alt.Chart(frame).transform_filter("datum.partial")
    partial_point = running.mark_point(filled=False, size=80, strokeWidth=2, opacity=0.55).encode(
        x=x, y=y, color=alt.Color("status:N", scale=status_scale(colours), legend=None), tooltip=tooltip)
    layers = [line, points, partial_point]
    if label:
        field = y.to_dict()["field"]
        valued = f"isValid(datum['{field}']) && isFinite(datum['{field}'])"
        layers.append(running.transform_filter(valued).mark_text(dy=-14, fontSize=12, color=colours.ink_muted)
                      .encode(x=x, y=y, text="partial_text:N"))
        layers.append(running.transform_filter(f"!({valued})").mark_text(
            baseline="bottom", dy=-4, fontSize=12, color=colours.ink_muted).encode(
            x=x, y=alt.value("height"), text="partial_text:N"))
    return layers


def volume_bars(frame: pd.DataFrame, *, x, y, tooltip: list, opacity: float = 0.45) -> list:
    """Monthly counts as bars in the colour of volumes, the running month (`partial`,
    from `mark_partial`) much lighter and labelled over its bar: it holds only days."""
    colours = scheme()
    bars = alt.Chart(frame).mark_bar(color=colours.volume).encode(
        x=x, y=y, tooltip=tooltip,
        opacity=alt.condition("datum.partial", alt.value(opacity / 3), alt.value(opacity)))
    label = alt.Chart(frame).transform_filter("datum.partial").mark_text(
        baseline="bottom", dy=-3, fontSize=12, color=colours.ink_muted).encode(x=x, y=y, text="partial_text:N")
    return [bars, label]


# --- a card's small trend ----------------------------------------------------------------
def sparkline(months: list[str], values: list, *, kpi, status: str | None, lang: str,
              through: dt.datetime | None = None, height: int = 54) -> alt.LayerChart | None:
    """A card's 12-month trend: a line in the colour of the card's status (the badge's:
    grey when the KPI has no target), a point per month whose tooltip names the month and
    the value, and a still running last month apart from the line, hollow and lighter,
    so it never reads as a fall. Under it, the first month and the last one, or "đến
    02/12" under a running one. None when no month has a value."""
    if not months or all(v is None or pd.isna(v) for v in values):
        return None
    frame = pd.DataFrame({"month": [str(m) for m in months],
                          "value": [None if v is None or pd.isna(v) else float(v) for v in values]})
    frame = mark_partial(frame, lang, through)
    frame = frame.assign(value_text=[fmt.kpi_value(None if pd.isna(v) else v, kpi.unit, lang) for v in frame["value"]])
    colours = scheme()
    colour = colours.status_colour(status)
    first, last = frame.iloc[0], frame.iloc[-1]
    ends = {first["month"]: fmt.month_label(first["month"], lang),
            last["month"]: last["partial_text"] or fmt.month_label(last["month"], lang)}
    x = alt.X("month:O", sort=None, title=None, axis=alt.Axis(
        labelExpr=" : ".join(f"datum.value == '{m}' ? '{text}'" for m, text in ends.items()) + " : ''",
        ticks=False, domain=False, grid=False, labelFontSize=10, labelColor=colours.ink_muted, labelPadding=2,
        labelAngle=0, labelOverlap=False, labelFlush=True))
    y = alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False))
    tooltip = [alt.Tooltip("period_label:N", title=t("chart.month", lang)),
               alt.Tooltip("value_text:N", title=kpi.name(lang))]
    full = alt.Chart(frame).transform_filter("!datum.partial && isValid(datum.value)")
    line = full.mark_line(color=colour, strokeWidth=2).encode(x=x, y=y)
    points = full.mark_point(filled=True, color=colour, size=16, opacity=0.9).encode(x=x, y=y, tooltip=tooltip)
    running = alt.Chart(frame).transform_filter("datum.partial && isValid(datum.value)").mark_point(
        filled=False, color=colour, size=30, strokeWidth=1.5, opacity=0.6).encode(x=x, y=y, tooltip=tooltip)
    return alt.layer(line, points, running).properties(height=height, usermeta=NO_ACTIONS).configure_view(
        strokeWidth=0)


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
                                             color=colours.target).encode(x=x, y=alt.value("height"), text="text:N")
    return alt.layer(rule, label)
