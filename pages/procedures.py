"""Procedures page (built in the dashboard issue)."""

import streamlit as st

from ui.entry import through_app

through_app()

from ui import shell  # noqa: E402
from ui.i18n import t  # noqa: E402

view = shell.view()
st.title(t("nav_procedures", view.lang))
