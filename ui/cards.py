"""KPI cards: value in the KPI's unit, target, traffic light shown as an icon and a word
as well as a colour (readable by the colour-blind and on a projector), change against
the previous equal-length period with the right sense of good and bad, and a 12-month
trend line."""

from __future__ import annotations

import math
from typing import Sequence

import streamlit as st

from data_access import catalogue
from design.palette import STREAMLIT_NAMES
from l10n import fmt
from l10n.i18n import t

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


def kpi_card(kpi_id: str, value, lang: str, *, previous=None, trend: Sequence | None = None,
             ministry=None) -> None:
    kpi = catalogue.get()[kpi_id]
    status = kpi.status(value)
    target = target_text(kpi, lang)
    if value is None:
        help_text = t("undefined_reason", lang)
    else:
        prior = fmt.kpi_value(previous, kpi.unit, lang)
        help_text = f"{target}  \n{t('previous_period', lang)}: {prior}" if target else f"{t('previous_period', lang)}: {prior}"
    delta = delta_text(value, previous, kpi.unit, lang)
    with st.container(border=True, height="stretch"):
        st.metric(
            kpi.name(lang), fmt.kpi_value(value, kpi.unit, lang),
            delta=delta, delta_color="off" if delta == "±0" else _DELTA_COLOUR[kpi.better],
            delta_arrow="off" if delta == "±0" else "auto", delta_description=t("delta_vs_previous", lang),
            help=help_text, chart_data=_trend_points(trend, kpi.unit), chart_type="line",
        )
        # Markdown, not a caption: a caption fades everything in it, the badge too, below
        # the palette's contrast. The target is in small grey type, as a caption would be.
        line = " ".join(p for p in (status_badge(status, lang), f":small[:gray[{target}]]" if target else "") if p)
        if line:
            st.markdown(line)
        compared = comparison_text(kpi, ministry, lang)
        if compared:
            st.caption(f":material/account_balance: {compared}")


def trends_of(frame) -> dict:
    """A trend frame (one row per month, a column per KPI) as the series `kpi_row` draws."""
    if frame is None or frame.empty:
        return {}
    return {column: list(frame[column]) for column in frame.columns if column != "month"}


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
            note: str | None = None) -> None:
    # A grid reflows: four cards a row on a wide screen, fewer on a laptop or tablet,
    # so a figure is never cut short.
    with st.grid(len(kpi_ids), min_column_width=240, gap="small"):
        for kpi_id in kpi_ids:
            kpi_card(kpi_id, values.get(kpi_id), lang,
                     previous=(previous or {}).get(kpi_id), trend=(trends or {}).get(kpi_id),
                     ministry=(ministry or {}).get(kpi_id))
    if note and trends:
        st.caption(":material/account_tree: " + note)
