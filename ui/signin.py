"""Sign-in in front of every page: streamlit-authenticator keeps the session in a signed
cookie, the app's own form checks the lockout before the password, and every sign-in,
failure, lockout and sign-out goes to the audit log. Returns the server-side identity
the data layer scopes every query with."""

from __future__ import annotations

import datetime as dt
import logging
import time

import jwt
import streamlit as st
import streamlit_authenticator as stauth
from sqlalchemy.exc import SQLAlchemyError

import auth
from auth.audit import AuditLog
from auth.demo import demo_usernames_present, ensure_demo_users
from auth.lockout import LockoutPolicy, locked_until, register_failure
from auth.users import UserStore
from data_access import settings
from data_access.access import Principal
from data_access.model import now
from l10n import fmt
from l10n.i18n import t

from .data import PRINCIPAL_KEY
from .text import plain

_LAST_ACTIVE = "_last_active"
log = logging.getLogger(__name__)


def demo_mode() -> bool:
    return all(settings.is_embedded_demo(s) for s in settings.SOURCE_NAMES)


@st.cache_resource(show_spinner=False)
def audit_log() -> AuditLog:
    return AuditLog(str(auth.config("app_db_url")))


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


def _authenticator(users: UserStore) -> stauth.Authenticate:
    return stauth.Authenticate(users.credentials(), str(auth.config("cookie_name")), str(auth.config("cookie_key")),
                               float(auth.config("cookie_expiry_days")), auto_hash=False)


_COOKIE_TODO = "_cookie_todo"


def sign_out(authenticator: stauth.Authenticate | None, username: str | None, event: str = "logout") -> None:
    if username:
        audit(event, username)
    if authenticator is not None:
        authenticator.authentication_controller.logout()
    for key in (PRINCIPAL_KEY, _LAST_ACTIVE, "authentication_status", "username", "name", "roles", "email"):
        st.session_state[key] = None
    # Never restore this session from the cookie again; the browser deletes it on the next run.
    st.session_state["logout"] = True
    st.session_state[_COOKIE_TODO] = "delete"


def _sync_cookie(authenticator: stauth.Authenticate) -> None:
    """Set or delete the sign-in cookie asked for by the previous run.

    The cookie is written by a component in the browser, which only happens when the
    run that draws it completes; a run that ends in `st.rerun()` never gets there."""
    todo = st.session_state.pop(_COOKIE_TODO, None)
    if todo == "set":
        authenticator.cookie_controller.set_cookie()
    elif todo == "delete":
        authenticator.cookie_controller.delete_cookie()


def _check(users: UserStore, username: str, password: str, lang: str):
    """The user if the password is right and the username is not locked, else None
    (having said why). The lock is checked before the password."""
    policy = LockoutPolicy.from_config()
    moment = now()
    until = locked_until(audit_log(), username, moment, policy)
    if until is not None:
        audit_log().record("denied", username, "locked", at=moment)
        st.error(t("signin.locked", lang, time=fmt.moment(until, lang)), icon=":material/lock_clock:")
        return None
    user = users.verify(username, password)
    if user is None:
        until = register_failure(audit_log(), username, moment, policy)
        if until is not None:
            st.error(t("signin.locked", lang, time=fmt.moment(until, lang)), icon=":material/lock_clock:")
        else:
            st.error(t("signin.failed", lang), icon=":material/error:")
    return user


def _form(authenticator: stauth.Authenticate, users: UserStore, lang: str) -> None:
    _, middle, _ = st.columns([1, 1.3, 1])
    with middle:
        st.markdown(f":material/account_balance: **{t('ministry', lang).upper()}**  \n{t('app_title', lang)}")
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
    except (SQLAlchemyError, OSError) as exc:
        # Without the app's database the lockout cannot be enforced: refuse, and say why.
        log.error("sign-in refused, the app's own database is unavailable: %s", exc)
        messages.error(t("signin.app_db_down", lang), icon=":material/cloud_off:")
        return
    if user is None:
        return
    moment = now()
    audit("login_ok", user.username, at=moment)
    st.session_state.update({"authentication_status": True, "username": user.username, "name": user.name,
                             "email": user.email, "roles": [user.role], "logout": None, _LAST_ACTIVE: moment,
                             _COOKIE_TODO: "set"})
    st.rerun()


