"""Real browser: routing since the pages live in screens/ and st.navigation alone
decides it. The very first request a fresh server gets, for a page's URL (not "/"),
goes through app.py: the sign-in form, in the link's language, then that page — and
never Streamlit's "Page not found" dialog (which every other browser test checks too,
see `conftest.open_page` and `conftest.close`)."""

from __future__ import annotations

import pytest

from l10n.i18n import t

from .conftest import (
    PAGE_NOT_FOUND,
    after,
    assert_no_page_not_found,
    new_context,
    settle,
    sign_in,
)

pytestmark = pytest.mark.browser


def test_a_fresh_servers_first_request_for_a_page_signs_in_then_opens_it(fresh_server, browser):
    context = new_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{fresh_server}/procedures?lang=en")            # nothing asked of this server before
        page.wait_for_selector('[data-testid="stForm"]', timeout=60_000)
        settle(page)
        text = page.inner_text("body")
        assert t("signin.title", "en") in text
        assert PAGE_NOT_FOUND not in text
        assert_no_page_not_found(page)
        assert page.locator('[data-testid="stMetric"]').count() == 0
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0

        sign_in(page, "lanhdao")
        heading = page.locator("h1", has_text=t("procedures.title", "en"))
        heading.first.wait_for(timeout=60_000)
        settle(page)
        assert t("procedures.title", "en") in page.locator("h1").first.inner_text()
        assert page.url.split("?")[0].rstrip("/").endswith("/procedures")
        assert page.locator('[data-testid="stSidebarNav"]').count() == 1
        assert page.locator('[data-testid="stException"]').count() == 0
        text = page.inner_text("body")
        assert "Traceback" not in text
        assert_no_page_not_found(page)

        # a page of the navigation opened from the sidebar, in the same session (its
        # language is not checked: the view is read again from the link's empty URL)
        link = page.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav_tasks", "en"))
        after(page, link.first.click)
        titles = "h1:has-text('{}'), h1:has-text('{}')".format(t("tasks.title", "en"), t("tasks.title", "vi"))
        page.locator(titles).first.wait_for(timeout=60_000)
        settle(page)
        assert page.url.split("?")[0].rstrip("/").endswith("/tasks")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert_no_page_not_found(page)
    finally:
        context.close()
