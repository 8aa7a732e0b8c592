"""Real browser: sign-in in front of every page, each demo role's pages, a unit head held
to their unit whatever the URL says, no names on the presentation screen, the sign-in
cookie across tabs, sign-out, and the lockout message."""

from __future__ import annotations

import re

import pytest

from data_access import catalogue
from l10n.i18n import t

from .conftest import (
    SCREENSHOTS,
    after,
    assert_no_page_not_found,
    close,
    layout_stable,
    open_page,
    settle,
    sign_in,
)

pytestmark = pytest.mark.browser

RECEIVED = catalogue.get()["procedures.received"].name_vi

PATHS = ("", "procedures", "tasks", "emulation", "presentation", "reports", "data_status")
NAV = {name: t(f"nav_{name}", "vi")
       for name in ("overview", "procedures", "tasks", "emulation", "presentation", "reports", "data_status")}
WORK = {"overview", "procedures", "tasks", "emulation", "presentation", "reports"}
ROLE_PAGES = {
    "admin": WORK | {"data_status"},
    "lanhdao": WORK,
    "ks": WORK,
    "trinhchieu": {"overview", "presentation"},
}


def metrics(page) -> dict[str, str]:
    cards = page.locator('[data-testid="stMetric"]')
    out = {}
    for i in range(cards.count()):
        card = cards.nth(i)
        out[card.locator('[data-testid="stMetricLabel"]').inner_text().strip()] = \
            card.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return out


def nav_links(page) -> set[str]:
    # each link's text is its icon's ligature name, then its label
    shown = {line.strip() for text in page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
             for line in text.splitlines()}
    return {name for name, label in NAV.items() if label in shown}


@pytest.mark.parametrize("path", PATHS)
def test_no_page_shows_data_without_sign_in(server, browser, path):
    page = open_page(browser, f"{server}/{path}", user=None, wait_for='[data-testid="stForm"]')
    text = page.inner_text("body")
    assert t("signin.title", "vi") in text
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    if path == "":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "signin_vi.png"))
    close(page)


METRIC = '[data-testid="stMetricValue"]'


@pytest.fixture(scope="session")
def overview_as(server, browser):
    """What the Overview at "/" shows each role: read once, by every test that only
    reads it (a page view costs seconds here)."""
    seen: dict[str, dict] = {}

    def read(username: str) -> dict:
        if username not in seen:
            page = open_page(browser, f"{server}/", user=username, wait_for=METRIC)
            seen[username] = {
                "text": page.inner_text("body"),
                "nav": nav_links(page),
                "page_links": page.locator('[data-testid="stPageLink"]').all_inner_texts(),
            }
            close(page)
        return seen[username]

    return read


@pytest.mark.parametrize("username", ROLE_PAGES)
def test_each_role_sees_exactly_its_pages(server, browser, overview_as, username):
    # Streamlit lists pages only when there are two or more
    assert overview_as(username)["nav"] == (ROLE_PAGES[username] if len(ROLE_PAGES[username]) > 1 else set())
    # A page left out of the role's navigation cannot be reached by URL either.
    page = None
    for name, path in (("procedures", "procedures"), ("data_status", "data_status")):
        if name in ROLE_PAGES[username]:
            continue
        if page is None:
            page = open_page(browser, f"{server}/{path}", user=username, wait_for=METRIC)
        else:
            page.goto(f"{server}/{path}")
            page.wait_for_selector(METRIC, timeout=60_000)
            settle(page)
        assert t("procedures.title", "vi") not in page.inner_text("h1")
        assert t("data_status.title", "vi") not in page.inner_text("body")
        assert_no_page_not_found(page, f"/{path} as {username}")       # the Overview, without a word
    if page is not None:
        close(page)


def test_a_unit_head_asking_for_another_unit_by_url_gets_their_own(server, browser):
    leader_ks = open_page(browser, f"{server}/?unit=DCKS", wait_for='[data-testid="stMetricValue"]')
    own = metrics(leader_ks)[RECEIVED]
    close(leader_ks)
    leader_other = open_page(browser, f"{server}/?unit=QLTNN", wait_for='[data-testid="stMetricValue"]')
    other = metrics(leader_other)[RECEIVED]
    close(leader_other)
    assert own != other

    # A tab signed in by the cookie: its session's first run is cut short by a component
    # reporting back, which must not leave the period on its first option.
    page = open_page(browser, f"{server}/?unit=QLTNN", user="ks", wait_for='[data-testid="stMetricValue"]')
    heading = page.locator('[data-testid="stMarkdown"]').filter(has_text="·").first.inner_text()
    assert heading.startswith("Năm nay"), heading                # the default period, not the first option
    assert metrics(page)[RECEIVED] == own, heading
    text = page.inner_text("body")
    assert "đơn vị mình" in text                               # the request was noted, not obeyed
    assert "Toàn Bộ:" in text                                  # ministry rates for comparison
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "unit_head_overview_vi.png"), full_page=True)
    close(page)


