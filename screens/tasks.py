"""Tasks: it opens with what only it shows — the overdue tasks by unit (the most overdue
first, a row picked narrows the page to the unit) beside the overdue list; then the four
Government status categories (Decision 42/2014/QĐ-TTg) with change and trend, the
deadlines ahead, by source and by unit, the legal-document programme and the monthly
on-time rate. Every part is live and scoped to the unit chosen in the sidebar."""

import datetime as dt

import streamlit as st

from data_access import catalogue, lists
from l10n import fmt
from l10n.i18n import enum, t
from ui import attention, charts, data, shell, tables
from ui import tasks_view as tv
from ui.cards import kpi_row, marks_note, trends_of
from ui.text import plain

view = shell.view()
lang = view.lang
units = data.unit_names().value or {}
unit_label = tv.unit_name(units, view.unit, lang) if view.unit else t("whole_ministry", lang)
period = view.period

st.title(t("tasks.title", lang))
PERIOD_LINE = (f"**{t(f'period_names.{view.preset}', lang)}** · {fmt.date(period.start, lang)} – "
               f"{fmt.date(period.end, lang)} · {plain(unit_label)}")


def _own_unit_only() -> bool:
    """A unit head sees their own unit only: no way back to the whole ministry for them."""
    who = data.principal()
    return who is not None and who.role == "unit_head"


@st.fragment(run_every=shell.refresh_every())
def first() -> None:
    """The first screen: who has overdue tasks, beside the overdue tasks themselves."""
    tv.rerun_if_drilled()
    as_of = data.as_of_now()
    by_unit = data.task_breakdown(period.start, period.end, view.unit, "unit", as_of=as_of)
    # The period, the moment the figures describe and the way back, on one line.
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.markdown(PERIOD_LINE, width="content")
        shell.as_of_line(by_unit.read_at or as_of, lang)
        if view.unit and not _own_unit_only():
            st.button(t("tasks.back_to_ministry", lang), icon=":material/arrow_back:", key="tasks_back",
                      on_click=tv.set_unit, args=(None,))
    st.html(tv.FIRST_SCREEN_CSS)
    left, right = st.container(key="tasks_first").columns([5, 7], gap="medium")
    with left:
        st.subheader(":material/account_tree: " + t("tasks.overdue_by_unit", lang), anchor=attention.anchor("league"))
        _unit_table(by_unit)
    with right:
        _overdue(as_of)


@st.fragment(run_every=shell.refresh_every())
def headline() -> None:
    as_of = data.as_of_now()
    current = data.task_kpis(period.start, period.end, view.unit, as_of=as_of)
    st.subheader(":material/dashboard: " + t("tasks.headline", lang))
    if shell.source_problem(current, lang):
        return
    compared = data.compared("tasks", period, view.unit, as_of)
    trend = data.task_trend(view.unit, as_of=view.trend_end(as_of))
    st.caption(t("tasks.headline_note", lang))
    ministry = shell.ministry_comparison("tasks", period, as_of)
    for row in tv.HEADLINE_ROWS:
        kpi_row(row, current.value, lang, compared=compared, trends=trends_of(trend.value),
                ministry=ministry, note=marks_note(trend.value, lang))


def _no_tasks(breakdown: dict) -> bool:
    return not any(values["tasks.assigned"] for values in breakdown.values())


def _by_source(as_of) -> None:
    st.markdown("##### " + t("tasks.by_source", lang))
    outcome = data.task_breakdown(period.start, period.end, view.unit, "source", as_of=as_of)
    if shell.source_problem(outcome, lang):
        return
    breakdown = outcome.value or {}
    if _no_tasks(breakdown):
        st.info(t("tasks.no_tasks", lang), icon=":material/inbox:")
        return
    keys = [*tv.SOURCES, *(k for k in breakdown if k not in tv.SOURCES)]
    labels = {k: enum("source", k, lang) for k in keys}
    frame = tv.status_frame(breakdown, keys, labels, lang)
    charts.draw(tv.status_chart(frame, lang, order=[labels[k] for k in keys], label_title="col_source"),
                    width="stretch")


