"""Real browser: the first screen answers "what is late and who answers for it".

At 1440×900 with the sidebar open, as a leader, the Overview shows without scrolling the
four headline tiles (one row: the same top for all four) and the four boxes of what
needs attention, each item naming its unit; a drill-down link lands with its rows in the
viewport; tablet and phone widths need no sideways scrolling of the page. Screenshots of
each go to artifacts/screenshots/first_screen_*.png."""

from __future__ import annotations

import re

import pytest

from l10n.i18n import t

from .conftest import SCREENSHOTS, WAIT, close, layout_stable, open_page, settle

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1440, 900
BOXES = ("attention_dossiers", "attention_tasks", "attention_below", "attention_due")
UNIT_WORDS = re.compile(r"\b(Cục|Vụ|Văn phòng|Thanh tra|Viện|Trung tâm|Tổng cục)\b")


def _top(locator) -> float:
    box = locator.bounding_box()
    assert box is not None, locator
    return box["y"]


def _overview(browser, server):
    page = open_page(browser, f"{server}/?lang=vi", width=WIDTH, height=HEIGHT,
                     wait_for='[data-testid="stMetricValue"]')
    for key in BOXES:
        page.locator(f".st-key-{key}").wait_for(timeout=WAIT)
    layout_stable(page)
    return page


def test_the_overview_first_screen_holds_the_tiles_and_what_needs_attention(server, browser):
    page = _overview(browser, server)
    sidebar = page.locator('[data-testid="stSidebar"]').bounding_box()
    assert sidebar and sidebar["x"] >= 0 and sidebar["width"] > 200          # the sidebar is open
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "first_screen_overview_1440.png"))

    tiles = page.locator('[data-testid="stMetric"]')
    tops = [round(_top(tiles.nth(i))) for i in range(4)]
    assert len(set(tops)) == 1, f"the headline tiles wrap: tops {tops}"       # four in one row
    assert tops[0] + tiles.first.bounding_box()["height"] < HEIGHT
    assert _top(tiles.nth(4)) > tops[0] + 300                                 # the next cards are further down
    labels = [tiles.nth(i).locator('[data-testid="stMetricLabel"]').inner_text() for i in range(4)]
    assert "Tỷ lệ giải quyết đúng hạn" in labels[0]

    for key in BOXES:
        box = page.locator(f".st-key-{key}")
        assert _top(box) < HEIGHT, key
        links = box.locator('[data-testid="stPageLink-NavLink"]:visible')
        texts = [links.nth(i).inner_text() for i in range(links.count())]
        if not texts:                  # nothing late of that kind: the box says so, on the first screen
            assert _top(box.locator('[data-testid="stCaptionContainer"]').first) < HEIGHT, key
            continue
        # Every item of every list begins on the first screen, and names its unit.
        last = links.nth(links.count() - 1)
        assert _top(last) < HEIGHT, f"{key}: {texts[-1]!r} is below the first screen"
        items = [text for text in texts if " · " in text]
        assert items and all(UNIT_WORDS.search(text) for text in items), (key, items)
    close(page)


def _land(page, box: str, path: str, anchor: str) -> None:
    """Click the first item of a box; the page it opens shows the section and its rows."""
    link = page.locator(f'.st-key-{box} [data-testid="stPageLink-NavLink"]:visible').first
    link.click()
    page.wait_for_url(re.compile(rf"/{path}\?"), timeout=WAIT)
    page.locator(f"#{anchor}").wait_for(timeout=WAIT)
    settle(page)
    # The heading is scrolled to the top of the view (below the toolbar), or as far as the
    # page goes when the section is near its foot.
    page.wait_for_function(
        """([id, height]) => { const h = document.getElementById(id); if (!h) return false;
             const top = h.getBoundingClientRect().top;
             const m = document.querySelector('[data-testid="stMain"]');
             const atFoot = m && m.scrollTop > 0 && m.scrollTop + m.clientHeight >= m.scrollHeight - 2;
             return top > 0 && (top < 200 || (atFoot && top < height - 200)); }""",
        arg=[anchor, HEIGHT], timeout=WAIT, polling=100)
    rows = page.evaluate(
        """(id) => { const h = document.getElementById(id);
                     const grid = [...document.querySelectorAll('[data-testid="stDataFrame"]')]
                       .find(g => h.compareDocumentPosition(g) & Node.DOCUMENT_POSITION_FOLLOWING);
                     if (!grid) return null; const r = grid.getBoundingClientRect();
                     return {top: r.top, bottom: r.bottom}; }""", anchor)
    assert rows is not None, f"no rows after #{anchor}"
    assert 0 < rows["top"] < HEIGHT - 100, f"the rows of #{anchor} are not in view: {rows}"


def test_a_drill_down_link_lands_with_its_rows_in_view(server, browser):
    page = _overview(browser, server)
    _land(page, "attention_tasks", "tasks", "ioc-overdue")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "first_screen_drill_tasks_overdue.png"))
    close(page)
    # A unit below the on-time target opens its procedures, near the foot of the page.
    page = _overview(browser, server)
    _land(page, "attention_below", "procedures", "ioc-by-procedure")
    page.screenshot(path=str(SCREENSHOTS / "first_screen_drill_procedures.png"))
    close(page)


@pytest.mark.parametrize("width, height", [(768, 1024), (390, 844)])
def test_tablet_and_phone_need_no_sideways_scrolling(server, browser, width, height):
    for name, path in (("overview", ""), ("tasks", "tasks")):
        page = open_page(browser, f"{server}/{path}?lang=vi", width=width, height=height)
        page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=WAIT)
        layout_stable(page)
        page.screenshot(path=str(SCREENSHOTS / f"first_screen_{name}_{width}.png"))
        overflow = page.evaluate(
            """() => { const m = document.querySelector('[data-testid="stMain"]');
                       return [m.scrollWidth, m.clientWidth, document.documentElement.scrollWidth, innerWidth]; }""")
        assert overflow[0] <= overflow[1] + 1 and overflow[2] <= overflow[3] + 1, (name, width, overflow)
        assert t(f"{name}.title", "vi") in page.locator("h1").first.inner_text()
        close(page)
