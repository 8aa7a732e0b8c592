"""Entry point: page config, demo data on first start, sign-in, the shared controls, and
the pages the signed-in role may open (a page left out cannot be reached by URL)."""

import streamlit as st

from data_access import settings

try:  # an unknown or malformed setting: say which and stop, never a traceback
    settings.check()
except settings.SettingError as exc:
    st.error(str(exc), icon=":material/settings_alert:")
    st.stop()

from l10n.i18n import DEFAULT_LANGUAGE, LANGUAGES, t  # noqa: E402
from ui import data, signin  # noqa: E402
from ui.controls import sidebar  # noqa: E402
from ui.shell import VIEW_KEY, chrome, layout_styles  # noqa: E402
from ui.text import plain  # noqa: E402
from ui.charts import TOOLBAR_CSS  # noqa: E402

# A presentation screen opened by its kiosk link starts with the sidebar folded away.
kiosk = st.query_params.get("kiosk", "0").strip().lower() in ("1", "true", "yes")
# The tab's icon is the app's own file: a Material icon name would make every browser
# fetch it from a font service on the Internet.
st.set_page_config(page_title="IOC", page_icon=str(settings.PROJECT_ROOT / "design" / "favicon.png"), layout="wide",
                   initial_sidebar_state="collapsed" if kiosk else "auto")

# Tables are downloaded through the app's own buttons, which write the audit log; the
# grid's built-in CSV download would bypass it.
st.html('<style>[data-testid="stElementToolbar"] button[aria-label="Download as CSV"]'
        '{display: none !important;}</style>')
st.html(TOOLBAR_CSS)       # charts without their English action toolbar (ui/charts.py)
layout_styles()          # room for the first screen (ui/shell.py)

lang = st.session_state.get("view_lang", st.query_params.get("lang", DEFAULT_LANGUAGE))
lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE

PAGES = {
    # The default page is served at "/" (Streamlit ignores a default page's url_path).
    # The folder is not named `pages/`, so st.navigation alone decides routing.
    "overview": dict(page="screens/overview.py", icon=":material/dashboard:", default=True),
    "procedures": dict(page="screens/procedures.py", icon=":material/description:", url_path="procedures"),
    "tasks": dict(page="screens/tasks.py", icon=":material/assignment:", url_path="tasks"),
    "emulation": dict(page="screens/emulation.py", icon=":material/military_tech:", url_path="emulation"),
    "presentation": dict(page="screens/presentation.py", icon=":material/slideshow:", url_path="presentation"),
    "reports": dict(page="screens/reports.py", icon=":material/summarize:", url_path="reports"),
    "data_status": dict(page="screens/data_status.py", icon=":material/database:", url_path="data_status"),
    # Every signed-in user's own e-mail notifications (alerts/, docs/alerts.md).
    "notifications": dict(page="screens/notifications.py", icon=":material/notifications:",
                          url_path="notifications"),
}


def pages(names, lang: str) -> list[st.Page]:
    return [st.Page(**PAGES[name], title=t(f"nav_{name}", lang)) for name in names]


# Before sign-in, resolve the page the link asks for first thing in the run: a later
# rerun (a component reporting back) would no longer know it.
every_page = pages(PAGES, lang)
if not st.session_state.get("authentication_status"):
    signin.remember_asked_page(st.navigation(every_page, position="hidden"))
    every_page = None
    chrome(lang, printable=False)       # the sign-in form's Streamlit words in the reader's language

with st.spinner(t("generating_demo", lang)):
    data.ensure_demo_data()

principal = signin.gate(lang, every_page)

units = data.unit_names()
view = sidebar(units.value or {}, data.as_of_now(), principal, choices=data.unit_choices)
st.session_state[VIEW_KEY] = view
lang = view.lang
if view.ignored_unit and view.ignored_unit not in st.session_state.setdefault("_ignored_noted", set()):
    st.session_state["_ignored_noted"].add(view.ignored_unit)       # once per session, not per rerun
    signin.audit("scope_ignored", principal.username, f"asked for unit {view.ignored_unit}")
signin.identity_box(principal, lang)
chrome(lang, printable=not kiosk)       # Streamlit's own words in the reader's language; printing

with st.sidebar:
    st.caption(plain(data.ministry(lang)))

# A page left out of the role's navigation cannot be reached by URL either.
allowed = pages([name for name in PAGES if principal.may_open(name)], lang)


def _not_permitted() -> None:
    # A link to a page the role may not open lands on its home page, never on
    # Streamlit's "page not found" (the page is hidden and runs nothing of its own).
    st.switch_page(allowed[0])


refused = [st.Page(_not_permitted, title=t(f"nav_{name}", lang), url_path=PAGES[name].get("url_path", name),
                   visibility="hidden") for name in PAGES if not principal.may_open(name) and not PAGES[name].get("default")]
current = st.navigation(allowed + refused)
asked = st.session_state.pop(signin.ASKED_PAGE, None)     # the page a link asked for before sign-in
target = next((page for page in allowed if page.url_path == asked), None)
if target is not None and target.url_path != current.url_path:
    st.switch_page(target)
current.run()
