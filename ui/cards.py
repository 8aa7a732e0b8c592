"""KPI cards: value in the KPI's unit, target, traffic light shown as an icon and a word
as well as a colour (readable by the colour-blind and on a projector), the change against
the previous period and against the same period last year with the right sense of good
and bad, and a 12-month trend line.

The two comparisons are `data_access.periods`' (its note says what the previous period of
a period still running is); the card's help names each with its dates, so that a reader
knows what "+1.234" is measured against. The trend line is drawn by `ui.charts.sparkline`:
in the colour of the card's badge, the month and value on hover, a running month apart."""

from __future__ import annotations

import datetime as dt
import math
from typing import Sequence

import streamlit as st

from data_access import catalogue
from data_access.periods import LAST_YEAR, PREVIOUS
from design.palette import STREAMLIT_NAMES
from l10n import fmt
from l10n.i18n import t

from . import charts

# The badge's colour is the theme's, set to design.palette's (.streamlit/config.toml).
_ICONS = {"green": ":material/check_circle:", "amber": ":material/warning:", "red": ":material/error:"}
_DELTA_COLOUR = {"higher": "normal", "lower": "inverse", "none": "off"}


def status_badge(status: str | None, lang: str) -> str:
    if status is None:
        return ""
    return f":{STREAMLIT_NAMES[status]}-badge[{_ICONS[status]} {t('status_' + status, lang)}]"


def target_text(kpi: catalogue.Kpi, lang: str) -> str:
    if kpi.target is None or kpi.better == "none":
        return ""
    comparator = "≥" if kpi.better == "higher" else "≤"
    return f"{t('target', lang)} {comparator} {fmt.kpi_value(kpi.target, kpi.unit, lang)}"


def delta_text(value, previous, unit: str, lang: str) -> str | None:
    """The change from the previous period in the KPI's unit (rates in percentage points)."""
    if value is None or previous is None:
        return None
    diff = value - previous
    if abs(diff) < 1e-12:
        return "±0"
    if unit == "rate":
        text = fmt.number(diff * 100, lang, 1, signed=True) + " " + t("percentage_points", lang)
    elif unit == "count":
        text = fmt.number(diff, lang, 0, signed=True)
    else:
        text = fmt.number(diff, lang, 1, signed=True)
    return text


def _trend_points(trend: Sequence | None, unit: str) -> list[float] | None:
    if not trend:
        return None
    scale = 100 if unit == "rate" else 1
    points = [float("nan") if v is None else v * scale for v in trend]
    return points if any(not math.isnan(p) for p in points) else None


def comparison_text(kpi: catalogue.Kpi, ministry_value, lang: str) -> str:
    """The ministry-wide figure beside a unit's own (rates and averages: counts of the
    whole ministry say little about one unit)."""
    if ministry_value is None or kpi.unit == "count":
        return ""
    return f"{t('ministry_comparison', lang)}: {fmt.kpi_value(ministry_value, kpi.unit, lang)}"


def window_text(comparison, lang: str) -> str:
    """The dates a comparison covers: "01/11–02/11/2026, đến 10:00" for the elapsed part
    of a period, "01/01–31/12/2025" for a whole one."""
    start, last = comparison.period.start, comparison.through.date()
    if lang == "vi":
        first = f"{start:%d/%m}" if start.year == last.year else fmt.date(start, lang)
    else:
        first = f"{start:%d %b}" if start.year == last.year else fmt.date(start, lang)
    window = f"{first}–{fmt.date(last, lang)}"
    if comparison.partial:
        return t("compare.until", lang, window=window, time=fmt.time_of_day(comparison.through))
    return window


def comparison_lines(kpi: catalogue.Kpi, value, compared: dict, lang: str) -> list[str]:
    """One line per comparison period: its name, its dates, its value and the change to
    it; the two in one line when they are the same period (a whole year)."""
    lines = []
    kinds = [k for k in (PREVIOUS, LAST_YEAR) if k in compared]
    same = len(kinds) == 2 and compared[PREVIOUS].comparison.period == compared[LAST_YEAR].comparison.period
    for kind in kinds[:1] if same else kinds:
        got = compared[kind]
        before = (got.values or {}).get(kpi.id)
        name = t("compare.both" if same else f"compare.{kind}", lang)
        window = window_text(got.comparison, lang)
        shown = fmt.kpi_value(before, kpi.unit, lang)
        delta = delta_text(value, before, kpi.unit, lang)
        lines.append(t("compare.line_delta", lang, name=name, window=window, value=shown, delta=delta) if delta
                     else t("compare.line", lang, name=name, window=window, value=shown))
    return lines


def help_text(kpi: catalogue.Kpi, value, lang: str, *, previous=None, compared: dict | None = None) -> str:
    """The card's help: the target, each comparison period with its dates and value, and,
    while the period runs, the moment it runs to (the comparisons are cut at the same
    point). Markdown lines."""
    lines = [t("undefined_reason", lang)] if value is None else []
    target = target_text(kpi, lang)
    if target:
        lines.append(target)
    if compared:
        lines += comparison_lines(kpi, value, compared, lang)
        running = [c for c in compared.values() if c.comparison.partial]
        if running:
            lines.append(t("compare.partial_note", lang, moment=fmt.moment(running[0].current, lang)))
    elif value is not None:
        lines.append(f"{t('previous_period', lang)}: {fmt.kpi_value(previous, kpi.unit, lang)}")
    return "  \n".join(lines)