def test_the_presentation_screen_sees_no_names(overview_as, demo_data):
    import sqlite3

    # The leader's first screen names units beside counts ("3 · Vụ Pháp chế"); the
    # presentation screen is offered no link and shows no task's title at all.
    assert any(re.search(r"\b\d[\d.]* · \w", x) for x in overview_as("lanhdao")["page_links"])
    with sqlite3.connect(demo_data / "tasks.sqlite") as db:
        due_titles = [title for (title,) in db.execute(
            "SELECT title_vi FROM tasks WHERE completed_at IS NULL AND due_date IS NOT NULL")]
    assert due_titles
    viewer = overview_as("trinhchieu")
    text = viewer["text"]
    assert viewer["page_links"] == []
    for title in due_titles:
        assert title not in text
    for person in ("Lê Hoàng Thủy", "Phạm Đức Khoáng", "Trần Thị Minh Lãnh"):
        assert person not in text


def test_the_cookie_keeps_a_tab_signed_in_until_sign_out(server, browser):
    page = open_page(browser, f"{server}/", user="lanhdao", wait_for='[data-testid="stMetricValue"]', fresh=True)
    second = page.context.new_page()
    second.goto(f"{server}/tasks")
    second.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)   # no form: the cookie
    settle(second)
    assert_no_page_not_found(second)
    second.close()
    after(page, page.locator('[data-testid="stSidebar"] button', has_text=t("signin.sign_out", "vi")).click)
    page.wait_for_selector('[data-testid="stForm"]', timeout=60_000)
    settle(page)                                               # the signed-in run's cards are gone
    assert page.locator('[data-testid="stMetric"]').count() == 0
    third = page.context.new_page()
    third.goto(f"{server}/tasks")
    third.wait_for_selector('[data-testid="stForm"]', timeout=60_000)
    settle(third)
    assert third.locator('[data-testid="stMetric"]').count() == 0
    assert_no_page_not_found(third)
    close(page)


def test_the_fifth_failed_sign_in_locks_the_username(server, browser):
    page = open_page(browser, f"{server}/", user=None, wait_for='[data-testid="stForm"]', fresh=True)
    for attempt in range(1, 6):
        sign_in(page, "qltnn", f"wrong-{attempt}")
        page.wait_for_selector('[data-testid="stAlert"]', timeout=60_000)
        settle(page)
        text = page.inner_text("body")
        assert ("tạm khóa" in text) == (attempt == 5), attempt
    sign_in(page, "qltnn")                                     # the right password, while locked
    settle(page)
    assert "tạm khóa" in page.inner_text("body")
    assert page.locator('[data-testid="stMetric"]').count() == 0
    close(page)


def test_an_admin_sees_data_status_with_the_audit_log(server, browser):
    page = open_page(browser, f"{server}/data_status", user="admin", wait_for='[data-testid="stDataFrame"]')
    page.wait_for_selector(f'h2:has-text("{t("data_status.section_audit", "vi")}")', timeout=60_000)
    settle(page)
    text = page.inner_text("body")
    assert t("data_status.title", "vi") in text
    assert text.count(t("data_status.reachable", "vi")) == 3          # the three sources answer
    assert "Traceback" not in text
    # downloads go through the app's audited buttons, never the grid's own CSV button
    page.locator('[data-testid="stDataFrame"]').first.hover()
    page.locator('[data-testid="stElementToolbar"]').first.wait_for(state="visible", timeout=10_000)
    assert not page.locator('[data-testid="stElementToolbar"] button[aria-label="Download as CSV"]').first.is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    full_page = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1600, "height": min(int(full_page) + 40, 8000)})
    layout_stable(page)
    page.screenshot(path=str(SCREENSHOTS / "data_status_vi.png"), full_page=True)
    close(page)


@pytest.mark.parametrize("token", [
    # an admin token signed with the published demo key: no instance signs with it
    "forged", "not-a-token", "e30.e30.e30",
])
def test_a_forged_or_malformed_cookie_shows_the_sign_in_form_and_is_audited(server, browser, token):
    import datetime as dt

    import jwt

    from auth import DEFAULT_COOKIE_KEY
    from auth.audit import AuditLog

    from .conftest import COOKIE, SERVER_DIRS, new_context

    if token == "forged":
        token = jwt.encode({"username": "admin", "exp_date": (dt.datetime.now() + dt.timedelta(days=1)).timestamp()},
                           DEFAULT_COOKIE_KEY, algorithm="HS256")
    log = AuditLog(f"sqlite:///{SERVER_DIRS['main'] / 'app.sqlite'}")
    before = len([r for r in log.recent(limit=1000) if r["event"] == "denied"])
    context = new_context(browser)
    context.add_cookies([{"name": COOKIE, "value": token, "url": server}])
    page = context.new_page()
    page.goto(f"{server}/data_status")
    page.wait_for_selector('[data-testid="stForm"]', timeout=60_000)
    settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stMetric"]').count() == 0
    denied = [r for r in log.recent(limit=1000) if r["event"] == "denied"]
    assert len(denied) == before + 1 and denied[0]["detail"].startswith("sign-in cookie refused")
    context.close()