def _legal_programme(as_of) -> None:
    st.markdown("##### " + t("tasks.legal", lang))
    outcome = data.task_breakdown(period.start, period.end, view.unit, "category", as_of=as_of)
    if shell.source_problem(outcome, lang):
        return
    legal = (outcome.value or {}).get("legal_document")
    if not legal or not legal["tasks.assigned"]:
        st.info(t("tasks.legal_none", lang), icon=":material/inbox:")
        return
    total = legal["tasks.assigned"]
    done = legal["tasks.completed_on_time"] + legal["tasks.completed_late"]
    rate = legal["tasks.legal_docs_completion_rate"]
    st.progress(rate or 0.0, text=t("tasks.legal_progress", lang, done=fmt.number(done, lang),
                                    total=fmt.number(total, lang), rate=fmt.percent(rate, lang)))
    names = tv.status_names(lang)
    st.caption(" · ".join(f"{names[s]}: **{fmt.number(legal[k], lang)}**" for s, k in tv.STATUS_KPI.items()))


def _trend(as_of) -> None:
    st.markdown("##### " + t("tasks.trend", lang))
    outcome = data.task_trend(view.unit, as_of=view.trend_end(as_of))
    if shell.source_problem(outcome, lang):
        return
    frame = tv.trend_frame(outcome.value, lang)
    if frame["rate"].isna().all():
        st.info(t("tasks.trend_none", lang), icon=":material/inbox:")
        return
    kpi = catalogue.get()["tasks.on_time_rate"]
    marks = data.succession_marks(dt.date.fromisoformat(frame["month"].iloc[0] + "-01"), as_of.date())
    charts.draw(charts.monthly_rate(frame, rate="rate", rate_title=kpi.name(lang), lang=lang, kpi=kpi,
                                        marks=marks), width="stretch")
    st.caption(t("tasks.trend_note", lang, target=fmt.percent(kpi.target, lang, 0)))


def _by_unit(as_of) -> None:
    st.markdown("##### " + t("tasks.by_unit", lang))
    outcome = data.task_breakdown(period.start, period.end, view.unit, "unit", as_of=as_of)
    if shell.source_problem(outcome, lang):
        return
    breakdown = outcome.value or {}
    if _no_tasks(breakdown):
        st.info(t("tasks.no_tasks", lang), icon=":material/inbox:")
        return
    order = tv.unit_ranking(breakdown)
    labels = {code: tv.unit_name(units, code, lang) for code in order}
    st.caption(t("tasks.by_unit_hint", lang))
    frame = tv.status_frame(breakdown, order, labels, lang)
    key = tv.drill_key("tasks_unit_chart")
    charts.draw(tv.status_chart(frame, lang, order=[labels[c] for c in order], label_title="col_unit",
                                    pick="unit_pick"),
                    width="stretch", key=key, selection_mode="unit_pick",
                    on_select=lambda: tv.on_chart_pick(key, "unit_pick", view.unit))


def _by_category(as_of) -> None:
    """With one unit chosen, the unit chart would be a single bar: show its task types."""
    st.markdown("##### " + t("tasks.by_category", lang))
    outcome = data.task_breakdown(period.start, period.end, view.unit, "category", as_of=as_of)
    if shell.source_problem(outcome, lang):
        return
    breakdown = outcome.value or {}
    if _no_tasks(breakdown):
        st.info(t("tasks.no_tasks", lang), icon=":material/inbox:")
        return
    known = ("legal_document", "scheme", "report", "other")
    keys = [*known, *(k for k in breakdown if k not in known)]
    labels = {k: enum("category", k, lang) for k in keys}
    frame = tv.status_frame(breakdown, keys, labels, lang)
    charts.draw(tv.status_chart(frame, lang, order=[labels[k] for k in keys], label_title="col_category"),
                    width="stretch")


