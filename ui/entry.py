"""Every page runs through `app.py` (sign-in, language, navigation), never on its own."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def through_app() -> None:
    """Call first in every page file.

    A process that has not yet run `st.navigation` treats `pages/` as an old-style page
    folder, so the very first request of a fresh server for a page URL would run that
    page without `app.py`. Streamlit clears the flag on the first `st.navigation`; doing
    it here and rerunning sends this request through `app.py` as well.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
