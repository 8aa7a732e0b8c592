"""What every page shares: the current view, the "data as of" line, the live refresh
interval, and the message for a failed or stale source."""

from __future__ import annotations

import html
import json

import streamlit as st

from data_access import settings
from data_access.model import cutoff
from l10n import fmt
from l10n.i18n import LANGUAGES, t

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


# --- Streamlit's own English, and printing ----------------------------------------------
# Streamlit 1.67 writes these texts itself, in English, with no option to change them:
# the labels a screen reader reads (a selectbox's "Open", the sidebar's "Sidebar", a help
# icon's "Help for …", a chart's "Vega visualization") and the tooltips of a table's
# tools. `chrome` rewrites each, where it appears, into the catalogue's words; the keys
# are `builtin.*`. What can be set from Python is set there instead (a selectbox's
# `placeholder`). A table's "Show/hide columns" and its column menu (sort, format, pin,
# aggregate: some thirty English words) are hidden instead, like its CSV download
# (app.py): a click on a column's header still sorts it.
BUILTIN_TEXTS = {
    "Choose an option": "choose_option", "Choose options": "choose_options", "Open": "open", "Close": "close",
    "Clear value": "clear_value", "Clear all": "clear_all", "Selected values": "selected_values",
    "No results": "no_results", "Sidebar": "sidebar", "App pages": "app_pages", "Expand sidebar": "expand_sidebar",
    "Collapse sidebar": "collapse_sidebar", "Help": "help", "Link to heading": "link_to_heading",
    "Search": "search", "Close Search": "close_search", "Next Result": "next_result",
    "Previous Result": "previous_result", "Fullscreen": "fullscreen", "Close fullscreen": "close_fullscreen",
    "Vega visualization": "chart", "Running...": "running", "Stop": "stop", "Notifications": "notifications",
    "Show password": "show_password", "Hide password": "hide_password",
}
BUILTIN_PREFIXES = {"Help for ": "help_for"}          # "Help for Hồ sơ tiếp nhận"


