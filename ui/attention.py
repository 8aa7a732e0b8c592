"""The Overview's "needs attention" panel: who answers for what is late, each item a link
to the page and filter that shows the rows behind it."""

from __future__ import annotations

import streamlit as st

from data_access import catalogue
from l10n import fmt
from l10n.i18n import t

from . import data, shell, tables
from .controls import View
from .text import plain

TOP = 5


def _unit_name(units: dict, code: str, lang: str) -> str:
    names = units.get(code)
    return names[0 if lang == "vi" else 1] if names else str(code)


def _link(page: str, label: str, view: View, **params) -> None:
    """A link to the rows behind an item, when the signed-in role may open that page."""
    who = data.principal()
    if who is None or not who.may_open(page.removeprefix("screens/").removesuffix(".py")):
        st.markdown(f":small[{label}]")
        return
    # A long label is cut to the panel's width; the whole of it shows on hover.
    st.page_link(page, label=label, help=label, query_params=view.query(**params), icon=":material/arrow_forward:")


@st.fragment(run_every=shell.refresh_every())
def panel(view: View) -> None:
    lang = view.lang
    as_of = data.as_of_now()
    period = view.period
    units = data.unit_names().value or {}
    cat = catalogue.get()
    on_time_target = cat["procedures.on_time_rate"].target

    st.subheader(":material/priority_high: " + t("overview.attention", lang))
    top, bottom = st.columns(2, gap="medium"), st.columns(2, gap="medium")
    columns = [*top, *bottom]

    with columns[0], st.container(border=True, height="stretch"):
        st.markdown("**" + t("overview.most_overdue_tasks", lang) + "**")
        outcome = data.task_breakdown(period.start, period.end, view.unit, "unit", as_of=as_of)
        if not shell.source_problem(outcome, lang):
            ranked = sorted(((v["tasks.in_progress_overdue"], u) for u, v in (outcome.value or {}).items()
                             if v["tasks.in_progress_overdue"]), reverse=True)[:TOP]
            if not ranked:
                st.caption(t("overview.none_overdue_tasks", lang))
            for count, unit in ranked:
                _link("screens/tasks.py", f"{fmt.number(count, lang)} · {plain(_unit_name(units, unit, lang))}", view, unit=unit)

    with columns[1], st.container(border=True, height="stretch"):
        st.markdown("**" + t("overview.below_target_units", lang,
                             target=fmt.percent(on_time_target, lang, 0)) + "**")
        outcome = data.procedure_breakdown(period.start, period.end, view.unit, "unit", as_of=as_of)
        if not shell.source_problem(outcome, lang):
            below = sorted((v["procedures.on_time_rate"], u) for u, v in (outcome.value or {}).items()
                           if v["procedures.on_time_rate"] is not None and v["procedures.on_time_rate"] < on_time_target)
            if not below:
                st.caption(t("overview.all_on_target", lang))
            for rate, unit in below[:TOP]:
                _link("screens/procedures.py", f"{fmt.percent(rate, lang)} · {plain(_unit_name(units, unit, lang))}", view, unit=unit)
            overdue = sorted(((v["procedures.pending_overdue"], u) for u, v in (outcome.value or {}).items()
                              if v["procedures.pending_overdue"]), reverse=True)[:TOP]
            if overdue:
                st.markdown("**" + t("overview.overdue_dossiers", lang) + "**")
            for count, unit in overdue:
                _link("screens/procedures.py", f"{fmt.number(count, lang)} · {plain(_unit_name(units, unit, lang))}", view, unit=unit)

    with columns[2], st.container(border=True, height="stretch"):
        st.markdown("**" + t("overview.below_target_procedures", lang) + "**")
        outcome = data.procedure_breakdown(period.start, period.end, view.unit, "procedure", as_of=as_of)
        names = data.procedure_catalogue().value or {}
        if not shell.source_problem(outcome, lang):
            below = sorted((v["procedures.on_time_rate"], p) for p, v in (outcome.value or {}).items()
                           if v["procedures.on_time_rate"] is not None and v["procedures.on_time_rate"] < on_time_target)
            if not below:
                st.caption(t("overview.all_on_target", lang))
            for rate, code in below[:TOP]:
                name = names.get(code, {}).get("name_vi" if lang == "vi" else "name_en", code)
                unit = names.get(code, {}).get("unit_code")
                _link("screens/procedures.py", f"{fmt.percent(rate, lang)} · {plain(name)}", view, unit=unit)

    with columns[3], st.container(border=True, height="stretch"):
        st.markdown("**" + t("overview.due_7_days", lang) + "**")
        who = data.principal()
        if who is not None and who.sees_names:
            due_soon(view, units, as_of)
        else:
            due_soon_by_unit(view, units, as_of)


def due_soon(view: View, units: dict, as_of) -> None:
    lang = view.lang
    outcome = data.tasks_due(view.unit, 7, TOP, as_of=as_of)
    if shell.source_problem(outcome, lang):
        return
    frame = outcome.value
    if frame is None or frame.empty:
        st.caption(t("overview.none_due", lang))
        return
    for row in frame.itertuples():
        title = row.title_vi if lang == "vi" else (row.title_en or row.title_vi)
        _link("screens/tasks.py", f"{fmt.date(row.due_date, lang)} · {plain(title)}", view, unit=row.lead_unit_code)
        st.caption(plain(_unit_name(units, row.lead_unit_code, lang)))
    notice = tables.capped_notice(frame, lang)        # "the first 5 of 12"
    if notice:
        st.caption(notice)
    _link("screens/tasks.py", t("overview.see_deadlines", lang), view)


def due_soon_by_unit(view: View, units: dict, as_of) -> None:
    """For a presentation screen: how many tasks fall due per unit, never the tasks."""
    lang = view.lang
    outcome = data.tasks_due_by_unit(view.unit, 7, as_of=as_of)
    if shell.source_problem(outcome, lang):
        return
    ranked = sorted(((n, u) for u, n in (outcome.value or {}).items()), reverse=True)[:TOP]
    if not ranked:
        st.caption(t("overview.none_due", lang))
    for count, unit in ranked:
        st.markdown(f":small[{fmt.number(count, lang)} · {plain(_unit_name(units, unit, lang))}]")
