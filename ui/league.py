"""The league table leaders expect: the units as rows (by name), the key rates as columns,
each cell coloured by its status against the KPI's target, sortable by any column.

The values come from the per-unit pass of `data_access.figures.compute` that the pages'
cards already made (`data.procedure_breakdown` / `data.task_breakdown` by unit): the
table derives no figure of its own. Cells keep their numbers, so a click on a heading
sorts by value; what they show is the reader's number format (a pandas Styler), with
the status also as a mark (✓ ! ✗), since colour must never be alone (design.palette)."""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import pandas as pd
import streamlit as st

from data_access import catalogue
from l10n import fmt
from l10n.i18n import t

from . import charts, tables

# The Overview's columns: the rates (and the two late counts) a leader pushes units on.
OVERVIEW = ("procedures.on_time_rate", "procedures.pending_overdue", "procedures.online_rate",
            "procedures.service_index", "tasks.on_time_rate", "tasks.in_progress_overdue")
# The Procedures page's: every judged figure of the dossiers, with the volume for weight.
PROCEDURES = ("procedures.received", "procedures.on_time_rate", "procedures.pending_overdue",
              "procedures.online_rate", "procedures.digitized_rate", "procedures.online_payment_rate",
              "procedures.satisfaction_rate", "procedures.service_index")
MARKS = {"green": "✓", "amber": "!", "red": "✗"}
ROW_HEIGHT = 35                      # st.dataframe's row (and heading) height in px


def merged(*breakdowns: dict | None) -> dict[str, dict]:
    """Per-unit KPI dicts of several domains as one {unit: {kpi id: value}}."""
    out: dict[str, dict] = {}
    for breakdown in breakdowns:
        for unit, values in (breakdown or {}).items():
            out.setdefault(unit, {}).update(values)
    return out


def _active(values: dict, kpi_ids: Sequence[str]) -> bool:
    """A unit with something to judge in the period: a defined rate or a non-zero count
    (a unit with no dossier and no task would be a row of dashes)."""
    return any(values.get(k) not in (None, 0) for k in kpi_ids)


def _sort_key(values: dict, kpi_ids: Sequence[str], name: str):
    """Most targets missed first, then most to watch, then the lowest first rate: the
    units to push are at the top before anyone sorts."""
    cat = catalogue.get()
    statuses = [cat[k].status(values.get(k)) for k in kpi_ids]
    first = next((values.get(k) for k in kpi_ids if cat[k].unit == "rate"), None)
    return (-statuses.count("red"), -statuses.count("amber"), math.inf if first is None else first, name)


def frame(per_unit: dict[str, dict], kpi_ids: Sequence[str], names: dict[str, str], lang: str,
          short: bool = False) -> pd.DataFrame:
    """One row per unit with activity (its code as the index): its name and each KPI's
    value (numbers, NaN when undefined) under the columns' labels; the units to push first."""
    codes = [c for c, v in per_unit.items() if c is not None and _active(v, kpi_ids)]
    codes.sort(key=lambda c: _sort_key(per_unit[c], kpi_ids, names.get(c, str(c))))
    labels = column_labels(kpi_ids, lang, short)
    rows = [{t("league.col_unit", lang): names.get(c, str(c)), **{labels[k]: per_unit[c].get(k) for k in kpi_ids}}
            for c in codes]
    columns = [t("league.col_unit", lang), *(labels[k] for k in kpi_ids)]
    # The codes are the index, hidden: a row pick names its unit, no reader sees a code.
    out = pd.DataFrame(rows, columns=columns, index=pd.Index(codes, dtype=object, name=None))
    for k in kpi_ids:          # numbers, undefined as NaN: the grid sorts them as numbers
        out[labels[k]] = pd.to_numeric(out[labels[k]], errors="coerce").astype("float64")
    return out


def column_labels(kpi_ids: Iterable[str], lang: str, short: bool = False) -> dict[str, str]:
    """Short headings (a KPI's full name does not fit a column; it is in the heading's
    help, with the target). `short`: shorter still, for a table of one domain, whose
    headings need not say "dossiers" (eight columns then fit 1440 px with the sidebar)."""
    group = "league.short" if short else "league.col"
    return {k: t(f"{group}.{k.replace('.', '_')}", lang) for k in kpi_ids}


