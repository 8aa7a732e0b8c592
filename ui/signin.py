"""Sign-in in front of every page. The app's own form checks throttling and the lockout
before the password; a sign-in opens a session on the server (`auth.sessions`) whose
cookie the server sets, HttpOnly (`auth.cookie_route`); every page run checks that the
session is still open, so sign-out, an administrator or a change to the account ends it
at once, wherever the cookie was copied to. Every sign-in, failure, lockout and sign-out
goes to the audit log. Returns the server-side identity the data layer scopes every
query with. The users file keeps streamlit-authenticator's credentials format (bcrypt
hashes, `auth.users`); its cookie, a signed token the server cannot revoke, is not used."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import math
import time

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

import auth
from auth import cookie_route
from auth.audit import AuditLog, shared
from auth.demo import demo_usernames_present, ensure_demo_users
from auth.lockout import LOCAL, LockoutPolicy, locked_until, register_failure, register_success, wait_until
from auth.sessions import Refused, SessionStore, session_id, token_of
from auth.users import User, UserStore
from data_access import settings
from data_access.access import Principal
from l10n import fmt
from l10n.i18n import t

from .data import PRINCIPAL_KEY, ministry
from .text import plain

SESSION_KEY = "_session"
_CLEAR_COOKIE = "_clear_cookie"
_COOKIE_REFUSED = "_cookie_refused"
# How long the signed-in page waits for the browser to take its cookie: a blocked
# image (an unusual proxy) costs this once, and the session still works in the tab.
HANDOVER_SECONDS = 3.0
log = logging.getLogger(__name__)


def demo_mode() -> bool:
    return all(settings.is_embedded_demo(s) for s in settings.SOURCE_NAMES)


def audit_log() -> AuditLog:
    return shared(str(auth.config("app_db_url")))


def sessions() -> SessionStore:
    return SessionStore(audit_log())


def audit(event: str, username: str | None, detail: str | None = None, at: dt.datetime | None = None) -> bool:
    """Record an event; a down app database is logged on the server, never shown as a
    traceback (sign-in itself refuses to go on without it, see `_form`)."""
    try:
        audit_log().record(event, username, detail, at=at)
        return True
    except (SQLAlchemyError, OSError) as exc:
        log.warning("audit event %s of %s not recorded: %s", event, username, exc)
        return False


def store() -> UserStore:
    users = UserStore(auth.config("users_file"))
    if demo_mode() and not st.session_state.get("_demo_users_checked"):
        ensure_demo_users(users)
        st.session_state["_demo_users_checked"] = True
    return users


def production_problems(users: UserStore) -> list[str]:
    """What must be set before real databases may be served (empty when fine)."""
    if demo_mode():
        return []
    problems = []
    if demo_usernames_present(users):
        problems.append("demo_users")
    if auth.uses_default_cookie_key():
        problems.append("cookie_key")
    return problems


def client_address() -> str:
    """The browser's address as the server sees it (behind a proxy, the proxy's unless
    the proxy is trusted to forward it)."""
    address = st.context.ip_address
    if not isinstance(address, str) or not address:          # a test harness has none
        return LOCAL
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    ip = getattr(ip, "ipv4_mapped", None) or ip               # "::ffff:10.0.0.5" is 10.0.0.5
    return LOCAL if ip.is_loopback else str(ip)


def _agent() -> str | None:
    agent = st.context.headers.get("User-Agent")
    return agent if isinstance(agent, str) else None         # a test harness has none


def idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=float(auth.config("session_minutes")))


def _lifetime() -> dt.timedelta:
    return dt.timedelta(days=float(auth.config("cookie_expiry_days")))


_IDENTITY_KEYS = (PRINCIPAL_KEY, SESSION_KEY, "authentication_status", "username", "name", "roles", "email")


def _signed_in(user: User, sid: str) -> None:
    st.session_state.update({"authentication_status": True, "username": user.username, "name": user.name,
                             "email": user.email, "roles": [user.role], "logout": None, SESSION_KEY: sid})


def sign_out(username: str | None, event: str = "logout", reason: str | None = "logout") -> None:
    """End this tab's session on the server (`reason`; None when it has ended already),
    audit `event`, and forget the identity; the browser drops the cookie on the next run."""
    sid = st.session_state.get(SESSION_KEY)
    if sid and reason:
        try:
            sessions().end(sid, auth.clock(), reason)
        except SQLAlchemyError as exc:
            log.error("session of %s not ended on the server: %s", username, exc)
    if username:
        audit(event, username)
    for key in _IDENTITY_KEYS:
        st.session_state[key] = None
    # Never restore this tab from the cookie again (its session has ended anyway).
    st.session_state["logout"] = True
    st.session_state[_CLEAR_COOKIE] = True


def _invisible_image(src: str) -> None:
    st.html(f'<img src="{src}" alt="" width="1" height="1" style="position:absolute;opacity:0">')


def _clear_cookie() -> None:
    """Make the browser drop an ended session's cookie (the server refuses it anyway)."""
    if st.session_state.pop(_CLEAR_COOKIE, False) and cookie_route.served:
        _invisible_image(cookie_route.CLEAR_PATH)


