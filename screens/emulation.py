"""Emulation: the ranking within each block against last year's (provisional scores
marked), each unit's points by criterion (automatic ones from the KPIs), the awards
decided in the period, and last the movement of the year with its six contents."""

import altair as alt
import pandas as pd
import streamlit as st

from data_access import emulation
from l10n import fmt
from l10n.i18n import enum, t
from ui import charts, data, shell, tables
from ui import emulation_view as ev
from ui.text import plain

view = shell.view()
lang = view.lang
units = data.unit_names().value or {}
unit_label = ev.unit_name(view.unit, units, lang) if view.unit else t("whole_ministry", lang)
year = view.period.start.year

st.title(t("emulation.title", lang))
st.markdown(f"**{t(f'period_names.{view.preset}', lang)}** · {fmt.date(view.period.start, lang)} – "
            f"{fmt.date(view.period.end, lang)} · {plain(unit_label)}")

# --- the movement of the year ---------------------------------------------------------------
found = data.movement(year)
movement_failed = shell.source_problem(found, lang)
movement = None if movement_failed else found.value

if movement_failed:
    pass
elif movement is None:
    st.info(t("emulation.no_movement", lang, year=year), icon=":material/event_busy:")
else:
    # The movement named under the title; its six contents, the reference, close the page
    # (a leader opens it for the ranking).
    st.caption(plain(ev.named(movement, lang)) or t("emulation.movement_of_year", lang, year=year))


def programme() -> None:
    """The movement of the year: its theme and six contents with their criteria."""
    with st.container(border=True):
        st.subheader(plain(ev.named(movement, lang)) or t("emulation.movement_of_year", lang, year=year))
        theme = ev.named(movement, lang, "theme")
        if theme:
            st.markdown(f"{t('emulation.theme', lang)}: **“{plain(theme)}”**")
        st.markdown(f"##### {t('emulation.contents', lang)}")
        criteria = movement["criteria"]
        codes = emulation.criterion_codes(criteria)
        numbers = list(ev.CONTENT_NUMBERS) + sorted(
            {c["content_no"] for c in criteria if c["content_no"] not in ev.CONTENT_NUMBERS}, key=str)
        grid = st.columns(3)
        for i, number in enumerate(numbers):
            in_content = [c for c in criteria if c["content_no"] == number]
            with grid[i % 3].container(border=True, height="stretch"):
                st.markdown(f"**{t('emulation.content_label', lang, no=number)}. {ev.content_title(number, lang)}**")
                if not in_content:
                    st.caption(t("emulation.content_none", lang))
                    continue
                total = sum(c["max_points"] for c in in_content)
                st.caption(t("emulation.content_points", lang, n=len(in_content), points=fmt.number(total, lang, 0)))
                st.markdown("\n".join(
                    f"- `{codes[c['id']]}` {ev.AUTOMATIC_MARK if c['metric'] else ev.HAND_MARK} {plain(ev.named(c, lang))} "
                    f"— {fmt.number(c['max_points'], lang, 0)} {t('unit_points', lang)}"
                    for c in in_content))
        st.caption(t("emulation.marks_legend", lang, auto=ev.AUTOMATIC_MARK, hand=ev.HAND_MARK))


# --- evaluation period --------------------------------------------------------------------
default_code, _ = emulation.evaluation_period(year, view.period.end)
CODES = ["H1", "FY"]
code = st.radio(
    t("emulation.evaluation_period", lang), CODES, index=CODES.index(default_code), horizontal=True,
    key=f"emulation_period_{year}_{default_code}", format_func=lambda c: enum("evaluation_period", c, lang),
    help=t("emulation.evaluation_period_help", lang),
) if movement else default_code
period_name = enum("evaluation_period", code, lang)