def _width(label: str) -> int:
    """A column just wide enough for its heading (the grid does not wrap headings)."""
    return min(150, max(88, round(len(label) * 7.2) + 28))


def cell_text(value, kpi: catalogue.Kpi, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    shown = fmt.kpi_value(value, kpi.unit, lang)
    mark = MARKS.get(kpi.status(value))
    return f"{mark} {shown}" if mark else shown


def _cell_style(value, kpi: catalogue.Kpi, colours) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return f"color: {colours.grey}"
    status = kpi.status(value)
    if status is None:
        return ""
    # The badge's tint and the status colour on it: the palette keeps that pair readable.
    return f"background-color: {colours.badge_background(status)}; color: {colours.status_colour(status)}"


def styled(table: pd.DataFrame, kpi_ids: Sequence[str], lang: str, short: bool = False):
    """The grid's cells: the reader's number format with the status mark, and the status
    tint (the theme's scheme), over the unchanged numbers."""
    cat = catalogue.get()
    labels = column_labels(kpi_ids, lang, short)
    colours = charts.scheme()
    style = table.style.format({labels[k]: (lambda v, kpi=cat[k]: cell_text(v, kpi, lang)) for k in kpi_ids})
    for k in kpi_ids:
        style = style.map(lambda v, kpi=cat[k]: _cell_style(v, kpi, colours), subset=[labels[k]])
    return style


def help_text(kpi: catalogue.Kpi, lang: str) -> str:
    from .cards import target_text

    target = target_text(kpi, lang)
    return kpi.name(lang) + (f" · {target}" if target else "")


def config(kpi_ids: Sequence[str], lang: str, short: bool = False) -> dict:
    cat = catalogue.get()
    labels = column_labels(kpi_ids, lang, short)
    # The unit stays in view when a narrow screen scrolls the figures sideways.
    out = {t("league.col_unit", lang): st.column_config.TextColumn(width=210, pinned=True)}
    out.update({labels[k]: st.column_config.Column(help=help_text(cat[k], lang), width=_width(labels[k]))
                for k in kpi_ids})
    return out


def download_frame(table: pd.DataFrame, kpi_ids: Sequence[str], lang: str, short: bool = False) -> pd.DataFrame:
    """What the downloads hold: the names and the figures as shown, without the marks (the
    download helpers turn them back into numbers with their formats)."""
    cat = catalogue.get()
    labels = column_labels(kpi_ids, lang, short)
    out = table.reset_index(drop=True)
    for k in kpi_ids:
        out[labels[k]] = [fmt.kpi_value(None if pd.isna(v) else v, cat[k].unit, lang) for v in table[labels[k]]]
    return out


def show(per_unit: dict[str, dict], kpi_ids: Sequence[str], names: dict[str, str], lang: str, *, key: str,
         title: str, file_stem: str, max_rows: int = 10, on_select=None, short: bool = False) -> pd.DataFrame:
    """Draw the league table (and its downloads); return its rows (the units' codes are
    the index, in row order: a row pick's position names its unit)."""
    table = frame(per_unit, kpi_ids, names, lang, short)
    if table.empty:
        st.info(t("no_data", lang), icon=":material/inbox:")
        return table
    height = ROW_HEIGHT * (min(len(table), max_rows) + 1) + 3
    st.dataframe(styled(table, kpi_ids, lang, short), hide_index=True, width="stretch", height=height,
                 column_config=config(kpi_ids, lang, short), key=key, on_select=on_select or "ignore",
                 selection_mode="single-row", placeholder="—")
    tables.download_buttons(download_frame(table, kpi_ids, lang, short), lang, key=key, file_stem=file_stem, title=title)
    return table


def legend(lang: str) -> str:
    """The caption under a league table: what the marks and tints say."""
    from design.palette import STREAMLIT_NAMES

    return t("league.legend", lang, **{s: f":{STREAMLIT_NAMES[s]}[{MARKS[s]} {t('status_' + s, lang)}]"
                                       for s in MARKS})
