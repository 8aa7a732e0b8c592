"""Data status (admins): whether each source answers and how fresh its data is, the row
counts of its tables, the data-quality findings, the open sign-in sessions (an
administrator can end one), the failed sign-ins, and the recent sign-ins and exports."""

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from l10n.i18n import t
from ui import data, shell, status_view
from ui.tables import show
from ui.text import plain

view = shell.view()
lang = view.lang

st.title(t("data_status.title", lang))
st.caption(t("data_status.intro", lang))
if st.button(t("data_status.check_again", lang), icon=":material/refresh:", key="data_status_refresh"):
    status_view.clear()


@st.fragment(run_every=shell.refresh_every())
def sources_and_quality() -> None:
    as_of = data.as_of_now()
    shell.as_of_line(as_of, lang, period_figures=False)

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
            show(status_view.findings_frame(outcome.value, lang), lang, key="data_status_findings", period=None,
                 title=t("data_status.section_quality", lang),
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
    show(status_view.audit_frame(rows, lang), lang, key="data_status_audit", period=None,
         title=t("data_status.section_audit", lang), file_stem=t("data_status.audit_file", lang),
         columns=status_view.columns(lang, ("at", "username", "event", "detail")))


def sign_in_sessions() -> None:
    st.header(t("data_status.section_sessions", lang))
    ended = st.session_state.pop("_session_ended_note", None)
    if ended:
        st.success(t("data_status.session_ended_done", lang, user=plain(ended)), icon=":material/check:")
    try:
        found = status_view.open_sessions()
        failures = status_view.recent_failures()
    except (SQLAlchemyError, OSError):
        st.error(t("data_status.sessions_failed", lang), icon=":material/error:")
        return
    if not found:
        st.info(t("data_status.no_sessions", lang), icon=":material/inbox:")
    else:
        st.caption(t("data_status.sessions_note", lang, n=len(found)))
        show(status_view.sessions_frame(found, lang), lang, key="data_status_sessions", period=None,
             title=t("data_status.section_sessions", lang),
             file_stem=t("data_status.sessions_file", lang),
             columns=status_view.columns(lang, ("session_user", "session_started", "session_seen", "session_expires",
                                                "session_address", "session_agent")))
        pick, act = st.columns([3, 1], vertical_alignment="bottom")
        chosen = pick.selectbox(t("data_status.end_session_pick", lang), found, key="w_end_session",
                                format_func=lambda s: status_view.session_label(s, lang))
        if act.button(t("data_status.end_session", lang), icon=":material/logout:", key="end_session"):
            if status_view.end_session(chosen, data.principal().username):
                st.session_state["_session_ended_note"] = chosen.username
            st.rerun()
    st.subheader(t("data_status.section_failures", lang))
    if not failures:
        st.caption(t("data_status.no_failures", lang))
        return
    st.caption(t("data_status.failures_note", lang))
    show(status_view.failures_frame(failures, lang), lang, key="data_status_failures", period=None,
         title=t("data_status.section_failures", lang),
         file_stem=t("data_status.failures_file", lang),
         columns=status_view.columns(lang, ("username", "session_address", "failure_count", "failure_first",
                                            "failure_last", "failure_locked")))


def alert_mail() -> None:
    # The e-mail alerts' last runs and what is not sent (alerts/, docs/alerts.md).
    from alerts import status as alert_status

    st.header(t("alerts.section_status", lang))
    try:
        counts, runs, unsent = alert_status.overview()
    except (SQLAlchemyError, OSError):
        st.error(t("alerts.store_failed", lang), icon=":material/error:")
        return
    st.caption(t("alerts.status_counts", lang, **{k: counts[k] for k in ("sent", "failed", "pending")}))
    if not runs:
        st.info(t("alerts.no_runs", lang), icon=":material/inbox:")
        return
    st.subheader(t("alerts.runs_title", lang))
    show(alert_status.runs_frame(runs, lang), lang, key="data_status_alert_runs", period=None,
         title=t("alerts.runs_title", lang), file_stem=t("alerts.runs_file", lang),
         columns=alert_status.run_columns(lang))
    if unsent:
        st.subheader(t("alerts.messages_title", lang))
        show(alert_status.messages_frame(unsent, lang), lang, key="data_status_alert_messages", period=None,
             title=t("alerts.messages_title", lang), file_stem=t("alerts.messages_file", lang),
             columns=alert_status.message_columns(lang))


def government_feed() -> None:
    # The push to the Government side and the API's use (api/, reports/push.py, docs/api.md).
    from api import status as feed_status

    st.header(t("feed.section", lang))
    try:
        rows = feed_status.attempts()
        n, clients = feed_status.calls_last_day()
    except (SQLAlchemyError, OSError):
        st.error(t("feed.failed", lang), icon=":material/error:")
        return
    st.caption(t("feed.intro", lang, n=n, clients=clients))
    if not rows:
        st.info(t("feed.no_attempts", lang), icon=":material/inbox:")
        return
    show(feed_status.attempts_frame(rows, lang), lang, key="data_status_push", period=None,
         title=t("feed.section", lang), file_stem=t("feed.file", lang), columns=feed_status.columns(lang))


sources_and_quality()
sign_in_sessions()
audit_log()
alert_mail()
government_feed()
