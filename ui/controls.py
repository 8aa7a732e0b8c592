"""The shared sidebar controls — period, unit, structure, language — kept in the URL so a link
opens exactly the same view. A value in the URL that is not valid falls back to the
default with a short notice, never an error."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from data_access import access
from data_access.model import Period, Scope, cutoff, supported
from data_access.organisation import DEFAULT_STRUCTURE, STRUCTURES
from data_access.periods import DEFAULT_PRESET, PRESETS, preset
from l10n.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, t


@dataclass(frozen=True)
class View:
    """What every page draws for: language, period, unit scope and the as-of moment."""

    lang: str
    preset: str
    period: Period
    unit: str | None
    as_of: dt.datetime
    ignored_unit: str | None = None      # a unit asked for by a link and refused this run
    structure: str = DEFAULT_STRUCTURE

    @property
    def scope(self) -> Scope:
        return Scope(self.unit, self.structure)

    @property
    def cutoff(self) -> dt.datetime:
        """The period's cut-off C = min(T, the last instant of the period's last day): the
        moment of its snapshot figures (pending dossiers, task categories, emulation)."""
        return cutoff(self.period, self.as_of)

    def trend_end(self, as_of: dt.datetime) -> dt.datetime:
        """Where the view's monthly trends end: T, or the last second of the period when
        the period ended before T (last year's trend is last year's twelve months)."""
        return min(as_of, dt.datetime.combine(self.period.end, dt.time(23, 59, 59)))

    def query(self, **overrides) -> dict[str, str]:
        """The URL parameters of this view (for links to other pages and filters)."""
        params = {"lang": self.lang, "period": self.preset}
        if self.preset == "custom":
            params["from"], params["to"] = self.period.start.isoformat(), self.period.end.isoformat()
        if self.unit:
            params["unit"] = self.unit
        params["structure"] = self.structure
        params.update({k: v for k, v in overrides.items() if v is not None})
        return params


VIEW_PARAMS = ("lang", "period", "from", "to", "unit", "structure")

# The control each URL parameter sets, by the key of its label: a notice about a bad
# value names what the reader sees on the page ("Kỳ báo cáo"), never the parameter.
PARAM_CONTROLS = {"lang": "language", "period": "period", "from/to": "period_dates", "unit": "unit",
                  "structure": "structure", "slides": "presentation.slides", "interval": "presentation.interval"}


def bad_value_notice(name: str, lang: str) -> str:
    """The notice for a link's bad value of the parameter `name`, naming its control."""
    return t("notice_bad_param", lang, control=t(PARAM_CONTROLS[name], lang))


