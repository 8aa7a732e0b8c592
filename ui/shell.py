"""What every page shares: the current view, the "data as of" line, the live refresh
interval, and the message for a failed or stale source."""

from __future__ import annotations

import streamlit as st

from data_access import settings
from data_access.model import cutoff
from l10n import fmt
from l10n.i18n import t

from . import data
from .controls import View
from .data import Outcome
from .text import plain

VIEW_KEY = "_view"


def view() -> View:
    """The view chosen in the sidebar by `app.py` for this run."""
    return st.session_state[VIEW_KEY]


def refresh_every() -> str:
    return f"{settings.get('refresh_seconds')}s"


def as_of_line(as_of, lang: str, period_figures: bool = True) -> None:
    """When the figures were read; for a period that ended before then, that its
    snapshot figures (pending, overdue, the task categories) are at its cut-off."""
    line = t("data_as_of", lang, time=fmt.moment(as_of, lang))
    shown = st.session_state.get(VIEW_KEY)
    if period_figures and shown is not None and cutoff(shown.period, as_of) < as_of:
        line = t("data_cut_off", lang, day=fmt.date(shown.period.end, lang)) + " · " + line
    st.caption(":material/schedule: " + line + " · " + t("refresh_note", lang, seconds=settings.get("refresh_seconds")))


def source_problem(outcome: Outcome, lang: str) -> bool:
    """Say what failed; return True when there is nothing to draw."""
    if outcome.ok:
        return False
    source = t("source_" + outcome.failed_source, lang)
    if outcome.stale:
        st.warning(t("stale", lang, time=fmt.moment(outcome.read_at, lang), source=source), icon=":material/history:")
        return False
    st.error(fault_text(outcome, source, lang), icon=":material/cloud_off:")
    return True


def fault_text(outcome: Outcome, source: str, lang: str) -> str:
    """What went wrong, in the words of its kind: "cannot be reached" only when it cannot."""
    if outcome.fault in ("config", "schema", "timeout", "query"):
        return t(f"source_failed_{outcome.fault}", lang, source=source, detail=plain(outcome.detail or ""))
    return t("source_failed", lang, source=source)


def ministry_comparison(kind: str, period, as_of) -> dict | None:
    """Ministry-wide KPI totals for a unit head's cards (their own figures are their unit's);
    None for everyone else, who can choose the whole ministry themselves."""
    who = data.principal()
    if who is None or who.role != "unit_head":
        return None
    fetch = data.ministry_procedure_kpis if kind == "procedures" else data.ministry_task_kpis
    outcome = fetch(period.start, period.end, as_of=as_of)
    return outcome.value if outcome.ok else None


# --- layout ------------------------------------------------------------------------------
# The first screen must hold the headline tiles and what needs attention at 1440×900 with
# the sidebar open. Streamlit's wide layout keeps 6rem above the page and 5rem either side
# of it: 980 px of width, too little for four cards of 240 px (every row of four wrapped
# three-and-one), and a band of white under its 3.75rem toolbar. Phones keep Streamlit's
# own 1rem sides. A heading a drill-down link lands on stops below the toolbar
# (`ui.attention.land`), not under it. The kiosk sets its own padding over this.
LAYOUT_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.75rem; }
@media (min-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-left: 2rem; padding-right: 2rem; }
}
[data-testid="stMainBlockContainer"] [data-testid="stHeading"] h1 { padding-top: 0.5rem; }
[data-testid="stHeading"] { scroll-margin-top: 4.25rem; }
</style>"""


def layout_styles() -> None:
    st.html(LAYOUT_CSS)
