"""The server: the app (`app.py`) and what runs beside it, started by
`streamlit run serve.py`: the routes that set and clear the sign-in cookie
(`auth.cookie_route`), the KPI feed for machines under `/api/v1/` (`api.routes`,
docs/api.md), and at start a background thread that computes the leaders'
home screen before the first visit (`ui.warmup`); it stops with the server."""

import logging
from contextlib import asynccontextmanager

import streamlit as st


@asynccontextmanager
async def lifespan(_app):
    # Imported here: `streamlit run` reads this file for its `app` before the server
    # exists, and nothing may touch settings or sources until it starts.
    from data_access import settings
    from ui import warmup

    # The warm-up says when the home screen is ready, in the server's own log.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("ui.warmup")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    warmer = None
    try:
        settings.check()
    except settings.SettingError:
        pass                 # the app's first page names the bad setting
    else:
        warmer = warmup.start()
    yield
    if warmer is not None:
        warmer.stop()


def _routes():
    from api import routes as api_routes
    from auth import cookie_route

    # Only a server that answers these routes hands out sign-in tickets (app.py run on its
    # own keeps a session for the tab's lifetime).
    cookie_route.served = True
    # The KPI feed for machines (docs/api.md), with its own bearer tokens.
    return [*cookie_route.routes(), *api_routes.routes()]


app = st.App("app.py", lifespan=lifespan, routes=_routes())
