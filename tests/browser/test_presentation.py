"""Real browser: the kiosk link as the presentation screen's account opens it — no
sidebar or toolbar, large type, a new slide after `interval` seconds, every chosen
slide once in the link's order — with a screenshot of every slide at 1920×1080 and
1280×720 in artifacts/screenshots/.

One pass through the slides at the shortest interval the link accepts: the 1280×720
screenshot of a slide is taken in the same window, resized (the slide's layout follows
the window's width through CSS only; the server never learns the size)."""

from __future__ import annotations

import time

import pytest

from ui.kiosk import INTERVAL_MIN

from .conftest import SCREENSHOTS, close, layout_stable, open_page

pytestmark = pytest.mark.browser

SLIDES = ("overview", "procedures", "tasks", "emulation", "awards")
SIZES = ((1920, 1080), (1280, 720))
INTERVAL = INTERVAL_MIN


def current_slide(page) -> str | None:
    return page.locator(".ioc-slide").first.get_attribute("data-slide")


def wait_for_next(page, after: str, timeout: float) -> str:
    """The next slide's key, as soon as it is drawn (its images decoded)."""
    page.wait_for_function(
        """(after) => {
          const s = document.querySelector('.ioc-slide');
          const key = s && s.getAttribute('data-slide');
          return !!key && key !== after && [...s.querySelectorAll('img')].every(i => i.complete);
        }""", arg=after, timeout=timeout * 1000, polling=100)
    return current_slide(page)


def px(page, selector: str) -> float:
    return page.evaluate(f"() => parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)")


def test_the_kiosk_link_rotates_full_screen_slides(server, browser):
    (width, height), (small_w, small_h) = SIZES
    url = f"{server}/presentation?kiosk=1&slides={','.join(SLIDES)}&interval={INTERVAL}&lang=vi"
    page = open_page(browser, url, user="trinhchieu", width=width, height=height, wait_for=".ioc-slide")
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('[data-testid="stToolbar"]').is_visible()
    assert not page.locator('[data-testid="stHeader"]').is_visible()
    assert px(page, ".ioc-slide .value") >= 64 and px(page, ".ioc-slide .label") >= 28
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seen, small = [], set()
    key = wait_for_next(page, "", 60)                  # the first slide, its charts decoded
    shown_at = time.monotonic()
    for turn in range(len(SLIDES)):
        seen.append(key)
        page.screenshot(path=str(SCREENSHOTS / f"kiosk_{key}_{width}x{height}.png"))
        page.set_viewport_size({"width": small_w, "height": small_h})
        layout_stable(page)
        if current_slide(page) == key:                 # not turned meanwhile
            page.screenshot(path=str(SCREENSHOTS / f"kiosk_{key}_{small_w}x{small_h}.png"))
            small.add(key)
        page.set_viewport_size({"width": width, "height": height})
        key = wait_for_next(page, key, INTERVAL + 10)
        waited, shown_at = time.monotonic() - shown_at, time.monotonic()
        # A slide whose chart is drawn late shows a little less than its interval; the
        # first was on screen before the clock started, so only its upper bound counts.
        assert (INTERVAL - 3 if turn else 0) <= waited <= INTERVAL + 10, f"{seen[-1]} turned after {waited:.1f} s"
    # every chosen slide shown once, in the link's order (starting wherever the loop
    # was), then the first again
    start = SLIDES.index(seen[0])
    assert seen == [SLIDES[(start + i) % len(SLIDES)] for i in range(len(SLIDES))]
    assert key == seen[0]
    # a slide that turned before its small screenshot: catch it on the next pass
    page.set_viewport_size({"width": small_w, "height": small_h})
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    while set(SLIDES) - small:
        layout_stable(page)
        key = current_slide(page)
        if key in small:
            wait_for_next(page, key, INTERVAL + 10)
        else:
            page.screenshot(path=str(SCREENSHOTS / f"kiosk_{key}_{small_w}x{small_h}.png"))
            small.add(key)
    text = page.inner_text("body")
    assert "Traceback" not in text
    close(page)