_COOKIE_REFUSED = "_cookie_refused"


def cookie_problem(token: str, users: UserStore, moment: float) -> tuple[str | None, str | None]:
    """(None, username) when the sign-in cookie `token` is one this instance signed, not
    expired, for a user who may still sign in; else (why not, the username it names)."""
    try:
        claims = jwt.decode(token, str(auth.config("cookie_key")), algorithms=["HS256"])
    except jwt.PyJWTError:
        return "forged or malformed", None
    username, expires = claims.get("username"), claims.get("exp_date")
    if not isinstance(username, str) or isinstance(expires, bool) or not isinstance(expires, (int, float)):
        return "malformed", None
    if expires <= moment:
        return "expired", username
    user = users.get(username)
    if user is None or user.disabled or user.role not in auth.ROLES:
        return "no such user, or disabled", username
    return None, username


def _restore_from_cookie(authenticator: stauth.Authenticate, users: UserStore) -> None:
    """Sign the session in from the sign-in cookie when it is valid. Any other cookie —
    forged, malformed, expired, a removed or disabled user's — is deleted, written to the
    audit log once, and leaves the sign-in form on screen; never an error box."""
    token = st.context.cookies.get(str(auth.config("cookie_name")))
    if not token:
        return
    problem, username = cookie_problem(token, users, time.time())
    if problem is None:
        try:
            authenticator.login(location="unrendered")
        except Exception as exc:      # the library's own reading of the cookie failed
            problem = f"not readable: {type(exc).__name__}"
    if problem is None and st.session_state.get("authentication_status"):
        audit("login_ok", st.session_state.get("username"), "cookie")
        st.session_state[_LAST_ACTIVE] = now()
        return
    st.session_state["authentication_status"] = None
    if not st.session_state.get(_COOKIE_REFUSED):
        audit("denied", username, f"sign-in cookie refused: {problem or 'not accepted'}")
        st.session_state[_COOKIE_REFUSED] = True
    # The browser drops it on this run's render, and the library never reads it again here.
    st.session_state["logout"] = True
    st.session_state[_COOKIE_TODO] = "delete"
    _sync_cookie(authenticator)


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


def gate(lang: str, pages: list[st.Page] | None) -> tuple[Principal, stauth.Authenticate]:
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
    authenticator = _authenticator(users)
    _sync_cookie(authenticator)
    if not st.session_state.get("authentication_status") and not st.session_state.get("logout"):
        _restore_from_cookie(authenticator, users)
    if not st.session_state.get("authentication_status"):
        _form(authenticator, users, lang)
        _stop(pages)

    username = st.session_state.get("username")
    user = users.get(username) if username else None
    moment = now()
    last = st.session_state.get(_LAST_ACTIVE) or moment
    idle = dt.timedelta(minutes=float(auth.config("session_minutes")))
    if user is None or user.disabled:
        sign_out(authenticator, username, "denied")
        st.rerun()
    if moment - last > idle:
        sign_out(authenticator, username, "session_expired")
        _sync_cookie(authenticator)
        st.warning(t("signin.expired", lang), icon=":material/timer_off:")
        _form(authenticator, users, lang)
        _stop(pages)
    st.session_state[_LAST_ACTIVE] = moment
    principal = Principal(user.username, user.role, user.unit)
    if not principal.valid:
        audit("denied", username, "no valid role or unit")
        st.error(t("signin.no_access", lang), icon=":material/block:")
        if st.button(t("signin.sign_out", lang)):
            sign_out(authenticator, username)
            st.rerun()
        _stop(pages)
    st.session_state[PRINCIPAL_KEY] = principal
    return principal, authenticator


def identity_box(principal: Principal, authenticator: stauth.Authenticate, lang: str) -> None:
    with st.sidebar:
        name = st.session_state.get("name") or principal.username
        role = t(f"signin.role_{principal.role}", lang)
        st.markdown(f":material/account_circle: **{plain(name)}**  \n:small[{role}]")
        if st.button(t("signin.sign_out", lang), key="sign_out", icon=":material/logout:"):
            sign_out(authenticator, principal.username)
            st.rerun()
