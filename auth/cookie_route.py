"""The two HTTP routes that set and clear the sign-in cookie, served beside the app by
`serve.py`.

Streamlit can only write a cookie from a component in the browser, on a later run, and
readable by every script on the page. Here the server sets it, HttpOnly: the signed-in
page loads `/api/session/cookie?t=<one-time ticket>` as an invisible image, and the
response carries the cookie. The page waits until the ticket is redeemed before it
draws the dashboard, so a reload or a link opened at once keeps the session.
`/api/session/clear` deletes a cookie whose session has ended (never a live one, so a
third-party page cannot sign anyone out).
"""

from __future__ import annotations

import base64
import datetime as dt

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import auth

from . import config
from .audit import shared
from .sessions import Refused, SessionStore, cookie_value, token_of

SET_PATH = "/api/session/cookie"
CLEAR_PATH = "/api/session/clear"
# A transparent 1×1 GIF: what an <img> expects, so nothing shows and no error is logged.
_PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")

# Set by serve.py: only a server that has these routes may hand out tickets.
served = False


def _store() -> SessionStore:
    return SessionStore(shared(str(config("app_db_url"))))


def _pixel() -> Response:
    return Response(_PIXEL, media_type="image/gif", headers={"Cache-Control": "no-store",
                                                              "X-Content-Type-Options": "nosniff"})


def _secure(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def _redeem(ticket: str) -> tuple[str, int] | None:
    moment = auth.clock()
    key = str(config("cookie_key"))
    redeemed = _store().redeem(ticket, moment, key)
    if redeemed is None:
        return None
    token, expires = redeemed
    return cookie_value(token, key), max(0, int((expires - moment).total_seconds()))


def _ended(value: str | None) -> bool:
    token = token_of(value, str(config("cookie_key")))
    if token is None:
        return True
    try:
        _store().check_token(token, auth.clock(), _idle())
    except Refused:
        return True
    return False


def _idle() -> dt.timedelta:
    return dt.timedelta(minutes=float(config("session_minutes")))


async def set_cookie(request: Request) -> Response:
    response = _pixel()
    ticket = request.query_params.get("t", "")
    redeemed = await run_in_threadpool(_redeem, ticket)
    if redeemed is not None:
        value, max_age = redeemed
        response.set_cookie(str(config("cookie_name")), value, max_age=max_age, path="/", httponly=True,
                            samesite="lax", secure=_secure(request))
    return response


async def clear_cookie(request: Request) -> Response:
    response = _pixel()
    name = str(config("cookie_name"))
    value = request.cookies.get(name)
    if value is not None and await run_in_threadpool(_ended, value):
        response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=_secure(request))
    return response


def routes() -> list[Route]:
    return [Route(SET_PATH, set_cookie, methods=["GET"]), Route(CLEAR_PATH, clear_cookie, methods=["GET"])]