def _hand_over_cookie(sid: str, ticket: str) -> None:
    """Have the browser fetch the session's cookie from the server, and wait until it has:
    the page the user sees next, reloaded or opened from a link, keeps the session."""
    if not cookie_route.served:          # app.py run alone: the session lasts as long as the tab
        return
    _invisible_image(f"{cookie_route.SET_PATH}?t={ticket}")
    deadline = time.monotonic() + HANDOVER_SECONDS
    while time.monotonic() < deadline:
        if sessions().redeemed(sid):
            return
        time.sleep(0.05)
    log.warning("the browser did not fetch its sign-in cookie within %.0f s", HANDOVER_SECONDS)


def _check(users: UserStore, username: str, password: str, lang: str):
    """The user if the password is right and neither the account nor this address is held
    back, else None (having said why). Locks and delays are checked before the password,
    and an attempt refused by them is neither checked nor recorded."""
    policy = LockoutPolicy.from_config()
    moment, address = auth.clock(), client_address()
    until = locked_until(audit_log(), username, moment, policy, address)
    if until is not None:
        st.error(t("signin.locked", lang, time=fmt.moment(until, lang)), icon=":material/lock_clock:")
        return None
    wait = wait_until(audit_log(), moment, policy, address)
    if wait is not None:
        seconds = max(1, math.ceil((wait - moment).total_seconds()))
        st.warning(t("signin.wait", lang, seconds=seconds), icon=":material/hourglass_top:")
        return None
    user = users.verify(username, password)
    if user is None:
        until = register_failure(audit_log(), username, moment, policy, address)
        if until is not None:
            st.error(t("signin.locked", lang, time=fmt.moment(until, lang)), icon=":material/lock_clock:")
        else:
            st.error(t("signin.failed", lang), icon=":material/error:")
    return user


def _form(users: UserStore, lang: str) -> None:
    _clear_cookie()
    _, middle, _ = st.columns([1, 1.3, 1])
    with middle:
        st.markdown(f":material/account_balance: **{plain(ministry(lang).upper())}**  \n{t('app_title', lang)}")
        with st.form("signin"):
            st.subheader(t("signin.title", lang))
            username = st.text_input(t("signin.username", lang), key="signin_username", autocomplete="username")
            password = st.text_input(t("signin.password", lang), type="password", key="signin_password",
                                     autocomplete="current-password")
            submitted = st.form_submit_button(t("signin.submit", lang), type="primary", width="stretch")
        messages = st.container()
        if demo_mode():
            st.info(t("signin.demo_hint", lang), icon=":material/info:")
    if not submitted:
        return
    username = (username or "").strip().lower()
    try:
        with messages:
            user = _check(users, username, password or "", lang)
        if user is None:
            return
        moment, address = auth.clock(), client_address()
        sid, ticket = sessions().open(user.username, moment, _lifetime(), str(auth.config("cookie_key")),
                                      address=address, agent=_agent(), credential=user.credential)
        register_success(audit_log(), user.username, address)
    except (SQLAlchemyError, OSError) as exc:
        # Without the app's database neither the lockout nor the session can be kept: refuse, and say why.
        log.error("sign-in refused, the app's own database is unavailable: %s", exc)
        messages.error(t("signin.app_db_down", lang), icon=":material/cloud_off:")
        return
    audit("login_ok", user.username, f"form, from {address}", at=moment)
    _signed_in(user, sid)
    with messages:
        _hand_over_cookie(sid, ticket)
    st.rerun()


def _session_problem(users: UserStore, sid: str, username: str | None) -> tuple[str | None, User | None, str | None]:
    """(None, the user, its name) while session `sid` may go on; else (why not, the user
    if any, the username the session was of if known). A session whose account changed
    is ended here."""
    try:
        session = sessions().check(sid, auth.clock(), idle_limit())
    except Refused as refused:
        return refused.reason, None, refused.username
    if username is not None and session.username != username:
        return "ended", None, session.username
    user = users.get(session.username)
    reason = None
    if user is None:
        reason = "account_removed"
    elif user.disabled or user.role not in auth.ROLES:
        reason = "account_disabled"
    elif session.credential and session.credential != user.credential:
        reason = "password_reset"
    if reason is not None:
        sessions().end(sid, auth.clock(), reason)
    return reason, user, session.username