def kpi_card(kpi_id: str, value, lang: str, *, previous=None, trend: Sequence | None = None,
             ministry=None, compared: dict | None = None) -> None:
    """One KPI's card. `compared` (kind → `ui.data.Compared`) gives both comparisons with
    their dates; without it, `previous` is the previous period's value, undated. `trend`
    from `trends_of` knows its months and the moment it runs to."""
    kpi = catalogue.get()[kpi_id]
    status = kpi.status(value)
    target = target_text(kpi, lang)
    versus = "delta_vs_previous"
    last_year_line = ""
    if compared:
        def value_of(kind):
            got = compared.get(kind)
            return None if got is None or got.values is None else got.values.get(kpi_id)

        previous = value_of(PREVIOUS)
        if PREVIOUS in compared and LAST_YEAR in compared:
            if compared[PREVIOUS].comparison.period == compared[LAST_YEAR].comparison.period:
                versus = "compare.delta_vs_last_year"         # a year: its previous period is last year
            else:
                change = delta_text(value, value_of(LAST_YEAR), kpi.unit, lang)
                if change:
                    last_year_line = f"{t('compare.last_year', lang)}: {change}"
    delta = delta_text(value, previous, kpi.unit, lang)
    months = getattr(trend, "months", None)
    spark = charts.sparkline(list(months), list(trend), kpi=kpi, status=status, lang=lang,
                             through=getattr(trend, "through", None)) \
        if trend and months and len(months) == len(trend) else None
    with st.container(border=True, height="stretch"):
        st.metric(
            kpi.name(lang), fmt.kpi_value(value, kpi.unit, lang),
            delta=delta, delta_color="off" if delta == "±0" else _DELTA_COLOUR[kpi.better],
            delta_arrow="off" if delta == "±0" else "auto", delta_description=t(versus, lang),
            help=help_text(kpi, value, lang, previous=previous, compared=compared),
            # A trend without its months (not from trends_of): Streamlit's own small line.
            chart_data=None if spark is not None or months else _trend_points(trend, kpi.unit), chart_type="line",
        )
        if last_year_line:
            # The second comparison under the first, on a line of its own: beside the badge
            # and the target it would wrap in a narrow card.
            st.markdown(f":small[:gray[{last_year_line}]]")
        if spark is not None:
            charts.draw(spark, width="stretch")
        # Markdown, not a caption: a caption fades everything in it, the badge too, below
        # the palette's contrast. The target is in small grey type, as a caption would be.
        line = " ".join(p for p in (status_badge(status, lang), f":small[:gray[{target}]]" if target else "") if p)
        if line:
            st.markdown(line)
        compared_to_ministry = comparison_text(kpi, ministry, lang)
        if compared_to_ministry:
            st.caption(f":material/account_balance: {compared_to_ministry}")


class Series(list):
    """A KPI's values per month, with the months they are of and the moment the last one
    runs to (it stays with the values when a page picks some KPIs of several trends)."""

    def __init__(self, values, months: list[str], through: dt.datetime | None):
        super().__init__(values)
        self.months = months
        self.through = through


def trends_of(frame) -> dict:
    """A trend frame (one row per month, a column per KPI; `attrs["through"]`, the moment
    it runs to, from `ui.data`) as the series `kpi_row` draws."""
    if frame is None or frame.empty:
        return {}
    months = [str(m) for m in frame["month"]] if "month" in frame else []
    through = frame.attrs.get("through")
    return {column: Series(frame[column], months, through) for column in frame.columns if column != "month"}


def marks_note(frame, lang: str) -> str | None:
    """A line under a row of cards whose small trends cross a reorganisation: the day and
    its legal basis (the cards' sparklines cannot carry a mark of their own)."""
    if frame is None or frame.empty or "month" not in frame:
        return None
    import datetime as dt

    from l10n import fmt

    from . import data

    start = dt.date.fromisoformat(str(frame["month"].iloc[0]) + "-01")
    last = dt.date.fromisoformat(str(frame["month"].iloc[-1]) + "-01")
    end = dt.date(last.year + (last.month == 12), last.month % 12 + 1, 1) - dt.timedelta(days=1)
    marks = data.succession_marks(start, end)
    if not marks:
        return None
    days = "; ".join(f"{fmt.date(day, lang)} ({', '.join(bases) or '—'})" for day, bases in marks)
    return t("trend_marks_note", lang, marks=days)


def kpi_row(kpi_ids: Sequence[str], values: dict, lang: str, *, previous: dict | None = None,
            trends: dict[str, Sequence] | None = None, ministry: dict | None = None,
            note: str | None = None, compared: dict | list | None = None) -> None:
    """A row of cards. `compared`: both comparison periods with their figures
    (`ui.data.compared` of a domain, or a list of those for a row of several domains),
    which `previous` (the previous period's values alone) predates."""
    groups = [] if not compared else [compared] if isinstance(compared, dict) else list(compared)

    def compared_for(kpi_id: str) -> dict | None:
        domain = kpi_id.split(".", 1)[0]
        return next((g for g in groups if any(c.domain == domain for c in g.values())), None)
    # A grid reflows: four cards a row on a wide screen, fewer on a laptop or tablet,
    # so a figure is never cut short.
    with st.grid(len(kpi_ids), min_column_width=215, gap="small"):
        for kpi_id in kpi_ids:
            kpi_card(kpi_id, values.get(kpi_id), lang,
                     previous=(previous or {}).get(kpi_id), trend=(trends or {}).get(kpi_id),
                     ministry=(ministry or {}).get(kpi_id), compared=compared_for(kpi_id))
    if note and trends:
        st.caption(":material/account_tree: " + note)
