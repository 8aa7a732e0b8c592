"""The Overview's "needs attention" panel: who answers for what is late, each item naming
its unit and linking to the rows behind it, and the landing of such a link on those
rows (a drill-down that opened the page at its top left the reader three screens above
the rows it promised).

A link carries the section it names in the `section` URL parameter, as "<name>.<n>":
the page it opens scrolls to that section once, on arrival (`land`). The number, new on
every run of the panel, tells a new arrival from a later run of the same page (the
parameter stays in the URL while the reader works there)."""

from __future__ import annotations

import json

import streamlit as st

from data_access import catalogue
from l10n import fmt
from l10n.i18n import t

from . import data, shell
from .controls import View
from .text import plain

TOP = 5                     # items of a list on the first screen
TOP_UNITS = 3               # the box of units and procedures below target: its units,
TOP_PROCEDURES = 2          # and its procedures (a name and its unit take two lines)
SECTION = "section"         # the URL parameter of a link's section
SECTIONS = ("league", "overdue", "by_procedure", "deadlines")
_LINK_RUN = "_attention_link_run"
_LANDED = "_attention_landed"


def anchor(name: str) -> str:
    """The HTML id of a section a link may land on (a heading's `anchor`)."""
    return f"ioc-{name.replace('_', '-')}"


def _unit_name(units: dict, code: str, lang: str) -> str:
    names = units.get(code)
    return names[0 if lang == "vi" else 1] if names else str(code)


def _link(page: str, label: str, view: View, section: str | None = None, **params) -> None:
    """A link to the rows behind an item, when the signed-in role may open that page."""
    who = data.principal()
    if who is None or not who.may_open(page.removeprefix("screens/").removesuffix(".py")):
        st.markdown(f":small[{label}]")
        return
    if section:
        params[SECTION] = f"{section}.{st.session_state.get(_LINK_RUN, 0)}"
    # A long label is cut to the panel's width; the whole of it shows on hover.
    st.page_link(page, label=label, help=label, query_params=view.query(**params), icon=":material/arrow_forward:")


def land(page: str) -> None:
    """Scroll to the section the link that opened `page` names, once: call it last in the
    page's script, when the section is drawn. Runs that follow (a filter changed, the
    live refresh) leave the reader where they are."""
    asked = st.query_params.get(SECTION, "")
    name = asked.split(".", 1)[0]
    if name not in SECTIONS or st.session_state.get(_LANDED) == (page, asked):
        return
    st.session_state[_LANDED] = (page, asked)
    st.html(_SCROLL.replace("ANCHOR", json.dumps(anchor(name))), unsafe_allow_javascript=True)


# Scrolls the section's heading to the top of the view, then keeps it there while the
# charts above it are still being drawn (they change the height above), until the
# reader scrolls themselves or 4 s have passed.
_SCROLL = """<script>
(() => {
  const id = ANCHOR, start = performance.now();
  let moved = false;
  const stop = () => { moved = true; };
  ["wheel", "touchmove", "keydown", "mousedown"].forEach(e => window.addEventListener(e, stop, {once: true, passive: true}));
  const step = () => {
    if (moved || performance.now() - start > 4000) return;
    const target = document.getElementById(id);
    if (target) {
      const heading = target.closest('[data-testid="stHeading"]') || target;
      const box = heading.getBoundingClientRect();
      if (Math.abs(box.top - 64) > 4) heading.scrollIntoView({block: "start"});
    }
    setTimeout(step, 150);
  };
  step();
})();
</script>"""


# A unit's name is what the reader looks for: an item's link wraps onto a second line
# in the panel's narrow boxes instead of cutting the name short; the items of a list sit
# closer than Streamlit's blocks, so that the four boxes end on the first screen.
_CSS = """<style>
[class*="st-key-attention_"] { gap: 0.4rem; }
[class*="st-key-attention_"] [data-testid="stPageLink-NavLink"],
[class*="st-key-attention_"] [data-testid="stPageLink-NavLink"] * { white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; height: auto !important; }
[class*="st-key-attention_"] [data-testid="stPageLink-NavLink"] { align-items: flex-start; padding-top: 0.1rem;
  padding-bottom: 0.1rem; line-height: 1.3; }
[class*="st-key-attention_"] [data-testid="stPageLink-NavLink"] p { font-size: 0.9rem; }
[class*="st-key-attention_"] [data-testid="stCaptionContainer"] { margin-top: 0.3rem; }
</style>"""


@st.fragment(run_every=shell.refresh_every())
def panel(view: View) -> None:
    """Four boxes in a row, the first screen's second half: overdue dossiers and
    overdue tasks by unit, units and procedures below the on-time target, tasks due in
    the next 7 days by unit."""
    st.session_state[_LINK_RUN] = st.session_state.get(_LINK_RUN, 0) + 1
    lang = view.lang
    as_of = data.as_of_now()
    period = view.period
    units = data.unit_names().value or {}

    st.html(_CSS)
    st.subheader(":material/priority_high: " + t("overview.attention", lang), anchor=anchor("attention"))
    procedures = data.procedure_breakdown(period.start, period.end, view.unit, "unit", as_of=as_of)
    # The cards' grid: four boxes a row at 1440 px with the sidebar open, two on a tablet
    # (four columns there would wrap every unit's name onto three lines), one on a phone.
    with st.grid(4, min_column_width=215, gap="small"):
        with st.container(border=True, height="stretch", key="attention_dossiers"):
            overdue_dossiers(view, units, procedures)
        with st.container(border=True, height="stretch", key="attention_tasks"):
            overdue_tasks(view, units, as_of)
        with st.container(border=True, height="stretch", key="attention_below"):
            below_target(view, units, procedures, as_of)
        with st.container(border=True, height="stretch", key="attention_due"):
            due_soon_by_unit(view, units, as_of)


