"""Procedures: what is good and what is late in the handling of citizens' and businesses'
dossiers, and which unit answers for it. It opens with what only it shows: each unit
against the dossier targets (the league table; pick a row to drill down) and the overdue
pending dossiers; then the headline KPIs with the 766 service index, the 12-month trend,
breakdowns by unit, field, procedure and channel."""

import datetime as dt

import streamlit as st

from data_access import catalogue
from l10n import fmt
from l10n.i18n import enum, t
from ui import attention, charts, data, league, shell, tables
from ui import procedures_view as pv
from ui.cards import kpi_row, marks_note, trends_of
from ui.controls import drill_to_unit
from ui.text import plain

OVERDUE_LIMIT = 500
BACK_FLAG = "_procedures_back_to_ministry"
LEAGUE_DRILLS = "_procedures_league_drills"    # part of the league table's key: a new grid
                                               # after each drill, so a pick is never replayed
view = shell.view()
lang = view.lang
units = data.unit_names().value or {}
unit_label = pv.unit_name(units, view.unit, lang) if view.unit else t("whole_ministry", lang)

# "Whole ministry" is asked for through a callback flag rather than the button's return
# value: a click then survives any rerun that comes before this line.
if st.session_state.pop(BACK_FLAG, False):
    drill_to_unit(None)

st.title(t("procedures.title", lang))
PERIOD_LINE = (f"**{t(f'period_names.{view.preset}', lang)}** · {fmt.date(view.period.start, lang)} – "
               f"{fmt.date(view.period.end, lang)} · {plain(unit_label)}")


@st.fragment(run_every=shell.refresh_every())
def first() -> None:
    """The first screen: the units against the targets, then the overdue dossiers; the
    headline cards follow in the same run (one message for a source that is down)."""
    as_of = data.as_of_now()
    period = view.period
    problem = pv.Problems(lang)
    procs = data.procedure_catalogue().value or {}
    by_unit = data.procedure_breakdown(period.start, period.end, view.unit, "unit", as_of=as_of)
    # The period and the moment the figures describe, on one line (the first screen).
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.markdown(PERIOD_LINE, width="content")
        shell.as_of_line(by_unit.read_at or as_of, lang)

    # --- the units against the targets (drill-down) --------------------------------------
    st.subheader(":material/leaderboard: " + t("procedures.league_heading", lang), anchor=attention.anchor("league"))
    who = data.principal()
    if view.unit and (who is None or who.role != "unit_head"):     # a unit head has no other view
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.info(t("procedures.viewing_unit", lang, unit=plain(unit_label)), icon=":material/filter_alt:")
        right.button(t("procedures.back_to_ministry", lang), key="proc_back", icon=":material/zoom_out_map:",
                     width="stretch", on_click=st.session_state.update, kwargs={BACK_FLAG: True})
    if not problem(by_unit):
        names = {code: pv.unit_name(units, code, lang) for code in (by_unit.value or {})}
        st.caption(t("procedures.league_caption" if not view.unit else "procedures.league_caption_unit", lang)
                   + "  \n" + league.legend(lang))
        key = f"proc_league_{st.session_state.get(LEAGUE_DRILLS, 0)}"
        table = league.show(by_unit.value or {}, league.PROCEDURES, names, lang, key=key, max_rows=6, short=True,
                            title=t("procedures.league_title", lang), file_stem=t("procedures.file_league", lang),
                            on_select="ignore" if view.unit else "rerun")
        rows = (((st.session_state.get(key) or {}).get("selection") or {}).get("rows")) or []
        if rows and not view.unit and 0 <= rows[0] < len(table):
            st.session_state[LEAGUE_DRILLS] = st.session_state.get(LEAGUE_DRILLS, 0) + 1
            drill_to_unit(table.index[rows[0]])

    # --- overdue pending dossiers: at the period's cut-off, as its figures count them ------
    st.subheader(":material/alarm: " + t("procedures.overdue_heading", lang), anchor=attention.anchor("overdue"))
    overdue = data.overdue_dossiers(view.unit, OVERDUE_LIMIT, view.period.start, view.period.end, as_of=as_of)
    if not problem(overdue):
        frame = overdue.value
        if frame is None or frame.empty:
            st.success(t("procedures.none_overdue", lang), icon=":material/check_circle:")
        else:
            st.caption(t("procedures.overdue_caption", lang, time=fmt.moment(min(as_of, view.cutoff), lang)))
            shown, labels, config = pv.overdue_table(frame, procs, units, lang)
            tables.show(shown, lang, key="proc_overdue", title=t("procedures.overdue_heading", lang),
                        file_stem=t("procedures.file_overdue", lang),
                        columns=labels, config=config, height=min(420, 38 + 35 * len(shown)))

    headline(as_of, problem)


