"""Real browser: the kiosk link as the presentation screen's account opens it — no
sidebar or toolbar, large type, a new slide after `interval` seconds — with a
screenshot of every slide at 1920×1080 and 1280×720 in artifacts/screenshots/."""

from __future__ import annotations

import time

import pytest

from .conftest import SCREENSHOTS, close, open_page

pytestmark = pytest.mark.browser

SLIDES = ("overview", "procedures", "tasks", "emulation", "awards")


def current_slide(page) -> str:
    return page.locator(".ioc-slide").first.get_attribute("data-slide")


def wait_for_next(page, after: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        key = current_slide(page)
        if key and key != after:
            return key
        page.wait_for_timeout(250)
    raise AssertionError(f"still on {after} after {timeout} s")


def px(page, selector: str) -> float:
    return page.evaluate(f"() => parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)")


@pytest.mark.parametrize("width, height, interval", [(1920, 1080, 6), (1280, 720, 5)])
def test_the_kiosk_link_rotates_full_screen_slides(server, browser, width, height, interval):
    url = f"{server}/presentation?kiosk=1&slides={','.join(SLIDES)}&interval={interval}&lang=vi"
    page = open_page(browser, url, user="trinhchieu", width=width, height=height, wait_for=".ioc-slide")
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('[data-testid="stToolbar"]').is_visible()
    assert not page.locator('[data-testid="stHeader"]').is_visible()
    if width == 1920:
        assert px(page, ".ioc-slide .value") >= 64 and px(page, ".ioc-slide .label") >= 28
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seen = []
    key = current_slide(page)
    for _ in SLIDES:
        seen.append(key)
        page.wait_for_timeout(800)                      # let its chart images paint
        page.screenshot(path=str(SCREENSHOTS / f"kiosk_{key}_{width}x{height}.png"))
        shown_at = time.monotonic()
        key = wait_for_next(page, key, interval + 10)
        waited = time.monotonic() - shown_at + 0.8
        # a slide whose chart is drawn late shows a little less than its interval
        assert interval - 3 <= waited <= interval + 10, f"{seen[-1]} turned after {waited:.1f} s"
    # every chosen slide shown once, in the link's order (starting wherever the loop was)
    start = SLIDES.index(seen[0])
    assert seen == [SLIDES[(start + i) % len(SLIDES)] for i in range(len(SLIDES))]
    text = page.inner_text("body")
    assert "Traceback" not in text
    close(page)