def _heading(key: str, lang: str, **values) -> None:
    st.markdown("**" + t(key, lang, **values) + "**")


def _ranked_counts(breakdown: dict | None, kpi_id: str, top: int) -> list[tuple[int, str]]:
    return sorted(((v[kpi_id], u) for u, v in (breakdown or {}).items() if v.get(kpi_id)),
                  key=lambda p: (-p[0], str(p[1])))[:top]


def overdue_dossiers(view: View, units: dict, outcome) -> None:
    lang = view.lang
    _heading("overview.overdue_dossiers_by_unit", lang)
    if shell.source_problem(outcome, lang):
        return
    ranked = _ranked_counts(outcome.value, "procedures.pending_overdue", TOP)
    if not ranked:
        st.caption(t("overview.none_overdue_dossiers", lang))
        return
    for count, unit in ranked:
        _link("screens/procedures.py", f"{fmt.number(count, lang)} · {plain(_unit_name(units, unit, lang))}", view,
              section="overdue", unit=unit)
    _link("screens/procedures.py", t("overview.see_overdue_dossiers", lang), view, section="overdue")


def overdue_tasks(view: View, units: dict, as_of) -> None:
    lang = view.lang
    _heading("overview.overdue_tasks_by_unit", lang)
    outcome = data.task_breakdown(view.period.start, view.period.end, view.unit, "unit", as_of=as_of)
    if shell.source_problem(outcome, lang):
        return
    ranked = _ranked_counts(outcome.value, "tasks.in_progress_overdue", TOP)
    if not ranked:
        st.caption(t("overview.none_overdue_tasks", lang))
        return
    for count, unit in ranked:
        _link("screens/tasks.py", f"{fmt.number(count, lang)} · {plain(_unit_name(units, unit, lang))}", view,
              section="overdue", unit=unit)
    _link("screens/tasks.py", t("overview.see_overdue_tasks", lang), view, section="overdue")


def below_target(view: View, units: dict, by_unit, as_of) -> None:
    """Units, then procedures, whose on-time rate is under its target, the lowest first;
    a procedure is named with the unit that handles it."""
    lang = view.lang
    target = catalogue.get()["procedures.on_time_rate"].target
    _heading("overview.below_target", lang, target=fmt.percent(target, lang, 0))
    if shell.source_problem(by_unit, lang):
        return

    def below(breakdown: dict | None) -> list:
        return sorted(((v["procedures.on_time_rate"], str(k)) for k, v in (breakdown or {}).items()
                       if v["procedures.on_time_rate"] is not None and v["procedures.on_time_rate"] < target))

    units_below = below(by_unit.value)
    st.caption(t("overview.below_units", lang))
    if not units_below:
        st.caption(t("overview.all_on_target", lang))
    for rate, unit in units_below[:TOP_UNITS]:
        _link("screens/procedures.py", f"{fmt.percent(rate, lang)} · {plain(_unit_name(units, unit, lang))}", view,
              section="by_procedure", unit=unit)
    outcome = data.procedure_breakdown(view.period.start, view.period.end, view.unit, "procedure", as_of=as_of)
    if shell.source_problem(outcome, lang):
        return
    names = data.procedure_catalogue().value or {}
    procedures_below = below(outcome.value)
    st.caption(t("overview.below_procedures", lang))
    if not procedures_below:
        st.caption(t("overview.all_on_target", lang))
    for rate, code in procedures_below[:TOP_PROCEDURES]:
        entry = names.get(code, {})
        name = entry.get("name_vi" if lang == "vi" else "name_en", code)
        unit = entry.get("unit_code")
        owner = f" · {_unit_name(units, unit, lang)}" if unit else ""
        _link("screens/procedures.py", f"{fmt.percent(rate, lang)} · {plain(name + owner)}", view,
              section="by_procedure", unit=unit)


def due_soon_by_unit(view: View, units: dict, as_of) -> None:
    """How many open tasks fall due in the next 7 days, per unit (live at T, whatever the
    period), each linking to that unit's deadlines."""
    lang = view.lang
    _heading("overview.due_7_days", lang)
    if view.cutoff < as_of:          # a past period's figures are at its cut-off; this is not
        st.caption(t("overview.due_live", lang, today=fmt.date(as_of.date(), lang)))
    outcome = data.tasks_due_by_unit(view.unit, 7, as_of=as_of)
    if shell.source_problem(outcome, lang):
        return
    ranked = sorted(((n, u) for u, n in (outcome.value or {}).items() if n), key=lambda p: (-p[0], str(p[1])))[:TOP]
    if not ranked:
        st.caption(t("overview.none_due", lang))
        return
    for count, unit in ranked:
        _link("screens/tasks.py", f"{fmt.number(count, lang)} · {plain(_unit_name(units, unit, lang))}", view,
              section="deadlines", unit=unit)
    _link("screens/tasks.py", t("overview.see_deadlines", lang), view, section="deadlines")