def _unit_table(outcome) -> None:
    """Each unit's overdue tasks and on-time rate, the most overdue first; a row picked
    narrows the page to its unit."""
    if shell.source_problem(outcome, lang):
        return
    breakdown = outcome.value or {}
    if _no_tasks(breakdown):
        st.info(t("tasks.no_tasks", lang), icon=":material/inbox:")
        return
    frame = tv.unit_table(breakdown, tv.unit_ranking(breakdown), units, lang)
    st.caption(t("tasks.unit_table_hint", lang) if not view.unit else t("tasks.unit_table_own", lang))
    key = tv.drill_key("tasks_unit_table")
    tables.show(frame, lang, key=key, file_stem=t("tasks.file_by_unit", lang), title=t("tasks.unit_table", lang),
                columns=tv.unit_table_columns(lang), config=tv.unit_table_config(lang),
                height=min(tv.FIRST_SCREEN_HEIGHT, 38 + 35 * len(frame)),
                on_select=None if view.unit else (lambda: tv.on_row_pick(key, list(frame["code"]), view.unit)))


@st.fragment(run_every=shell.refresh_every())
def breakdowns() -> None:
    tv.rerun_if_drilled()
    as_of = data.as_of_now()
    st.subheader(t("tasks.section_breakdown", lang))
    left, right = st.columns([2, 3], gap="large")
    with left:
        _by_source(as_of)
        _legal_programme(as_of)
        _trend(as_of)
    with right:
        if view.unit:
            _by_category(as_of)
        else:
            _by_unit(as_of)


def _list_caption(frame, key: str, **values) -> None:
    st.caption(t(key, lang, n=fmt.number(lists.row_count(frame).total, lang), **values))


@st.fragment(run_every=shell.refresh_every())
def deadlines() -> None:
    as_of = data.as_of_now()
    st.subheader(":material/event_upcoming: " + t("tasks.deadlines", lang), anchor=attention.anchor("deadlines"))
    days = st.segmented_control(t("tasks.due_within", lang), tv.DUE_WINDOWS, default=tv.DUE_WINDOWS[0], required=True,
                                format_func=lambda d: t("tasks.days_option", lang, days=d), key="tasks_due_days")
    days = days or tv.DUE_WINDOWS[0]
    outcome = data.tasks_due(view.unit, days, tv.LIST_LIMIT, as_of=as_of)
    if shell.source_problem(outcome, lang):
        return
    frame = outcome.value
    if frame is None or frame.empty:
        st.success(t("tasks.none_due", lang, days=days), icon=":material/event_available:")
        return
    _list_caption(frame, "tasks.deadlines_note", days=days, today=fmt.date(as_of.date(), lang))
    rows = tv.task_rows(frame, units, lang, current=data.current_unit_of(view.structure))
    tables.show(rows, lang, key="tasks_due_table", title=t("tasks.deadlines", lang), period=None,
                file_stem=t("tasks.file_due", lang, days=days), columns=tv.task_columns(lang, "days_left", rows),
                config=tv.task_config(lang))


def _overdue(as_of) -> None:
    """The overdue tasks: of the period's tasks at its cut-off (as its figures count them),
    or every task still overdue now."""
    st.subheader(":material/assignment_late: " + t("tasks.overdue", lang), anchor=attention.anchor("overdue"))
    in_period = st.toggle(t("tasks.overdue_in_period", lang), value=True, key="tasks_overdue_in_period",
                          help=t("tasks.overdue_in_period_help", lang))
    start, end = (period.start, period.end) if in_period else (None, None)
    outcome = data.overdue_tasks(view.unit, tv.LIST_LIMIT, start, end, as_of=as_of)
    if shell.source_problem(outcome, lang):
        return
    frame = outcome.value
    if frame is None or frame.empty:
        st.success(t("tasks.none_overdue", lang), icon=":material/task_alt:")
        return
    moment = min(as_of, view.cutoff) if in_period else as_of
    _list_caption(frame, "tasks.overdue_note", today=fmt.date(moment.date(), lang))
    rows = tv.task_rows(frame, units, lang, current=data.current_unit_of(view.structure))
    tables.show(rows, lang, key="tasks_overdue_table", title=t("tasks.overdue", lang),
                file_stem=t("tasks.file_overdue", lang), columns=tv.task_columns(lang, "days_overdue", rows),
                config=tv.task_config(lang), height=min(tv.FIRST_SCREEN_HEIGHT, 38 + 35 * len(rows)))


first()
headline()
deadlines()
breakdowns()
attention.land("tasks")     # a drill-down link's rows, once drawn
