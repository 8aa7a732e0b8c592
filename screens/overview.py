"""Overview, the leader's home: every headline KPI with target, traffic light, change and
trend, and what needs attention, each item linking to the rows behind it."""

import streamlit as st

from l10n import fmt
from l10n.i18n import t
from ui import attention, data, shell
from ui.cards import kpi_row, marks_note, trends_of
from ui.text import plain

view = shell.view()
lang = view.lang
units = data.unit_names().value or {}
unit_label = units[view.unit][0 if lang == "vi" else 1] if view.unit in units else t("whole_ministry", lang)

st.title(t("overview.title", lang))
st.markdown(f"**{t(f'period_names.{view.preset}', lang)}** · {fmt.date(view.period.start, lang)} – "
            f"{fmt.date(view.period.end, lang)} · {plain(unit_label)}")

PROCEDURE_ROWS = [
    ["procedures.received", "procedures.finished", "procedures.pending", "procedures.pending_overdue"],
    ["procedures.on_time_rate", "procedures.online_rate", "procedures.online_payment_rate", "procedures.service_index"],
]
TASK_ROWS = [
    ["tasks.assigned", "tasks.completed_on_time", "tasks.completed_late", "tasks.in_progress_overdue"],
    ["tasks.on_time_rate", "tasks.legal_docs_completion_rate", "tasks.in_progress_on_time", "tasks.due_next_7_days"],
]
EMULATION_ROW = ["emulation.participating_units", "emulation.score", "emulation.awards"]


@st.fragment(run_every=shell.refresh_every())
def headline() -> None:
    as_of = data.as_of_now()
    period = view.period
    prev_period, prev_as_of = data.previous(period, as_of)
    current = data.procedure_kpis(period.start, period.end, view.unit, as_of=as_of)
    # The moment the figures shown describe: the last complete refresh.
    shell.as_of_line(current.read_at or as_of, lang)

    st.subheader(t("section_procedures", lang))
    if not shell.source_problem(current, lang):
        before = data.procedure_kpis(prev_period.start, prev_period.end, view.unit, as_of=prev_as_of)
        trend = data.procedure_trend(view.unit, as_of=view.trend_end(as_of))
        ministry = shell.ministry_comparison("procedures", period, as_of)
        for row in PROCEDURE_ROWS:
            kpi_row(row, current.value, lang, previous=before.value, trends=trends_of(trend.value), ministry=ministry,
                    note=marks_note(trend.value, lang) if row is PROCEDURE_ROWS[-1] else None)
        st.caption(t("service_index_note", lang))

    st.subheader(t("section_tasks", lang))
    current = data.task_kpis(period.start, period.end, view.unit, as_of=as_of)
    if not shell.source_problem(current, lang):
        before = data.task_kpis(prev_period.start, prev_period.end, view.unit, as_of=prev_as_of)
        trend = data.task_trend(view.unit, as_of=view.trend_end(as_of))
        ministry = shell.ministry_comparison("tasks", period, as_of)
        for row in TASK_ROWS:
            kpi_row(row, current.value, lang, previous=before.value, trends=trends_of(trend.value), ministry=ministry,
                    note=marks_note(trend.value, lang) if row is TASK_ROWS[-1] else None)

    st.subheader(t("section_emulation", lang))
    if view.unit:
        st.caption(t("overview.emulation_ministry_only", lang))
    current = data.emulation_summary(period.start, period.end, as_of=as_of)
    if not shell.source_problem(current, lang):
        before = data.emulation_summary(prev_period.start, prev_period.end, as_of=prev_as_of)
        kpi_row(EMULATION_ROW, current.value["kpis"], lang, previous=(before.value or {}).get("kpis"))


headline()
attention.panel(view)
