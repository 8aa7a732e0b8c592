"""KPI cards: value in the KPI's unit, target, and a traffic light shown as an icon and
a word as well as a colour (readable by the colour-blind and on a projector)."""

from __future__ import annotations

import streamlit as st

from data_access import catalogue

from . import fmt
from .i18n import t

_BADGE = {"green": ("green", ":material/check_circle:"), "amber": ("orange", ":material/warning:"),
          "red": ("red", ":material/error:")}


def status_badge(status: str | None, lang: str) -> str:
    if status is None:
        return ""
    colour, icon = _BADGE[status]
    return f":{colour}-badge[{icon} {t('status_' + status, lang)}]"


def kpi_card(kpi_id: str, value, lang: str) -> None:
    kpi = catalogue.get()[kpi_id]
    status = kpi.status(value)
    target = ""
    if kpi.target is not None:
        comparator = "≥" if kpi.better == "higher" else "≤"
        target = f"{t('target', lang)} {comparator} {fmt.kpi_value(kpi.target, kpi.unit, lang)}"
    help_text = t("undefined_reason", lang) if value is None else (target or None)
    with st.container(border=True):
        st.metric(kpi.name(lang), fmt.kpi_value(value, kpi.unit, lang), help=help_text)
        line = " ".join(p for p in (status_badge(status, lang), target) if p)
        st.caption(line or "\u00a0")


def kpi_row(kpi_ids: list[str], values: dict, lang: str) -> None:
    columns = st.columns(len(kpi_ids))
    for column, kpi_id in zip(columns, kpi_ids):
        with column:
            kpi_card(kpi_id, values.get(kpi_id), lang)
