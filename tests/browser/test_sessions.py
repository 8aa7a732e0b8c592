"""Real browser: the sign-in cookie is the server's (HttpOnly, set before the dashboard
shows, so a reload at once keeps the session), and a copied cookie is worthless once its
session has ended."""

from __future__ import annotations

import time

import pytest

from auth.audit import AuditLog
from l10n.i18n import t

from .conftest import COOKIE, PASSWORDS, SERVER_DIRS, WAIT, new_context, settle

pytestmark = pytest.mark.browser

SIGN_OUT = f'[data-testid="stSidebar"] button:has-text("{t("signin.sign_out", "vi")}")'
FORM = '[data-testid="stForm"]'


def _submit(page, username: str, password: str | None = None) -> None:
    form = page.locator(FORM)
    form.wait_for(timeout=WAIT)
    settle(page)
    form.locator('input[type="text"]').fill(username)
    form.locator('input[type="password"]').fill(password or PASSWORDS[username])
    form.locator('[data-testid="stFormSubmitButton"] button').click()


def _cookie_in_a_fresh_browser(browser, cookies, url: str):
    """A stranger's browser holding `cookies`: it must see the sign-in form, no error and
    no figure. Returns the context (to close)."""
    stranger = new_context(browser)
    stranger.add_cookies(cookies)
    other = stranger.new_page()
    other.goto(url)
    other.wait_for_selector(FORM, timeout=WAIT)
    settle(other)
    assert other.locator('[data-testid="stMetric"]').count() == 0
    assert other.locator('[data-testid="stException"]').count() == 0
    return stranger


def test_a_reload_at_once_keeps_the_session_and_a_copied_cookie_dies_with_sign_out(server, browser):
    log = AuditLog(f"sqlite:///{SERVER_DIRS['main'] / 'app.sqlite'}")
    context = new_context(browser)
    page = context.new_page()
    page.goto(f"{server}/tasks")
    _submit(page, "ks")                  # (test_roles locks qltnn out of this address)
    # The moment the dashboard is drawn, the cookie is there: HttpOnly, for the session's lifetime.
    page.wait_for_selector(SIGN_OUT, timeout=WAIT)
    cookie = next(c for c in context.cookies() if c["name"] == COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert 11.9 * 3600 < cookie["expires"] - time.time() <= 12 * 3600
    assert page.evaluate("() => document.cookie").find(COOKIE) == -1        # no page script can read it
    page.reload()                                                           # at once, no settling
    page.wait_for_selector(f"{SIGN_OUT}, {FORM}", timeout=WAIT)
    settle(page)
    assert page.locator(FORM).count() == 0 and page.locator(SIGN_OUT).count() == 1
    assert "/tasks" in page.url
    signed_in = [(r["event"], r["detail"]) for r in log.recent(limit=50) if r["username"] == "ks"][:2]
    assert signed_in == [("login_ok", "cookie, from local"), ("login_ok", "form, from local")]

    copied = context.cookies()
    page.locator(SIGN_OUT).click()
    page.wait_for_selector(FORM, timeout=WAIT)
    settle(page)
    deadline = time.monotonic() + 10                                        # the server deletes it
    while any(c["name"] == COOKIE for c in context.cookies()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(c["name"] == COOKIE for c in context.cookies())

    # The attacker's fresh browser, with the cookie copied before the sign-out.
    before = len(log.recent(limit=5000))
    stranger = _cookie_in_a_fresh_browser(browser, copied, f"{server}/tasks")
    new = log.recent(limit=5000)[: len(log.recent(limit=5000)) - before]
    assert [(r["event"], r["username"], r["detail"]) for r in new] == [
        ("denied", "ks", "sign-in cookie refused: ended")]
    stranger.close()
    context.close()


def test_a_disabled_users_cookie_shows_the_form_and_is_audited(server, browser):
    from auth.users import UserStore

    users = UserStore(SERVER_DIRS["main"] / "users.yaml")
    users.add("tamthoi", name="Người dùng tạm", email="tamthoi@example.gov.vn", role="leader",
              password="Tam-thoi-2026!")
    log = AuditLog(f"sqlite:///{SERVER_DIRS['main'] / 'app.sqlite'}")
    try:
        context = new_context(browser)
        page = context.new_page()
        page.goto(f"{server}/")
        _submit(page, "tamthoi", "Tam-thoi-2026!")
        page.wait_for_selector(SIGN_OUT, timeout=WAIT)
        copied = context.cookies()
        context.close()
        users.disable("tamthoi")
        stranger = _cookie_in_a_fresh_browser(browser, copied, f"{server}/")
        latest = log.recent(limit=1)[0]
        assert (latest["event"], latest["username"], latest["detail"]) == (
            "denied", "tamthoi", "sign-in cookie refused: account_disabled")
        stranger.close()
    finally:
        users.remove("tamthoi")