def _parse_day(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD day within the supported dates, else None (a bad value)."""
    try:
        day = dt.datetime.strptime((text or "")[:10], "%Y-%m-%d").date()
    except ValueError:
        return None
    return day if supported(day) and len(text or "") == 10 else None


def _initialise_from_url(unit_codes: list[str], today: dt.date) -> list[str]:
    """Copy the URL into session state once per session; return the names of bad values."""
    bad: list[str] = []
    params = st.query_params
    lang = params.get("lang", DEFAULT_LANGUAGE)
    if lang not in LANGUAGES:
        bad.append("lang")
        lang = DEFAULT_LANGUAGE
    code = params.get("period", DEFAULT_PRESET)
    if code not in PRESETS:
        bad.append("period")
        code = DEFAULT_PRESET
    start, end = preset(DEFAULT_PRESET, today).start, preset(DEFAULT_PRESET, today).end
    if code == "custom":
        start_in, end_in = _parse_day(params.get("from")), _parse_day(params.get("to"))
        if start_in is None or end_in is None or start_in > end_in:
            bad.append("from/to")
            code = DEFAULT_PRESET
        else:
            start, end = start_in, end_in
    structure = params.get("structure", DEFAULT_STRUCTURE)
    if structure not in STRUCTURES:
        bad.append("structure")
        structure = DEFAULT_STRUCTURE
    unit = params.get("unit", "")
    if len(unit_codes) == 1:
        # A unit head: their unit, whatever the link said (noted by the caller).
        unit = unit_codes[0]
    elif unit and unit not in unit_codes:
        bad.append("unit")
        unit = ""
    _set({"lang": lang, "period": code, "from": start, "to": end, "unit": unit, "structure": structure})
    st.session_state.update({"_view_notices": bad, "_view_ready": True})
    return bad


# The chosen values live under `view_*`, the widgets under `w_*`. Both are set together
# whenever something other than the widget changes the view (a link, a drill-down), and
# before the widgets are drawn, so the sidebar always shows what the page draws.
def _set(values: dict) -> None:
    """Set chosen values and the widgets showing them. Runs before the widgets are drawn,
    so it overrides whatever the browser last sent for them."""
    for name, value in values.items():
        st.session_state[f"view_{name}"] = value
        st.session_state[f"w_{name}"] = value


def _chosen(name: str) -> None:
    """The user changed a control: that is the view now."""
    st.session_state[f"view_{name}"] = st.session_state[f"w_{name}"]


def sidebar(unit_names: dict[str, tuple[str, str]], as_of: dt.datetime,
            principal: access.Principal | None = None, choices=None) -> View:
    """Draw the controls in the sidebar and return the view they select.

    `unit_names` maps unit codes to (Vietnamese, English) names; `choices(names,
    structure)`, when given, narrows and labels them for the chosen structure. A unit
    head's choice is their own unit only; a link asking for another unit is noted and
    ignored (the data layer would refuse it anyway)."""
    asked_unit = st.query_params.get("unit")
    if principal is not None and principal.role == "unit_head":
        unit_names = {code: names for code, names in unit_names.items() if code == principal.unit} or \
            {principal.unit: (principal.unit, principal.unit)}
    codes = list(unit_names)
    url = st.query_params.to_dict()
    # Read the URL on a session's first run, and again when a link changed it (not when
    # it only reflects what this code wrote last run).
    moved = url != st.session_state.get("_view_url_seen") and url != st.session_state.get("_view_synced")
    if not st.session_state.get("_view_ready") or moved:
        _initialise_from_url(codes, as_of.date())
    st.session_state["_view_url_seen"] = url
    state = st.session_state
    if "_view_pending_unit" in state:
        _set({"unit": state.pop("_view_pending_unit")})
    if state["view_unit"] and state["view_unit"] not in codes:
        _set({"unit": ""})
    own_unit_only = principal is not None and principal.role == "unit_head"
    if own_unit_only:
        _set({"unit": principal.unit})
        if asked_unit and asked_unit != principal.unit and state.get("_view_ignored_noted") != asked_unit:
            state["_view_ignored"] = asked_unit
            state["_view_ignored_noted"] = asked_unit

    # The view is kept in view_* and changed only by the user (on_change), a link or a
    # drill-down; each widget is set from it before it is drawn, so a run that starts
    # without a widget's state (a session's first runs can be cut short by a component
    # reporting back) shows the view, never the widget's first option.
    for name in ("lang", "period", "unit", "from", "to", "structure"):
        if f"view_{name}" in state:
            state[f"w_{name}"] = state[f"view_{name}"]
    lang = state["view_lang"]
    # Streamlit writes "Choose an option" in a selectbox's empty input, also behind a value.
    choose = t("builtin.choose_option", lang)
    with st.sidebar:
        lang = state["view_lang"] = st.selectbox(
            t("language", lang), LANGUAGES, key="w_lang", format_func=LANGUAGE_NAMES.__getitem__,
            placeholder=choose, on_change=_chosen, args=("lang",))
        code = state["view_period"] = st.selectbox(
            t("period", lang), PRESETS, key="w_period", format_func=lambda c: t(f"period_names.{c}", lang),
            placeholder=choose, on_change=_chosen, args=("period",))
        if code == "custom":
            left, right = st.columns(2)
            start = state["view_from"] = left.date_input(t("period_from", lang), key="w_from", format="DD/MM/YYYY",
                                                         on_change=_chosen, args=("from",))
            end = state["view_to"] = right.date_input(t("period_to", lang), key="w_to", format="DD/MM/YYYY",
                                                      on_change=_chosen, args=("to",))
            period = Period(min(start, end), max(start, end))
        else:
            period = preset(code, as_of.date())
        structure = state["view_structure"] = st.radio(
            t("structure", lang), STRUCTURES, key="w_structure", format_func=lambda c: t(f"structure_{c}", lang),
            help=t("structure_help", lang), on_change=_chosen, args=("structure",))
        name_index = 0 if lang == "vi" else 1
        shown = unit_names if choices is None or own_unit_only else choices(unit_names, structure)
        if state["view_unit"] and state["view_unit"] not in shown:
            shown = {**shown, state["view_unit"]: unit_names[state["view_unit"]]}     # a link's unit stays
        options = codes if own_unit_only else ["", *shown]
        state["view_unit"] = st.selectbox(
            t("unit", lang), options, key="w_unit",
            format_func=lambda c: (shown.get(c) or unit_names[c])[name_index] if c else t("whole_ministry", lang),
            placeholder=choose, on_change=_chosen, args=("unit",))
        for name in state.pop("_view_notices", []):
            st.warning(bad_value_notice(name, lang), icon=":material/link_off:")
        ignored = state.pop("_view_ignored", None)
        # Kept for the session: the runs that follow (a cookie being set, a refresh) must
        # not make the notice vanish before it is read.
        if own_unit_only and state.get("_view_ignored_noted"):
            st.warning(t("notice_unit_ignored", lang), icon=":material/lock:")

    view = View(lang=lang, preset=code, period=period, unit=state["view_unit"] or None, as_of=as_of,
                ignored_unit=ignored, structure=structure)
    # Parameters of one page (the presentation's kiosk, slides, interval) stay in its URL.
    synced = {**{k: v for k, v in url.items() if k not in VIEW_PARAMS}, **view.query()}
    st.query_params.from_dict(synced)
    st.session_state["_view_synced"] = synced
    return view


def drill_to_unit(code: str | None) -> None:
    """Narrow the view to one unit (a click on a unit's bar or row read in the script
    body) and redraw the whole page, sidebar included."""
    st.session_state["_view_pending_unit"] = code or ""
    st.rerun(scope="app")
