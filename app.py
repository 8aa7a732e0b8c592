"""Entry point: page config, demo data on first start, the shared controls, navigation."""

import streamlit as st

from ui.entry import through_app

# On a fresh process Streamlit would run this file as an old-style page; run it as the
# entry point from the first request so widget identities never change between runs.
through_app()

from ui import data  # noqa: E402
from ui.controls import sidebar  # noqa: E402
from ui.i18n import DEFAULT_LANGUAGE, t  # noqa: E402
from ui.shell import VIEW_KEY  # noqa: E402

st.set_page_config(page_title="IOC", page_icon=":material/monitoring:", layout="wide")

lang = st.session_state.get("view_lang", st.query_params.get("lang", DEFAULT_LANGUAGE))
with st.spinner(t("generating_demo", lang if lang in ("vi", "en") else DEFAULT_LANGUAGE)):
    data.ensure_demo_data()

units = data.unit_names()
view = sidebar(units.value or {}, data.as_of_now())
st.session_state[VIEW_KEY] = view
lang = view.lang

with st.sidebar:
    st.caption(t("ministry", lang))

pages = [
    # The default page is served at "/" (Streamlit ignores a default page's url_path).
    st.Page("pages/overview.py", title=t("nav_overview", lang), icon=":material/dashboard:", default=True),
    st.Page("pages/procedures.py", title=t("nav_procedures", lang), icon=":material/description:", url_path="procedures"),
    st.Page("pages/tasks.py", title=t("nav_tasks", lang), icon=":material/assignment:", url_path="tasks"),
    st.Page("pages/emulation.py", title=t("nav_emulation", lang), icon=":material/military_tech:", url_path="emulation"),
]
st.navigation(pages).run()