def headline(as_of, problem: pv.Problems) -> None:
    period = view.period
    st.subheader(":material/dashboard: " + t("procedures.headline", lang))
    current = data.procedure_kpis(period.start, period.end, view.unit, as_of=as_of)
    if problem(current):
        return
    trend = data.procedure_trend(view.unit, as_of=view.trend_end(as_of))
    ministry = shell.ministry_comparison("procedures", period, as_of)
    # The catalogue decides which cards, in its order; one grid reflows them with no gaps.
    kpi_row(catalogue.get().on_screen("procedures"), current.value, lang,
            compared=data.compared("procedures", period, view.unit, as_of),
            trends=trends_of(trend.value), ministry=ministry, note=marks_note(trend.value, lang))
    parts = data.service_index_parts(period.start, period.end, view.unit, as_of=as_of)
    with st.container(border=True):
        pv.index_block(current.value, parts.value or [], lang)


@st.fragment(run_every=shell.refresh_every())
def details() -> None:
    as_of = data.as_of_now()
    period = view.period
    problem = pv.Problems(lang)
    target = catalogue.get()["procedures.on_time_rate"].target
    procs = data.procedure_catalogue().value or {}

    def breakdown(by: str):
        return data.procedure_breakdown(period.start, period.end, view.unit, by, as_of=as_of)

    # --- trend ------------------------------------------------------------------------
    st.subheader(":material/show_chart: " + t("procedures.trend_heading", lang))
    trend = data.procedure_trend(view.unit, as_of=view.trend_end(as_of))
    if not problem(trend):
        if trend.value is None or trend.value.empty or not trend.value["procedures.received"].any():
            st.info(t("no_data", lang), icon=":material/inbox:")
        else:
            frame = pv.trend_frame(trend.value, lang)
            marks = data.succession_marks(dt.date.fromisoformat(frame["month"].iloc[0] + "-01"), as_of.date())
            charts.draw(pv.trend_chart(frame, lang, marks=marks), width="stretch")
            st.caption(t("procedures.trend_caption", lang, target=fmt.percent(target, lang, 0)))

    # --- by unit (drill-down; one unit chosen: its own figures are the whole page) ----------
    if not view.unit:
        st.subheader(":material/account_tree: " + t("procedures.by_unit_heading", lang))
        by_unit = breakdown("unit")
        if not problem(by_unit):
            names = {code: pv.unit_name(units, code, lang) for code in (by_unit.value or {})}
            frame = pv.rate_frame({k: v for k, v in (by_unit.value or {}).items()
                                   if v["procedures.received"] or v["procedures.finished"]}, names, lang)
            if frame.empty:
                st.info(t("no_data", lang), icon=":material/inbox:")
            else:
                st.caption(t("procedures.by_unit_caption", lang))
                choice = st.selectbox(
                    t("procedures.drill_label", lang), list(frame["key"]), index=None, key="proc_drill",
                    placeholder=t("procedures.drill_placeholder", lang), format_func=lambda c: names.get(c, c))
                if choice:
                    st.session_state.pop("proc_drill", None)
                    drill_to_unit(choice)
                chart = pv.rate_and_volume_chart(frame, lang, name_title=t("procedures.col_unit", lang),
                                                 selection="unit_pick")
                event = charts.draw(chart, width="stretch", on_select="rerun", key="proc_unit_chart",
                                        selection_mode="unit_pick")
                picked = ((event or {}).get("selection") or {}).get("unit_pick") or []
                if picked and picked[0].get("key"):
                    drill_to_unit(picked[0]["key"])
                st.caption(pv.legend_caption(lang))

    # --- by field and by channel ----------------------------------------------------------
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(":material/category: " + t("procedures.by_field_heading", lang))
        by_field = breakdown("field")
        if not problem(by_field):
            values = {k: v for k, v in (by_field.value or {}).items()
                      if v["procedures.received"] or v["procedures.finished"]}
            frame = pv.rate_frame(values, {k: enum("field", k, lang) for k in values}, lang)
            if frame.empty:
                st.info(t("no_data", lang), icon=":material/inbox:")
            else:
                st.caption(t("procedures.by_field_caption", lang))
                charts.draw(pv.rate_and_volume_chart(frame, lang, name_title=t("procedures.col_field", lang)),
                                width="stretch")
    with right:
        st.subheader(":material/move_to_inbox: " + t("procedures.by_channel_heading", lang))
        by_channel = breakdown("channel")
        if not problem(by_channel):
            frame = pv.channel_frame(by_channel.value or {}, lang)
            if frame.empty:
                st.info(t("no_data", lang), icon=":material/inbox:")
            else:
                st.caption(t("procedures.by_channel_caption", lang))
                charts.draw(pv.channel_chart(frame, lang), width="stretch")

    # --- by procedure -----------------------------------------------------------------------
    st.subheader(":material/list_alt: " + t("procedures.by_procedure_heading", lang),
                 anchor=attention.anchor("by_procedure"))
    by_procedure = breakdown("procedure")
    if not problem(by_procedure):
        frame, labels, config = pv.procedure_table(by_procedure.value or {}, procs, units, lang)
        if not frame.empty:
            st.caption(t("procedures.by_procedure_caption", lang))
        tables.show(frame, lang, key="proc_by_procedure", title=t("procedures.by_procedure_title", lang),
                    file_stem=t("procedures.file_procedures", lang),
                    columns=labels, config=config)


first()
details()
attention.land("procedures")     # a drill-down link's rows, once drawn
