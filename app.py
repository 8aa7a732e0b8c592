"""Entry point: page config, demo data on first start, language, navigation."""

import streamlit as st

from ui import data
from ui.i18n import LANGUAGE_NAMES, LANGUAGES, t

st.set_page_config(page_title="IOC", page_icon=":material/monitoring:", layout="wide")

requested = st.query_params.get("lang", "vi")
if "lang" not in st.session_state:
    st.session_state["lang"] = requested if requested in LANGUAGES else "vi"

with st.sidebar:
    st.selectbox(t("language", st.session_state["lang"]), LANGUAGES, key="lang",
                 format_func=LANGUAGE_NAMES.__getitem__)
lang = st.session_state["lang"]
st.query_params["lang"] = lang

with st.spinner(t("generating_demo", lang)):
    data.ensure_demo_data()

pages = [st.Page("pages/overview.py", title=t("nav_overview", lang), icon=":material/dashboard:", url_path="overview", default=True)]
st.navigation(pages).run()