def session_open(sid: str) -> bool:
    """Whether session `sid` may still be used (outside a page run too: a download).
    While the app's own database is down, a session that was open stays usable."""
    try:
        sessions().check(sid, auth.clock(), idle_limit())
    except Refused:
        return False
    except (SQLAlchemyError, OSError) as exc:
        log.error("session not checked, the app's own database is unavailable: %s", exc)
    return True


def _restore_from_cookie(users: UserStore) -> None:
    """Sign the tab in from the sign-in cookie when its session is open. Any other cookie —
    forged, malformed, ended, expired, a removed or disabled user's — is dropped, written
    to the audit log once, and leaves the sign-in form on screen; never an error box."""
    value = st.context.cookies.get(str(auth.config("cookie_name")))
    if not value:
        return
    token = token_of(value, str(auth.config("cookie_key")))
    username = None
    if token is None:
        problem = "forged or malformed"
    else:
        try:
            problem, user, username = _session_problem(users, session_id(token), None)
        except SQLAlchemyError as exc:
            log.error("sign-in cookie not checked, the app's own database is unavailable: %s", exc)
            return
        if problem is None:
            _signed_in(user, session_id(token))
            audit("login_ok", user.username, f"cookie, from {client_address()}")
            return
    if not st.session_state.get(_COOKIE_REFUSED):
        audit("denied", username, f"sign-in cookie refused: {problem}")
        st.session_state[_COOKIE_REFUSED] = True
    st.session_state["logout"] = True
    st.session_state[_CLEAR_COOKIE] = True


ASKED_PAGE = "_asked_page"


def remember_asked_page(asked: st.Page) -> None:
    """Remember the page a link asked for: the app opens it once the user has signed in.
    A named page wins over the default one, which a session's first run may resolve to."""
    if asked.url_path or ASKED_PAGE not in st.session_state:
        st.session_state[ASKED_PAGE] = asked.url_path


def _stop(pages: list[st.Page] | None) -> None:
    if pages is not None:            # nothing registered yet in this run: list no page
        st.navigation(pages, position="hidden")
    st.stop()


def gate(lang: str, pages: list[st.Page] | None) -> Principal:
    """The signed-in identity, or draw the sign-in form (or the refusal) and stop.

    Before stopping, `pages` (unless this run has registered them already) are
    registered hidden and none is run: the sidebar lists nothing."""
    users = store()
    problems = production_problems(users)
    if problems:
        st.error(t("signin.refuse_title", lang), icon=":material/gpp_bad:")
        for problem in problems:
            st.markdown("- " + t(f"signin.refuse_{problem}", lang))
        _stop(pages)
    if not st.session_state.get("authentication_status") and not st.session_state.get("logout"):
        _restore_from_cookie(users)
    if not st.session_state.get("authentication_status"):
        _form(users, lang)
        _stop(pages)

    username = st.session_state.get("username")
    sid = st.session_state.get(SESSION_KEY)
    try:
        problem, user, _ = _session_problem(users, sid, username) if sid else ("unknown", None, None)
    except (SQLAlchemyError, OSError) as exc:
        # The app's own database is down: a tab whose session was checked goes on (nobody
        # new can sign in, and the users file still ends a disabled or removed account);
        # an end decided meanwhile takes effect when the database is back.
        log.error("session of %s not checked, the app's own database is unavailable: %s", username, exc)
        user = users.get(username) if username else None
        problem = None if user is not None and not user.disabled and user.role in auth.ROLES else "unknown"
    if problem in ("idle", "expired"):
        sign_out(username, "session_expired", reason=None)
        st.warning(t("signin.expired", lang), icon=":material/timer_off:")
        _form(users, lang)
        _stop(pages)
    if problem is not None:
        sign_out(username, "denied", reason=None)
        st.session_state[_COOKIE_REFUSED] = True       # its refusal is this audit row
        st.warning(t("signin.ended", lang), icon=":material/logout:")
        _form(users, lang)
        _stop(pages)
    _clear_cookie()
    principal = Principal(user.username, user.role, user.unit)
    if not principal.valid:
        audit("denied", username, "no valid role or unit")
        st.error(t("signin.no_access", lang), icon=":material/block:")
        if st.button(t("signin.sign_out", lang)):
            sign_out(username)
            st.rerun()
        _stop(pages)
    st.session_state[PRINCIPAL_KEY] = principal
    return principal


def identity_box(principal: Principal, lang: str) -> None:
    with st.sidebar:
        name = st.session_state.get("name") or principal.username
        role = t(f"signin.role_{principal.role}", lang)
        st.markdown(f":material/account_circle: **{plain(name)}**  \n:small[{role}]")
        if st.button(t("signin.sign_out", lang), key="sign_out", icon=":material/logout:"):
            sign_out(principal.username)
            st.rerun()