def builtin_words(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """What to rewrite for `lang`: whole texts and prefixes, from Streamlit's English and
    from the other languages' words (a reader who switches language mid-session)."""
    texts, prefixes = {}, {}
    for source, key in BUILTIN_TEXTS.items():
        for said in {source, *(t(f"builtin.{key}", other) for other in LANGUAGES)}:
            texts[said] = t(f"builtin.{key}", lang)
    for source, key in BUILTIN_PREFIXES.items():
        for said in {source, *(t(f"builtin.{key}", other, label="") for other in LANGUAGES)}:
            prefixes[said] = t(f"builtin.{key}", lang, label="")
    return ({k: v for k, v in texts.items() if k != v}, {k: v for k, v in prefixes.items() if k != v})


# A page on paper: A4 landscape, the page's content at full width, without the sidebar,
# Streamlit's header and toolbars, or any button; a card, a chart, a table or a row of
# cards is never cut by a page break, and a heading stays with what follows it.
# Streamlit scrolls inside its main area (100 % of the window high): printed as it is,
# only the part on screen would reach the paper, so every box around the page grows.
PRINT_CSS = """
[data-testid="stElementToolbar"] button[aria-label="Show/hide columns"],
[data-testid="stDataFrameColumnMenu"], [data-testid="stDataFrameColumnVisibilityMenu"] { display: none !important; }
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] .ioc-chrome) { position: absolute; }
.ioc-print { position: fixed; top: 0.7rem; right: 1rem; z-index: 999991; display: inline-flex; align-items: center;
  gap: 0.4rem; padding: 0.3rem 0.75rem; font: inherit; font-size: 0.875rem; line-height: 1.4; cursor: pointer;
  color: inherit; background: transparent; border: 1px solid color-mix(in srgb, currentColor 25%, transparent);
  border-radius: 0.5rem; }
.ioc-print:hover, .ioc-print:focus-visible { border-color: currentColor; }
.ioc-print svg { width: 1.1rem; height: 1.1rem; fill: currentColor; display: block; }
@media (max-width: 640px) { .ioc-print .ioc-print-label { display: none; } }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stElementToolbar"], [data-testid="stBottom"], .ioc-print, button,
  [data-testid="stButton"], [data-testid="stDownloadButton"], [data-testid="stFormSubmitButton"],
  [data-testid="stPopover"], [data-testid="stLinkButton"], [data-testid="stTooltipIcon"],
  [data-testid="stHeaderActionElements"] { display: none !important; }
  html, body, #root, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"],
  [data-testid="stMainBlockContainer"] { height: auto !important; min-height: 0 !important; overflow: visible !important;
    position: static !important; }
  [data-testid="stMain"] { margin: 0 !important; width: 100% !important; }
  [data-testid="stMainBlockContainer"] { max-width: none !important; width: 100% !important; padding: 0 !important; }
  [data-testid="stMetric"], [data-testid="stVegaLiteChart"], [data-testid="stDataFrame"], [data-testid="stTable"],
  [data-testid="stImage"], [data-testid="stAlert"], [data-testid="stExpander"], [data-testid="stHorizontalBlock"],
  [data-testid="stVerticalBlockBorderWrapper"], [data-testid="stLayoutWrapper"]:has(> [data-testid="stVerticalBlock"] [data-testid="stMetric"]),
  .ioc-slide { break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3, h4, [data-testid="stHeading"] { break-after: avoid; page-break-after: avoid; }
  canvas, svg, img { max-width: 100% !important; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

# The script of `chrome`: it rewrites Streamlit's words as they appear (a tooltip is
# drawn when the pointer reaches it, a selectbox's list when it opens), marks Streamlit's
# icons decorative (a screen reader would read "check_circle icon"; the text beside each
# says what it means), and makes the print button print. Installed once per tab; a later
# run with another language hands it the new words.
_CHROME_JS = """
(() => {
  const words = WORDS;
  const state = window.__iocChrome || (window.__iocChrome = {});
  state.texts = words.texts; state.prefixes = words.prefixes;
  const say = (value) => {
    if (!value) return null;
    const trimmed = value.trim();
    if (Object.prototype.hasOwnProperty.call(state.texts, trimmed)) return state.texts[trimmed];
    for (const [from, to] of Object.entries(state.prefixes)) if (trimmed.startsWith(from)) return to + trimmed.slice(from.length);
    return null;
  };
  const ATTRIBUTES = ['aria-label', 'title', 'placeholder', 'alt'];
  const fixElement = (el) => {
    for (const name of ATTRIBUTES) {
      const said = say(el.getAttribute(name));
      if (said !== null) el.setAttribute(name, said);
    }
    if (el.getAttribute('role') === 'img' && el.getAttribute('translate') === 'no'
        && / icon$/.test(el.getAttribute('aria-label') || '')) el.setAttribute('aria-hidden', 'true');
  };
  // Whole texts only, and only where Streamlit writes its own: tooltips, the run status,
  // a list's "No results", a table's search; never a page's own text.
  const OWN = '[data-testid="stTooltipContent"], [data-testid="stStatusWidget"], [data-baseweb="popover"], [role="listbox"], [role="tooltip"]';
  const fixText = (node) => {
    const said = say(node.nodeValue);
    if (said !== null && node.parentElement && node.parentElement.closest(OWN)) node.nodeValue = said;
  };
  const fix = (root) => {
    if (root.nodeType === 3) return fixText(root);
    if (root.nodeType !== 1) return;
    fixElement(root);
    for (const el of root.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) fixElement(el);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) fixText(n);
  };
  if (!state.observer) {
    state.observer = new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'attributes') fixElement(r.target);
        else if (r.type === 'characterData') fixText(r.target);
        else r.addedNodes.forEach(fix);
      }
    });
    state.observer.observe(document.body, {subtree: true, childList: true, characterData: true,
                                           attributes: true, attributeFilter: ATTRIBUTES});
  }
  fix(document.body);
  for (const button of document.querySelectorAll('.ioc-print:not([data-wired])')) {
    button.setAttribute('data-wired', '1');
    button.querySelector('.ioc-print-icon').innerHTML = PRINTER;
    button.addEventListener('click', () => window.print());
  }
})();
"""

# Material's "print" glyph as an inline SVG (set by the script: Streamlit's sanitiser keeps
# no SVG in st.html): no icon font to fetch.
_PRINTER = ('<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M19 8H5c-1.66 0-3 1.34-3 3v6h4v4h12v-4h4v-6c0-1.66'
            '-1.34-3-3-3zm-3 11H8v-5h8v5zm3-7c-.55 0-1-.45-1-1s.45-1 1-1 1 .45 1 1-.45 1-1 1zm-1-9H6v4h12V3z"/></svg>')


def chrome(lang: str, printable: bool = True) -> None:
    """Streamlit's own words in `lang`, the print styles, and (`printable`) the "print
    this page" button in the top right corner, where Streamlit's menu was. Drawn by
    app.py on every page of a signed-in reader; the kiosk has no button."""
    texts, prefixes = builtin_words(lang)
    button = ""
    if printable:
        label, help_text = html.escape(t("print.button", lang)), html.escape(t("print.help", lang))
        button = (f'<button type="button" class="ioc-print" title="{help_text}" aria-label="{label}"><span class="ioc-print-icon"></span>'
                  f'<span class="ioc-print-label">{label}</span></button>')
    # Streamlit's sanitiser drops a script whose text holds "<" before a letter or "/".
    words = json.dumps({"texts": texts, "prefixes": prefixes}).replace("<", "\\u003c")
    script = _CHROME_JS.replace("WORDS", words).replace("PRINTER", json.dumps(_PRINTER).replace("<", "\\u003c"))
    st.html(f'<div class="ioc-chrome"><style>{PRINT_CSS}</style>{button}<script>{script}</script></div>',
            unsafe_allow_javascript=True)