def ranking_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """One block's scores as bars in rank order, each labelled with its score."""
    scored = frame[frame["score_value"].notna()].copy()
    scored["label"] = [f"{r}. {u}" for r, u in zip(scored["rank"], scored["unit"])]
    # A provisional score is drawn lighter and says so at its bar's end.
    scored["bar_text"] = [f"{v} · {t('emulation.provisional_short', lang)}" if p else v
                          for v, p in zip(scored["score"], scored["provisional"])]
    scored["opacity"] = [0.45 if p else 1.0 for p in scored["provisional"]]
    order = list(scored["label"])
    height = 32 * len(scored)
    y = alt.Y("label:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=190, labelFontSize=12, labelOverlap=False, ticks=False))
    x = alt.X("score_value:Q", title=t("emulation.score_axis", lang), scale=alt.Scale(domain=[0, 145], nice=False),
              axis=alt.Axis(labelExpr=charts.number_label(lang), values=[0, 20, 40, 60, 80, 100]))
    bars = charts.ranked_bars(
        scored, label="label", value="score_value", value_title=t("emulation.score_axis", lang), lang=lang,
        height=height,
        tooltip=[alt.Tooltip("unit:N", title=t("emulation.col_unit", lang)),
                 alt.Tooltip("score:N", title=t("emulation.col_score", lang)),
                 alt.Tooltip("provisional:N", title=t("emulation.col_provisional", lang)),
                 alt.Tooltip("rank:N", title=t("emulation.col_rank", lang))],
    ).encode(y=y, x=x, opacity=alt.Opacity("opacity:Q", scale=None, legend=None))
    text = alt.Chart(scored).mark_text(align="left", dx=4, fontWeight="bold", fontSize=12).encode(
        y=y, x=x, text="bar_text:N").properties(height=height)
    # Vega-Lite takes `usermeta` (the chart's options) at the top only: moved to the layer.
    meta, bars.usermeta = bars.usermeta, alt.Undefined
    return alt.layer(bars, text).properties(height=height, usermeta=meta)


def ranking_section(as_of) -> None:
    st.subheader(t("emulation.ranking", lang, period=period_name, year=year))
    current = data.emulation_scores(year, code, as_of=as_of)
    if shell.source_problem(current, lang):
        return
    rows = current.value or []
    unreadable = data.unreadable_evaluation_rows(year, code, as_of=as_of).value or {}
    for table, count in unreadable.items():
        if count:
            st.warning(t(f"emulation.unreadable_{table}", lang, n=fmt.number(count, lang)),
                       icon=":material/report:")
    if not rows:
        st.info(t("emulation.no_members", lang), icon=":material/groups:")
        return
    last = data.emulation_scores(year - 1, code, as_of=as_of)
    before = {r["unit"]: r["rank"] for r in (last.value or [])} if last.ok else {}
    if not last.ok:
        st.caption(t("emulation.previous_unavailable", lang))
    elif not any(rank is not None for rank in before.values()):
        st.caption(t("emulation.no_previous", lang, period=period_name, year=year - 1))
    else:
        st.caption(t("emulation.ranking_note", lang, period=period_name, year=year - 1))
    provisional = any(ev.provisional_text(r, lang) for r in rows)
    if provisional:
        st.caption(t("emulation.provisional_note", lang))

    if any(not c["metric"] for c in movement["criteria"]):
        points = data.criterion_points(year, code, None, as_of=as_of)
        if points.ok and not any(r["points"] is not None for r in points.value or [] if not r["automatic"]):
            st.info(t("emulation.hand_pending", lang, period=period_name, year=year), icon=":material/pending_actions:")

    blocks = {b["id"]: b for b in movement["blocks"]}
    block_ids = sorted({r["block"] for r in rows})
    if view.unit:
        block_ids = [b for b in block_ids if any(r["block"] == b and r["unit"] == view.unit for r in rows)]
        st.caption(t("emulation.unit_blocks_note", lang, unit=plain(unit_label)))
        if not block_ids:
            st.info(t("emulation.unit_not_member", lang, unit=plain(unit_label)), icon=":material/groups:")
            return
    columns = {"rank": t("emulation.col_rank", lang), "unit": t("emulation.col_unit", lang),
               "score": t("emulation.col_score", lang),
               **({"provisional": t("emulation.col_provisional", lang)} if provisional else {}),
               "previous_rank": t("emulation.col_previous_rank", lang, year=year - 1),
               "change": t("emulation.col_change", lang)}
    every = []
    for i, block_id in enumerate(block_ids):
        block = blocks.get(block_id, {})
        block_name = ev.named(block, lang) or t("emulation.block_fallback", lang, id=block_id)
        frame = ev.ranking_frame([r for r in rows if r["block"] == block_id], before, units, lang)
        every.append(frame.assign(block=block_name))
        with st.container(border=True):
            st.markdown(f"**{plain(block_name)}**")
            left, right = st.columns([5, 7], gap="medium")
            if frame["score_value"].notna().any():
                # a layered chart needs its height given: "content" measures it too short
                charts.draw(ranking_chart(frame), left, width="stretch",
                                  height=32 * int(frame["score_value"].notna().sum()) + 60)
            else:
                left.caption(t("emulation.no_scores_block", lang))
            right.dataframe(frame[list(columns)].rename(columns=columns), hide_index=True, width="stretch",
                         key=f"emulation_rank_{block_id}", column_config={
                             columns["rank"]: st.column_config.TextColumn(width=55),
                             columns["unit"]: st.column_config.TextColumn(width=330),
                             columns["score"]: st.column_config.TextColumn(width=65),
                             **({columns["provisional"]: st.column_config.TextColumn(width=195)}
                                if provisional else {}),
                             columns["previous_rank"]: st.column_config.TextColumn(width=100),
                             columns["change"]: st.column_config.TextColumn(width=75)})
    # one download of every block shown, with the block named on each row
    columns = {"block": t("emulation.col_block", lang), **columns}
    everything = pd.concat(every)[list(columns)].rename(columns=columns)
    stem = f"{t('emulation.ranking_file', lang)}-{year}-{code}"
    tables.download_buttons(everything, lang, key="emulation_rank", file_stem=stem,
                            title=t("emulation.ranking", lang, year=year, period=period_name),
                            period=emulation.eval_window(year, code))


def criteria_section(as_of) -> None:
    st.subheader(t("emulation.criteria_section", lang, period=period_name, year=year))
    got = data.criterion_points(year, code, view.unit, as_of=as_of)
    scored = data.emulation_scores(year, code, as_of=as_of)
    if shell.source_problem(got, lang) or shell.source_problem(scored, lang):
        return
    scores = {r["unit"]: r["score"] for r in scored.value or []}
    frame, columns, helps = ev.criterion_table(got.value or [], movement["criteria"], scores, units, lang)
    st.caption(t("emulation.criteria_note", lang, auto=ev.AUTOMATIC_MARK, hand=ev.HAND_MARK))
    config = {key: st.column_config.TextColumn(help=text, width=64) for key, text in helps.items()}
    config["unit"] = st.column_config.TextColumn(pinned=True, width=300)
    config["score"] = st.column_config.TextColumn(width=90, help=t("emulation.col_score_help", lang))
    tables.show(frame, lang, key="emulation_criteria", columns=columns, config=config,
                title=t("emulation.criteria_section", lang, period=period_name, year=year),
                period=emulation.eval_window(year, code),
                height=min(35 * (len(frame) + 1) + 3, 900),
                file_stem=f"{t('emulation.criteria_file', lang)}-{year}-{code}")


def count_bars(counts: dict, names, title: str) -> None:
    frame = pd.DataFrame({"label": [names(k) for k in counts], "count": list(counts.values())})
    height = 28 * len(frame)
    chart = charts.ranked_bars(frame, label="label", value="count", value_title=t("emulation.count_axis", lang),
                               lang=lang, height=height,
                               tooltip=[alt.Tooltip("label:N", title=title),
                                        alt.Tooltip("count:Q", title=t("emulation.count_axis", lang))])
    charts.draw(chart, width="stretch", height=height + 60)


def awards_section(as_of) -> None:
    period = view.period
    st.subheader(t("emulation.awards", lang, start=fmt.date(period.start, lang), end=fmt.date(period.end, lang)))
    by_title = data.awards_by(period.start, period.end, view.unit, "title", as_of=as_of)
    if shell.source_problem(by_title, lang):
        return
    if not by_title.value:
        st.info(t("emulation.no_awards", lang), icon=":material/military_tech:")
        return
    by_unit = data.awards_by(period.start, period.end, view.unit, "unit", as_of=as_of)
    by_kind = data.awards_by(period.start, period.end, view.unit, "kind", as_of=as_of)
    kinds = by_kind.value or {}
    st.caption(t("emulation.awards_total", lang, n=fmt.number(sum(by_title.value.values()), lang),
                 collective=fmt.number(kinds.get("collective", 0), lang),
                 individual=fmt.number(kinds.get("individual", 0), lang)))
    # with one unit chosen, a per-unit chart would be a single bar: titles only
    left, right = st.columns(2)
    right = None if view.unit else right
    with left:
        st.markdown(f"**{t('emulation.awards_by_title', lang)}**")
        count_bars(by_title.value, lambda k: enum("title", k, lang), t("emulation.col_title", lang))
    if right is not None:
        right.markdown(f"**{t('emulation.awards_by_unit', lang)}**")
        with right:
            if not shell.source_problem(by_unit, lang):
                count_bars(by_unit.value, lambda k: ev.unit_name(k, units, lang), t("emulation.col_unit", lang))
    st.markdown(f"**{t('emulation.awards_list', lang)}**")
    listed = ev.awards_list(period.start, period.end, view.unit, as_of=as_of)
    if shell.source_problem(listed, lang):
        return
    columns = {"title": t("emulation.col_title", lang), "recipient_kind": t("emulation.col_kind", lang),
               "recipient_name": t("emulation.col_recipient", lang), "unit_code": t("emulation.col_unit", lang),
               "decision_no": t("emulation.col_decision", lang), "decided_on": t("emulation.col_date", lang)}
    config = {"title": st.column_config.TextColumn(width=180), "recipient_kind": st.column_config.TextColumn(width=80),
              "recipient_name": st.column_config.TextColumn(width=310), "unit_code": st.column_config.TextColumn(width=300),
              "decision_no": st.column_config.TextColumn(width=120),
              "decided_on": st.column_config.DateColumn(format="DD/MM/YYYY" if lang == "vi" else "DD MMM YYYY", width=110)}
    tables.show(ev.award_rows(listed.value, units, lang), lang, key="emulation_awards", columns=columns,
                title=t("emulation.awards_list", lang),
                config=config, height=min(420, 35 * (len(listed.value) + 1) + 3), file_stem=f"{t('emulation.awards_file', lang)}-{year}")


def headline(as_of) -> None:
    """Participation, mean score and awards; for a chosen unit, its own score and rank."""
    current = data.movement_evaluation(year, code, as_of=as_of)
    awards = data.awards_by(view.period.start, view.period.end, view.unit, "title", as_of=as_of)
    rows = (current.value or {}).get("scores") or []
    sizes = (current.value or {}).get("block_sizes") or {}
    cells: list[tuple[str, str, str | None, str | None]] = []
    if view.unit:
        blocks = {b["id"]: b for b in movement["blocks"]}
        mine = [r for r in rows if r["unit"] == view.unit]
        for r in mine:
            # a unit head's rows are only their own: the block's size is the whole block's
            block_name = ev.named(blocks.get(r["block"], {}), lang) or t("emulation.block_fallback", lang, id=r["block"])
            cells.append((t("emulation.metric_unit_score", lang, period=period_name), ev.points(r["score"], lang), None,
                          ev.provisional_text(r, lang) or None))
            # "2/3" as the figure, "trong Khối thi đua IV" under it: the card reads "2/3 trong Khối thi đua IV"
            ranked = r["rank"] is not None
            cells.append((t("emulation.metric_unit_rank", lang),
                          t("emulation.rank_of", lang, rank=r["rank"], n=sizes.get(r["block"], 1)) if ranked
                          else t("emulation.unranked", lang),
                          None, t("emulation.in_block", lang, block=plain(block_name))))
            break
    else:
        defined = [r["score"] for r in {r["unit"]: r for r in rows}.values() if r["score"] is not None]
        waiting = sum(1 for r in {r["unit"]: r for r in rows}.values() if ev.provisional_text(r, lang))
        cells.append((t("emulation.metric_units", lang), fmt.number(len({r["unit"] for r in rows}), lang), None, None))
        cells.append((t("emulation.metric_blocks", lang), fmt.number(len(movement["blocks"]), lang), None, None))
        cells.append((t("emulation.metric_mean_score", lang, period=period_name),
                      ev.points(sum(defined) / len(defined) if defined else None, lang),
                      t("emulation.metric_mean_help", lang),
                      t("emulation.provisional_units", lang, n=waiting) if waiting else None))
    if awards.ok or awards.stale:
        cells.append((t("emulation.metric_awards", lang), fmt.number(sum((awards.value or {}).values()), lang),
                      None, None))
    if not cells:
        return
    for column, (label, value, help_text, mark) in zip(st.columns(max(4, len(cells))), cells):
        # the provisional mark sits under the figure, in grey, with no arrow (not a change)
        column.metric(label, value, delta=mark, delta_color="off", delta_arrow="off", help=help_text, border=True)


@st.fragment(run_every=shell.refresh_every())
def live_figures() -> None:
    as_of = data.as_of_now()
    shell.as_of_line(as_of, lang)
    if movement:
        headline(as_of)
        ranking_section(as_of)
        criteria_section(as_of)
    awards_section(as_of)


if not movement_failed:
    live_figures()
if movement:
    programme()
