"""Overview, the leader's home. Its first screen answers "what is late and who answers
for it": four headline tiles (on-time rates and what is overdue, dossiers and tasks),
then what needs attention, each item naming its unit and linking to the rows behind it.
Below: the units against every key target (the league table), then every other
headline KPI with target, traffic light, change and trend."""

import streamlit as st

from l10n import fmt
from l10n.i18n import t
from ui import attention, data, league, shell
from ui.cards import kpi_row, marks_note, trends_of
from ui.text import plain

view = shell.view()
lang = view.lang
units = data.unit_names().value or {}
unit_label = units[view.unit][0 if lang == "vi" else 1] if view.unit in units else t("whole_ministry", lang)

st.title(t("overview.title", lang))
PERIOD_LINE = (f"**{t(f'period_names.{view.preset}', lang)}** · {fmt.date(view.period.start, lang)} – "
               f"{fmt.date(view.period.end, lang)} · {plain(unit_label)}")

# The first screen's tiles: a rate and a late count of each source, all four judged
# against a target (the page used to open on four dossier counts, three with none).
HEADLINE = {"procedures": ["procedures.on_time_rate", "procedures.pending_overdue"],
            "tasks": ["tasks.on_time_rate", "tasks.in_progress_overdue"]}
# Every other headline KPI, once each, below the league table.
PROCEDURE_ROWS = [
    ["procedures.received", "procedures.finished", "procedures.pending", "procedures.service_index"],
    ["procedures.online_rate", "procedures.online_payment_rate"],
]
TASK_ROWS = [
    ["tasks.assigned", "tasks.completed_on_time", "tasks.completed_late", "tasks.in_progress_on_time"],
    ["tasks.legal_docs_completion_rate", "tasks.due_next_7_days"],
]
EMULATION_ROW = ["emulation.participating_units", "emulation.score", "emulation.awards"]


def _domain(name: str, as_of):
    """A domain's figures for the view: (current, both comparison periods, trend, ministry
    comparison), or None when its source failed (said on the page)."""
    period = view.period
    fetch = data.procedure_kpis if name == "procedures" else data.task_kpis
    current = fetch(period.start, period.end, view.unit, as_of=as_of)
    if shell.source_problem(current, lang):
        return None
    compared = data.compared(name, period, view.unit, as_of)
    trend_fetch = data.procedure_trend if name == "procedures" else data.task_trend
    trend = trend_fetch(view.unit, as_of=view.trend_end(as_of))
    return current, compared, trend, shell.ministry_comparison(name, period, as_of)


@st.fragment(run_every=shell.refresh_every())
def headline() -> None:
    as_of = data.as_of_now()
    shown = {name: _domain(name, as_of) for name in HEADLINE}
    read_at = [got[0].read_at for got in shown.values() if got is not None and got[0].read_at]
    # The period and the moment the figures describe (the last complete refresh) on one
    # line: the first screen has no height to spare.
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.markdown(PERIOD_LINE, width="content")
        shell.as_of_line(min(read_at) if read_at else as_of, lang)
    ids, values, compared, trends, ministry = [], {}, [], {}, {}
    for name, got in shown.items():
        if got is None:
            continue
        current, both, trend, to_ministry = got
        ids += HEADLINE[name]
        # Each domain's own figures only: a domain's KPI dict names the other's as None.
        mine = HEADLINE[name]
        values.update({k: (current.value or {}).get(k) for k in mine})
        compared.append(both)
        trends.update({k: v for k, v in trends_of(trend.value).items() if k in mine})
        ministry.update({k: v for k, v in (to_ministry or {}).items() if k in mine})
    if ids:
        # Four a row at 1440 px with the sidebar open (the layout CSS of ui/shell.py).
        kpi_row(ids, values, lang, compared=compared, trends=trends, ministry=ministry)


@st.fragment(run_every=shell.refresh_every())
def league_table() -> None:
    as_of = data.as_of_now()
    period = view.period
    st.subheader(":material/leaderboard: " + t("overview.league_heading", lang), anchor=attention.anchor("league"))
    procedures = data.procedure_breakdown(period.start, period.end, view.unit, "unit", as_of=as_of)
    tasks = data.task_breakdown(period.start, period.end, view.unit, "unit", as_of=as_of)
    failed = [o for o in (procedures, tasks) if not o.ok and not o.stale]
    for outcome in failed:
        shell.source_problem(outcome, lang)
    if len(failed) == 2:
        return
    kpi_ids = [k for k in league.OVERVIEW if (procedures if k.startswith("procedures.") else tasks) not in failed]
    names = {code: (n[0] if lang == "vi" else n[1]) for code, n in units.items()}
    st.caption(t("overview.league_caption", lang))
    league.show(league.merged(procedures.value, tasks.value), kpi_ids, names, lang, key="overview_league",
                title=t("overview.league_title", lang), file_stem=t("overview.file_league", lang))
    st.caption(league.legend(lang))


@st.fragment(run_every=shell.refresh_every())
def all_figures() -> None:
    as_of = data.as_of_now()
    period = view.period
    st.subheader(t("section_procedures", lang))
    got = _domain("procedures", as_of)
    if got is not None:
        current, compared, trend, ministry = got
        for row in PROCEDURE_ROWS:
            kpi_row(row, current.value, lang, compared=compared, trends=trends_of(trend.value), ministry=ministry,
                    note=marks_note(trend.value, lang) if row is PROCEDURE_ROWS[-1] else None)
        st.caption(t("service_index_note", lang))

    st.subheader(t("section_tasks", lang))
    got = _domain("tasks", as_of)
    if got is not None:
        current, compared, trend, ministry = got
        for row in TASK_ROWS:
            kpi_row(row, current.value, lang, compared=compared, trends=trends_of(trend.value), ministry=ministry,
                    note=marks_note(trend.value, lang) if row is TASK_ROWS[-1] else None)

    st.subheader(t("section_emulation", lang))
    if view.unit:
        st.caption(t("overview.emulation_ministry_only", lang))
    current = data.emulation_summary(period.start, period.end, as_of=as_of)
    if not shell.source_problem(current, lang):
        kpi_row(EMULATION_ROW, current.value["kpis"], lang, compared=data.compared("emulation", period, None, as_of))


headline()
attention.panel(view)
league_table()
all_figures()
