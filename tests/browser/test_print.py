"""Real browser: "In trang này" gives a clean A4 landscape PDF of the page.

The browser prints with the app's print styles (ui.shell.PRINT_CSS): A4 landscape pages,
no sidebar, header or buttons, and no card, chart or table split across two pages."""

from __future__ import annotations

import io

import pytest

from .conftest import close, open_page

pytestmark = pytest.mark.browser

A4_LANDSCAPE_POINTS = (842, 595)          # 297 × 210 mm


def _pdf(page) -> bytes:
    page.emulate_media(media="print")
    return page.pdf(prefer_css_page_size=True, print_background=True)


def test_printing_the_overview_gives_a4_landscape_pages_without_the_sidebar(server, browser):
    from pypdf import PdfReader

    page = open_page(browser, f"{server}/?lang=vi", user="lanhdao", width=1440, height=900,
                     wait_for='[data-testid="stMetricValue"]')
    assert page.locator(".ioc-print").inner_text() == "In trang này"
    sidebar = page.locator('[data-testid="stSidebarUserContent"]').inner_text()
    first_card = page.locator('[data-testid="stMetricLabel"]').first.inner_text().strip()
    pdf = PdfReader(io.BytesIO(_pdf(page)))
    # The print rules that keep a card whole, as the browser applies them.
    avoid = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMetric"]')]
        .map((el) => getComputedStyle(el).breakInside)""")
    close(page)

    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages}
    assert sizes == {A4_LANDSCAPE_POINTS}
    text = " ".join(p.extract_text() for p in pdf.pages)
    flat = " ".join(text.split())
    assert "Tổng quan" in flat and " ".join(first_card.split()) in flat
    assert "In trang này" not in flat and "Đăng xuất" not in flat and "Kỳ báo cáo" not in flat
    assert "Đăng xuất" in sidebar and "Kỳ báo cáo" in sidebar
    assert 2 <= len(pdf.pages) <= 8, len(pdf.pages)       # the whole page, not its first screen
    assert avoid and set(avoid) == {"avoid"}
