"""Overview: the headline KPIs of the three domains for the current year."""

import streamlit as st

from ui.entry import through_app

through_app()

from data_access.model import Period, Scope  # noqa: E402
from ui import data, fmt  # noqa: E402
from ui.cards import kpi_row  # noqa: E402
from ui.i18n import t  # noqa: E402

lang = st.session_state.get("lang", "vi")
as_of = data.as_of_now()
period = Period.year(as_of.year)
scope = Scope.ministry()

st.title(t("overview_title", lang, year=as_of.year))
st.caption(t("overview_caption", lang, start=fmt.date(period.start, lang),
             end=fmt.date(period.end, lang), as_of=fmt.moment(as_of, lang)))


def section(title_key: str, outcome: data.Outcome, rows: list[list[str]]) -> None:
    st.subheader(t(title_key, lang))
    if not outcome.ok:
        st.error(t("source_failed", lang, source=t("source_" + outcome.failed_source, lang)), icon=":material/cloud_off:")
        return
    for kpi_ids in rows:
        kpi_row(kpi_ids, outcome.value, lang)


section("section_procedures", data.procedure_kpis(period, as_of, scope), [
    ["procedures.received", "procedures.finished", "procedures.pending", "procedures.pending_overdue"],
    ["procedures.on_time_rate", "procedures.online_rate", "procedures.online_payment_rate", "procedures.service_index"],
])
st.caption(t("service_index_note", lang))
section("section_tasks", data.task_kpis(period, as_of, scope), [
    ["tasks.assigned", "tasks.completed_on_time", "tasks.completed_late", "tasks.in_progress_overdue"],
    ["tasks.on_time_rate", "tasks.legal_docs_completion_rate", "tasks.in_progress_on_time", "tasks.due_next_7_days"],
])
section("section_emulation", data.emulation_kpis(period, as_of), [
    ["emulation.participating_units", "emulation.score", "emulation.awards"],
])
