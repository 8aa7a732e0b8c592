"""Data status (admins): whether each source answers and how fresh its data is, the row
counts of its tables, the data-quality findings, and the recent sign-ins and exports."""

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from l10n.i18n import t
from ui import data, shell, status_view
from ui.tables import show

view = shell.view()
lang = view.lang

st.title(t("data_status.title", lang))
st.caption(t("data_status.intro", lang))
if st.button(t("data_status.check_again", lang), icon=":material/refresh:", key="data_status_refresh"):
    status_view.clear()


@st.fragment(run_every=shell.refresh_every())
def sources_and_quality() -> None:
    as_of = data.as_of_now()
    shell.as_of_line(as_of, lang)

    st.header(t("data_status.section_sources", lang))
    outcome = status_view.statuses(as_of=as_of)
    if not shell.source_problem(outcome, lang):
        for source in outcome.value:
            status_view.source_card(source, as_of, lang)

    st.header(t("data_status.section_quality", lang))
    st.caption(t("data_status.quality_note", lang))
    outcome = status_view.findings(as_of=as_of)
    if not shell.source_problem(outcome, lang):
        if outcome.value:
            show(status_view.findings_frame(outcome.value, lang), lang, key="data_status_findings",
                 file_stem=t("data_status.findings_file", lang),
                 columns=status_view.columns(lang, ("source", "table", "check", "message", "count", "examples")))
        else:
            st.success(t("data_status.no_findings", lang), icon=":material/verified:")


@st.fragment(run_every=shell.refresh_every())
def audit_log() -> None:
    st.header(t("data_status.section_audit", lang))
    try:
        rows = status_view.recent_audit()
    except (SQLAlchemyError, OSError):  # the app's own database is down: say so, never a traceback
        st.error(t("data_status.audit_failed", lang), icon=":material/error:")
        return
    if not rows:
        st.info(t("data_status.no_audit", lang), icon=":material/inbox:")
        return
    st.caption(t("data_status.audit_note", lang, n=len(rows)))
    show(status_view.audit_frame(rows, lang), lang, key="data_status_audit", file_stem=t("data_status.audit_file", lang),
         columns=status_view.columns(lang, ("at", "username", "event", "detail")))


sources_and_quality()
audit_log()
